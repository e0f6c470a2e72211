package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

/**
 * A live chart: a header (title, the latest values, a legend) over a {@link Canvas} it draws itself, because a
 * {@code LineChart} with thousands of nodes would cost the FX thread more than the training does. It redraws when
 * the view-model's curves change (at most once per drain), when resized, or when the language changes, and only
 * while it shows: a chart in a hidden tab redraws once it is shown again.
 */
abstract class ChartView extends VBox {
    protected final TrainingViewModel vm;
    protected final Label title = new Label();
    protected final HBox values = new HBox(12);
    protected final HBox legend = new HBox(12);
    /** The plot, and room to its right for a subclass's side legend. */
    protected final HBox body = new HBox();
    private final Canvas canvas = new Canvas();
    private boolean dirty = true;
    private long redraws;

    ChartView(TrainingViewModel vm, String titleKey, String id) {
        this.vm = vm;
        setId(id);
        createView(titleKey);
        initListeners();
    }

    private void createView(String titleKey) {
        getStyleClass().add("chart-view");
        title.textProperty().bind(I18n.bind(titleKey));
        title.getStyleClass().add("chart-title");
        values.getStyleClass().add("chart-values");
        values.setAlignment(Pos.CENTER_LEFT);
        legend.getStyleClass().add("chart-legend");
        legend.setAlignment(Pos.CENTER_RIGHT);
        title.setMinWidth(Region.USE_PREF_SIZE);
        HBox titleAndValues = new HBox(14, title, values);
        titleAndValues.setAlignment(Pos.CENTER_LEFT);
        // the legend follows the values, or takes a second line when a narrow chart has no room for both
        javafx.scene.layout.FlowPane header = new javafx.scene.layout.FlowPane(18, 2, titleAndValues, legend);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("chart-header");
        Pane plot = new Pane(canvas) {
            @Override
            protected void layoutChildren() {
                double w = Math.floor(getWidth());
                double h = Math.floor(getHeight());
                if (canvas.getWidth() != w || canvas.getHeight() != h) {
                    canvas.setWidth(w);
                    canvas.setHeight(h);
                    dirty = true;
                }
                redrawIfDirty();
            }
        };
        plot.getStyleClass().add("chart-plot");
        plot.setMinSize(0, 0);
        HBox.setHgrow(plot, Priority.ALWAYS);
        body.getChildren().add(plot);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(header, body);
    }

    private void initListeners() {
        vm.revisionProperty().addListener((o, a, b) -> invalidate());
        I18n.onChange(this, () -> invalidate());
    }

    /** The curves changed: redraw now if showing, else when shown. */
    final void invalidate() {
        dirty = true;
        updateHeader();
        redrawIfDirty();
    }

    /** Redraws if something changed since the last drawing and the chart shows. */
    final void redrawIfDirty() {
        if (dirty && showing() && canvas.getWidth() > 0 && canvas.getHeight() > 0) {
            dirty = false;
            redraws++;
            GraphicsContext g = canvas.getGraphicsContext2D();
            // a clear of the whole canvas also drops the commands of the last drawing
            g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            paint(g, canvas.getWidth(), canvas.getHeight());
        }
    }

    private boolean showing() {
        return showing(this);
    }

    /** Whether {@code node} is in a scene and it and all its parents are visible (a hidden tab's content is not). */
    static boolean showing(Node node) {
        if (node.getScene() == null) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** How often the chart was drawn (tests: it follows the run, but not more than once per drain). */
    public long redraws() {
        return redraws;
    }

    Canvas canvas() {
        return canvas;
    }

    /** The values and legend above the plot; called with every change of the curves. */
    protected void updateHeader() {
    }

    /** Draws the whole chart on a cleared canvas of {@code w × h}. */
    protected abstract void paint(GraphicsContext g, double w, double h);

    /** A legend entry: a short line of {@code color} and a text. */
    static Label legendItem(String key, Color color, boolean dashed) {
        Label l = new Label();
        l.textProperty().bind(I18n.bind(key));
        Rectangle swatch = new Rectangle(14, dashed ? 2 : 3, color);
        if (dashed) {
            swatch.setWidth(10);
        }
        l.setGraphic(swatch);
        l.getStyleClass().add("chart-legend-item");
        return l;
    }

    /** A "name value" pair for the header, styled as a small readout. */
    static Label readout(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("chart-readout");
        return l;
    }
}
