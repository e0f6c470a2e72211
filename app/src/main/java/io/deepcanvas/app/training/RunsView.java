package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.io.TrainingSettings;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The run history: every run of the project with its settings, how it ended, its final and best test accuracy
 * and its time. Double-click (or Show) puts a run's curves in the charts; Compare draws the selected run dashed
 * under the shown one; its metrics export as CSV. The shown run is in bold, the compared one in italics.
 */
public final class RunsView extends VBox {
    private final TrainingViewModel vm;
    private final RunHistory history;
    private final RunActions actions;
    private final TableView<RunRecord> table = new TableView<>();
    private final Button show = new Button();
    private final Button compare = new Button();
    private final Button exportCsv = new Button();
    private final Button useWeights = new Button();
    private final Button delete = new Button();

    public RunsView(TrainingViewModel vm, RunHistory history, RunActions actions) {
        this.vm = vm;
        this.history = history;
        this.actions = actions;
        setId("runsView");
        getStyleClass().add("runs-view");
        createView();
        initListeners();
    }

    private void createView() {
        table.setId("runsTable");
        table.setItems(history.runs());
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        Label placeholder = new Label();
        placeholder.textProperty().bind(I18n.bind("runs.empty"));
        placeholder.setWrapText(true);
        placeholder.getStyleClass().add("hint");
        table.setPlaceholder(placeholder);
        table.getColumns().addAll(List.of(
                column("runs.column.number", 34, r -> String.valueOf(history.numberOf(r))),
                column("runs.column.started", 96, RunsView::started),
                column("runs.column.outcome", 100, r -> I18n.text("runs.outcome." + r.outcome())),
                column("runs.column.testAccuracy", 76, r -> r.last() == null ? "—"
                        : TrainingViewModel.percent(r.last().accuracy())),
                column("runs.column.best", 108, r -> r.best() == null ? "—"
                        : I18n.text("runs.bestValue", r.best().epoch(), TrainingViewModel.percent(r.best().accuracy()))),
                column("runs.column.steps", 64, r -> String.valueOf(r.steps())),
                column("runs.column.time", 66, r -> TrainingViewModel.duration(r.elapsed())),
                column("runs.column.settings", 330, RunsView::settings)));
        // the settings say what differs between runs: shown whole, the table scrolls sideways in a narrow dock
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setRowFactory(t -> new RunRow());
        VBox.setVgrow(table, Priority.ALWAYS);

        show.setId("runsShow");
        show.textProperty().bind(I18n.bind("runs.show"));
        show.setOnAction(e -> vm.showRun(selected()));
        compare.setId("runsCompare");
        compare.textProperty().bind(Bindings.createStringBinding(() -> I18n.text(
                vm.comparedRunProperty().get() != null && vm.comparedRunProperty().get().equals(selected())
                        ? "runs.stopComparing" : "runs.compare"),
                vm.comparedRunProperty(), table.getSelectionModel().selectedItemProperty(), I18n.localeProperty()));
        compare.setOnAction(e -> toggleCompare());
        exportCsv.setId("runsExportCsv");
        exportCsv.textProperty().bind(I18n.bind("runs.exportCsv"));
        exportCsv.setOnAction(e -> actions.exportCsv(selected()));
        useWeights.setId("runsUseWeights");
        useWeights.textProperty().bind(I18n.bind("runs.useWeights"));
        useWeights.setOnAction(e -> actions.useWeights(selected()));
        delete.setId("runsDelete");
        delete.textProperty().bind(I18n.bind("runs.delete"));
        delete.setOnAction(e -> actions.delete(selected()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(6, show, compare, useWeights, exportCsv, spacer, delete);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 4, 6));
        getChildren().addAll(bar, table);
        ContextMenu menu = new ContextMenu(item("runs.show", () -> vm.showRun(selected())),
                item("runs.compare", this::toggleCompare), item("runs.useWeights", () -> actions.useWeights(selected())),
                item("runs.exportCsv", () -> actions.exportCsv(selected())),
                item("runs.delete", () -> actions.delete(selected())));
        table.setContextMenu(menu);
    }

