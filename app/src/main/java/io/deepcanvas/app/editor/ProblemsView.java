package io.deepcanvas.app.editor;

import atlantafx.base.theme.Styles;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.model.Fix;
import io.deepcanvas.app.model.Fixes;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.Problem;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

/**
 * Every problem that keeps the network from training, as shape inference reports it: an error mark, the layer's
 * name, the engine's message (which names the value and the fix) and a button for each fix the editor can make
 * itself ("Insert Flatten before fc1"). Selecting a problem selects its layer on the canvas.
 */
public final class ProblemsView extends VBox {
    /** The list's width less the mark, the gaps, the cell's padding and a vertical scroll bar. */
    private static final double MESSAGE_INSET = 64;

    private final EditorModel model;
    private final Label count = new Label();
    private final ListView<Problem> list = new ListView<>();

    public ProblemsView(EditorModel model) {
        this.model = model;
        setId("problems");
        getStyleClass().add("problems");
        createView();
        initListeners();
        update();
    }

    private void createView() {
        count.setId("problemsCount");
        count.getStyleClass().add("problems-count");
        count.pseudoClassStateChanged(Styles.STATE_DANGER, true);
        count.managedProperty().bind(count.visibleProperty());
        list.setId("problemsList");
        list.getStyleClass().add("problems-list");
        list.setCellFactory(v -> new ProblemCell());
        list.setTooltip(new Tooltip());
        list.getTooltip().textProperty().bind(I18n.bind("problems.selectHint"));
        Label none = new Label();
        none.textProperty().bind(I18n.bind("problems.none"));
        none.getStyleClass().addAll("problems-none", Styles.TEXT_MUTED);
        none.setWrapText(true);
        list.setPlaceholder(none);
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(count, list);
    }

    private void initListeners() {
        model.revisionProperty().addListener((o, a, b) -> update());
        I18n.onChange(this, () -> update());
        // a click or the arrow keys: the layer the problem is about is shown on the canvas and in the inspector
        list.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null && p.nodeId() != null && model.graph().contains(p.nodeId())) {
                model.select(p.nodeId());
            }
        });
        // a click on the problem already selected in the list still shows its layer (no selection change fires)
        list.setOnMouseClicked(e -> {
            Problem p = list.getSelectionModel().getSelectedItem();
            if (p != null && p.nodeId() != null && model.graph().contains(p.nodeId())) {
                model.select(p.nodeId());
            }
        });
        list.setOnKeyPressed(e -> {
            Problem p = list.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && p != null) {
                List<Fix> fixes = fixes(p);
                if (fixes.size() == 1) {
                    apply(fixes.get(0)); // the keyboard's way to the only fix offered
                    e.consume();
                }
            }
        });
    }

    private void update() {
        List<Problem> problems = model.report().problems();
        count.setText(problems.isEmpty() ? "" : I18n.text("problems.count", problems.size()));
        count.setVisible(!problems.isEmpty());
        list.getItems().setAll(problems);
        // a problem equal to the last one keeps its cell, whose fixes and layer name were for the old graph
        list.refresh();
    }

    private List<Fix> fixes(Problem p) {
        return Fixes.forProblem(p, model.graph(), model.report());
    }

    private void apply(Fix fix) {
        if (!model.lockedProperty().get()) {
            model.apply(fix);
        }
    }

    /** One problem: mark, layer name and message, then its fixes as buttons. */
    private final class ProblemCell extends ListCell<Problem> {
        private final Label layer = new Label();
        private final Label message = new Label();
        private final FlowPane fixes = new FlowPane(6, 4);
        private final VBox text = new VBox(2, layer, message, fixes);
        private final HBox row = new HBox(8, mark(), text);

        ProblemCell() {
            getStyleClass().add("problem-cell");
            layer.getStyleClass().addAll("problem-layer", Styles.TEXT_BOLD);
            message.getStyleClass().add("problem-message");
            message.setWrapText(true);
            fixes.getStyleClass().add("problem-fixes");
            fixes.managedProperty().bind(fixes.visibleProperty());
            HBox.setHgrow(text, Priority.ALWAYS);
            text.setMinWidth(0);
            // the cell asks for no width of its own (else the list scrolls sideways to fit a message on one line);
            // the message is as wide as the list beside the mark, so it wraps and the row grows to fit it
            setPrefWidth(0);
            message.prefWidthProperty().bind(list.widthProperty().subtract(MESSAGE_INSET));
            fixes.prefWrapLengthProperty().bind(message.prefWidthProperty());
        }

        /** As tall as the wrapped message and the fixes: the theme gives list cells one fixed height otherwise. */
        @Override
        protected double computePrefHeight(double width) {
            if (getGraphic() == null) {
                return super.computePrefHeight(width);
            }
            return snappedTopInset() + row.prefHeight(-1) + snappedBottomInset();
        }

        @Override
        protected void updateItem(Problem p, boolean empty) {
            super.updateItem(p, empty);
            setText(null);
            if (empty || p == null) {
                setGraphic(null);
                return;
            }
            Node node = p.nodeId() == null ? null : model.graph().node(p.nodeId());
            layer.setText(node != null ? node.label() : p.nodeId() != null ? p.nodeId() : I18n.text("problems.graph"));
            message.setText(p.message()); // the engine's words: they name the value and the fix
            fixes.getChildren().clear();
            for (Fix fix : fixes(p)) {
                Button b = new Button(fix.description());
                b.getStyleClass().addAll("fix-button", Styles.SMALL);
                b.disableProperty().bind(model.lockedProperty());
                b.setOnAction(e -> apply(fix));
                fixes.getChildren().add(b);
            }
            fixes.setVisible(!fixes.getChildren().isEmpty());
            setGraphic(row);
        }
    }

    /** A red disc with an exclamation mark, drawn rather than a glyph some fonts lack. */
    private static StackPane mark() {
        Circle disc = new Circle(8);
        disc.getStyleClass().add("problem-icon-disc");
        disc.setFill(Color.web("#dc2626")); // CSS may restyle it; without CSS it is still red
        Label bang = new Label("!");
        bang.getStyleClass().add("problem-icon-mark");
        bang.setTextFill(Color.WHITE);
        StackPane icon = new StackPane(disc, bang);
        icon.getStyleClass().add("problem-icon");
        icon.setMinSize(18, 18);
        icon.setMaxSize(18, 18);
        return icon;
    }
}
