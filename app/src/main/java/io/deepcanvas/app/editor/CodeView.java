package io.deepcanvas.app.editor;

import atlantafx.base.theme.Styles;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.NodeInfo;
import io.deepcanvas.engine.graph.PyTorchExporter;
import io.deepcanvas.engine.graph.ShapeReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javafx.animation.PauseTransition;
import javafx.collections.SetChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The network as PyTorch code, live: the script {@link PyTorchExporter} writes, one line per row, with the selected
 * layers' lines highlighted (their module in {@code __init__} and their call in {@code forward}) and scrolled into
 * view. Copy puts the whole script on the clipboard; Ctrl+C copies the lines selected with the mouse or keyboard.
 * While the network has problems it shows the first one instead.
 */
public final class CodeView extends VBox {
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);

    private final EditorModel model;
    private final ListView<String> lines = new ListView<>();
    private final Button copy = new Button();
    private final Label copied = new Label();
    private final PauseTransition copiedShown = new PauseTransition(Duration.seconds(2));
    /** The script shown (or the invalid-network note), and what it was made from: drags tick without a new report. */
    private String code;
    private Object madeFrom;
    private Set<Integer> highlighted = Set.of();

    public CodeView(EditorModel model) {
        this.model = model;
        setId("codeView");
        getStyleClass().add("code-view");
        createView();
        initListeners();
        update();
        highlight(true);
    }

    private void createView() {
        copy.setId("copyCode");
        copy.textProperty().bind(I18n.bind("code.copy"));
        copy.getStyleClass().addAll("code-copy", Styles.SMALL);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(I18n.bind("code.copy.tooltip"));
        copy.setTooltip(tip);
        copy.setOnAction(e -> toClipboard(code));
        copied.setId("codeCopied");
        copied.textProperty().bind(I18n.bind("code.copied"));
        copied.getStyleClass().addAll("code-copied", Styles.TEXT_MUTED);
        copied.setVisible(false);
        copiedShown.setOnFinished(e -> copied.setVisible(false));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, copied, spacer, copy);
        header.getStyleClass().add("code-header");
        header.setAlignment(Pos.CENTER_LEFT);

        lines.setId("codeLines");
        lines.getStyleClass().add("code-lines");
        lines.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        lines.setCellFactory(v -> new CodeCell());
        // before the window's Edit ▸ Copy, which would copy the selected layers instead
        lines.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e)) {
                List<Integer> rows = lines.getSelectionModel().getSelectedIndices();
                toClipboard(rows.isEmpty() ? code : CodeLines.join(lines.getItems(), rows));
                e.consume();
            }
        });
        VBox.setVgrow(lines, Priority.ALWAYS);
        getChildren().addAll(header, lines);
    }

    private void initListeners() {
        model.revisionProperty().addListener((o, a, b) -> {
            update();
            highlight(false);
        });
        model.nameProperty().addListener((o, a, b) -> update()); // the script's first line names the project
        I18n.onChange(this, () -> update());
        model.selection().addListener((SetChangeListener<String>) c -> highlight(true));
    }

    /** Exports again when the report, name or language changed; rows are replaced only when the text did. */
    private void update() {
        ShapeReport report = model.report();
        List<Object> from = Arrays.asList(report, model.name(), I18n.locale());
        if (from.equals(madeFrom)) {
            return;
        }
        madeFrom = from;
        String text;
        boolean valid = report.compiles();
        if (valid) {
            text = PyTorchExporter.export(report, model.name());
        } else {
            text = I18n.text("code.invalid", report.problems().get(0).message());
        }
        copy.setDisable(!valid);
        if (!text.equals(code)) {
            code = text;
            lines.getItems().setAll(CodeLines.split(text));
        }
    }

    /** Marks the selected layers' lines; on a new selection, scrolls them into view unless they are in view. */
    private void highlight(boolean scroll) {
        ShapeReport report = model.report();
        Set<Integer> rows = new HashSet<>();
        if (report.compiles()) {
            Map<String, Integer> forward = null;
            for (String id : model.selection()) {
                NodeInfo info = report.info(id);
                if (info == null) {
                    continue;
                }
                if (info.type().pytorchModule(info.params(), info.inputShapes()) != null) {
                    rows.addAll(CodeLines.moduleLines(lines.getItems(), info.label()));
                } else {
                    if (forward == null) {
                        forward = CodeLines.forwardLines(lines.getItems(), report.order(), report.inputId());
                    }
                    Integer row = forward.get(id);
                    if (row != null) {
                        rows.add(row);
                    }
                }
            }
        }
        if (!rows.equals(highlighted)) {
            highlighted = rows;
            lines.refresh();
        }
        if (scroll && !rows.isEmpty()) {
            scrollIntoView(new ArrayList<>(new TreeSet<>(rows)));
        }
    }

    private void scrollIntoView(List<Integer> rows) {
        int first = rows.get(0);
        int last = rows.get(rows.size() - 1);
        VirtualFlow<?> flow = lines.lookup(".virtual-flow") instanceof VirtualFlow<?> f ? f : null;
        IndexedCell<?> top = flow == null ? null : flow.getFirstVisibleCell();
        IndexedCell<?> bottom = flow == null ? null : flow.getLastVisibleCell();
        if (top != null && bottom != null && first >= top.getIndex() && last < bottom.getIndex()) {
            return; // already in view: moving the text under the reader's eyes would only disorient
        }
        lines.scrollTo(Math.max(0, first - 2)); // two lines of context above
    }

    private void toClipboard(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
        copied.setVisible(true);
        copiedShown.playFromStart();
    }

    /** One line of code with its line number; highlighted when it belongs to a selected layer. */
    private final class CodeCell extends ListCell<String> {
        private final Label number = new Label();

        CodeCell() {
            getStyleClass().add("code-line");
            number.getStyleClass().add("code-line-number");
            number.setMinWidth(Region.USE_PREF_SIZE);
        }

        @Override
        protected void updateItem(String line, boolean empty) {
            super.updateItem(line, empty);
            getStyleClass().remove("code-highlight");
            if (empty || line == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            if (highlighted.contains(getIndex())) {
                getStyleClass().add("code-highlight");
            }
            number.setText(String.format(Locale.ROOT, "%3d", getIndex() + 1));
            setGraphic(number);
            setText(line.isEmpty() ? " " : line); // an empty label would collapse the row
        }
    }

    /** The text shown, for tests and for the window's Export: the script, or the invalid-network note. */
    public String code() {
        return Objects.requireNonNullElse(code, "");
    }
}