    private void initListeners() {
        // a run cannot be shown over the one that is training
        show.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(vm.runningProperty()));
        compare.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(vm.shownRunProperty().isEqualTo(table.getSelectionModel().selectedItemProperty())
                        .and(vm.comparedRunProperty().isNull())));
        exportCsv.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        useWeights.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            RunRecord r = selected();
            return r == null || vm.runningProperty().get() || !r.leftWeights();
        }, table.getSelectionModel().selectedItemProperty(), vm.runningProperty()));
        delete.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(vm.shownRunProperty().isEqualTo(table.getSelectionModel().selectedItemProperty())
                        .and(vm.runningProperty())));
        // bold and italics follow the shown and compared runs; dates and outcomes follow the language
        vm.shownRunProperty().addListener((o, a, b) -> table.refresh());
        vm.comparedRunProperty().addListener((o, a, b) -> table.refresh());
        I18n.onChange(this, () -> table.refresh());
        // a compared run that leaves the history (deleted, another project) is compared no more
        history.runs().addListener((javafx.collections.ListChangeListener<RunRecord>) c -> {
            RunRecord cmp = vm.comparedRunProperty().get();
            if (cmp != null && !history.runs().contains(cmp)) {
                vm.compareWith(null);
            }
        });
    }

    private void toggleCompare() {
        RunRecord r = selected();
        vm.compareWith(r == null || r.equals(vm.comparedRunProperty().get()) ? null : r);
    }

    private RunRecord selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    private static MenuItem item(String key, Runnable action) {
        MenuItem m = new MenuItem();
        m.textProperty().bind(I18n.bind(key));
        m.setOnAction(e -> action.run());
        return m;
    }

    private static TableColumn<RunRecord, String> column(String key, double width,
                                                         Function<RunRecord, String> text) {
        TableColumn<RunRecord, String> c = new TableColumn<>();
        c.textProperty().bind(I18n.bind(key));
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(text.apply(d.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
            }
        });
        return c;
    }

    /** A row: double-click shows the run; the shown one is bold, the compared one italic. */
    private final class RunRow extends TableRow<RunRecord> {
        RunRow() {
            setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && getItem() != null) {
                    vm.showRun(getItem());
                }
            });
        }

        @Override
        protected void updateItem(RunRecord item, boolean empty) {
            super.updateItem(item, empty);
            pseudoClassStateChanged(SHOWN, !empty && item.equals(vm.shownRunProperty().get()));
            pseudoClassStateChanged(COMPARED, !empty && item.equals(vm.comparedRunProperty().get()));
        }
    }

    private static final javafx.css.PseudoClass SHOWN = javafx.css.PseudoClass.getPseudoClass("shown");
    private static final javafx.css.PseudoClass COMPARED = javafx.css.PseudoClass.getPseudoClass("compared");

    /** The start, in the user's language and time zone: the time alone for a run of today. */
    private static String started(RunRecord r) {
        ZoneId zone = ZoneId.systemDefault();
        boolean today = r.started().atZone(zone).toLocalDate().equals(java.time.LocalDate.now(zone));
        return (today ? DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
                : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)).withLocale(I18n.locale()).withZone(zone)
                .format(r.started());
    }

    /** {@code SGD lr 0.01 · batch 64 · CrossEntropyLoss}: what usually differs between two runs. */
    static String settings(RunRecord r) {
        TrainingSettings s = r.project().training();
        String lr = TrainingPanel.lr(s.optimizer().lr());
        String changed = r.lrChanges().isEmpty() ? "" : " → " + TrainingPanel.lr(r.lrChanges()
                .get(r.lrChanges().size() - 1).to());
        return I18n.text("runs.settingsValue", s.optimizer().type(), lr + changed, s.batchSize(), s.loss(),
                String.valueOf(s.seed()), s.epochs());
    }

    /** The table (tests). */
    public TableView<RunRecord> table() {
        return table;
    }
}
