package io.deepcanvas.app.editor;

import atlantafx.base.theme.Styles;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.model.NodeCaption;
import io.deepcanvas.engine.graph.ShapeReport;
import java.util.List;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

/**
 * The network at a glance, for the status bar: total parameters ({@code 61,706} for LeNet-5), multiply-accumulates
 * per image, the output shape, and whether it is ready to train or how many problems stand in the way.
 */
public final class SummaryBar extends HBox {
    private final EditorModel model;
    private final Label params = label("summaryParams", "summary.parameters.tooltip");
    private final Label macs = label("summaryMacs", "summary.macs.tooltip");
    private final Label output = label("summaryOutput", "summary.output.tooltip");
    private final Label valid = label("summaryValid", null);
    /** The report and language last shown: a drag ticks the revision without a new report. */
    private Object shown;

    public SummaryBar(EditorModel model) {
        super(10);
        this.model = model;
        setId("summaryBar");
        getStyleClass().add("summary-bar");
        setAlignment(Pos.CENTER_RIGHT);
        getChildren().addAll(params, separator(), macs, separator(), output, separator(), valid);
        model.revisionProperty().addListener((o, a, b) -> update());
        I18n.onChange(this, () -> update());
        update();
    }

    private static Label label(String id, String tooltipKey) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("summary-item");
        if (tooltipKey != null) {
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(I18n.bind(tooltipKey));
            l.setTooltip(tip);
        }
        return l;
    }

    private static Separator separator() {
        Separator s = new Separator(Orientation.VERTICAL);
        s.getStyleClass().add("summary-separator");
        return s;
    }

    private void update() {
        ShapeReport r = model.report();
        List<Object> now = List.of(r, I18n.locale());
        if (now.equals(shown)) {
            return;
        }
        shown = now;
        // counts pre-formatted (Locale.ROOT, as torchinfo prints them) so MessageFormat does not regroup them
        params.setText(I18n.text("summary.parameters", NodeCaption.count(r.totalParameters())));
        macs.setText(I18n.text("summary.macs", NodeCaption.count(r.totalMacs())));
        output.setText(I18n.text("summary.output",
                NodeCaption.shape(r.outputId() == null ? null : r.outputShape(r.outputId()))));
        boolean ok = r.isValid();
        valid.setText(ok ? I18n.text("summary.valid") : I18n.text("summary.invalid", r.problems().size()));
        valid.getStyleClass().removeAll("summary-valid", "summary-invalid");
        valid.getStyleClass().add(ok ? "summary-valid" : "summary-invalid");
        valid.pseudoClassStateChanged(Styles.STATE_SUCCESS, ok);
        valid.pseudoClassStateChanged(Styles.STATE_DANGER, !ok);
    }
}
