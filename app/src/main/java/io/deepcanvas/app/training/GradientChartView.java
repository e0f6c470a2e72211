package io.deepcanvas.app.training;

import atlantafx.base.theme.Styles;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.training.TrainingViewModel.GradientHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

/**
 * Each parameter's gradient L2 norm per measured step on a log scale, one colour per layer (weights solid, biases
 * dashed), with the vanishing (below {@value TrainingViewModel#VANISHING}) and exploding (above
 * {@value TrainingViewModel#EXPLODING}) zones shaded; a side legend lists the layers with their latest norm and
 * marks the unhealthy ones.
 */
public final class GradientChartView extends ChartView {
    private static final PseudoClass VANISHING = PseudoClass.getPseudoClass("vanishing");
    private static final PseudoClass EXPLODING = PseudoClass.getPseudoClass("exploding");
    private static final Color VANISHING_ZONE = Color.web("#ddf4ff", 0.7);
    private static final Color EXPLODING_ZONE = Color.web("#ffebe9", 0.8);
    /** Karpathy's rule of thumb for the update-to-weight ratio. */
    static final double HEALTHY_RATIO = 1e-3;

    private final VBox layers = new VBox(2);
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Label summary = readout("gradientSummary");
    private final ToggleButton norms = new ToggleButton();
    private final ToggleButton ratios = new ToggleButton();

    /** One layer in the side legend. */
    private record Row(HBox box, Label value, Label state) {
    }

    public GradientChartView(TrainingViewModel vm) {
        super(vm, "chart.gradients.title", "gradientChart");
        ToggleGroup mode = new ToggleGroup();
        norms.setId("gradients-norm");
        ratios.setId("gradients-ratio");
        norms.textProperty().bind(I18n.bind("chart.gradients.norm"));
        ratios.textProperty().bind(I18n.bind("chart.gradients.ratio"));
        Tooltip ratioTip = new Tooltip();
        ratioTip.textProperty().bind(I18n.bind("chart.gradients.ratio.tooltip"));
        ratios.setTooltip(ratioTip);
        norms.getStyleClass().addAll(Styles.LEFT_PILL, Styles.SMALL);
        ratios.getStyleClass().addAll(Styles.RIGHT_PILL, Styles.SMALL);
        norms.setToggleGroup(mode);
        ratios.setToggleGroup(mode);
        norms.setSelected(true);
        norms.setFocusTraversable(false);
        ratios.setFocusTraversable(false);
        // one of the two is always on
        mode.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                invalidate();
            }
        });
        HBox modes = new HBox(norms, ratios);
        modes.setAlignment(Pos.CENTER);
        legend.getChildren().add(modes);
        layers.getStyleClass().add("gradient-layers");
        ScrollPane scroll = new ScrollPane(layers);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        HBox kinds = new HBox(10, legendItem("chart.legend.weight", Plot.MUTED, false),
                legendItem("chart.legend.bias", Plot.MUTED, true));
        kinds.setAlignment(Pos.CENTER_LEFT);
        VBox side = new VBox(4, scroll, kinds, summary);
        side.getStyleClass().add("gradient-legend");
        scroll.getStyleClass().add("gradient-side");
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        side.setPrefWidth(150);
        side.setMinWidth(150);
        body.getChildren().add(side);
        vm.gradientHealthProperty().addListener((javafx.collections.MapChangeListener<String, GradientHealth>)
                c -> updateHeader());
        updateHeader();
    }

    /** The layers in the order they first reported, each with the colour its lines have. */
    private List<String> layerOrder() {
        List<String> out = new ArrayList<>();
        for (String p : vm.gradientSeries().keySet()) {
            String layer = TrainingViewModel.layerOf(p);
            if (!out.contains(layer)) {
                out.add(layer);
            }
        }
        return out;
    }

    @Override
    protected void updateHeader() {
        List<String> order = layerOrder();
        if (!order.equals(new ArrayList<>(rows.keySet()))) {
            rows.clear();
            layers.getChildren().clear();
            for (int i = 0; i < order.size(); i++) {
                Row r = row(order.get(i), Plot.PALETTE[i % Plot.PALETTE.length]);
                rows.put(order.get(i), r);
                layers.getChildren().add(r.box());
            }
        }
        for (String layer : order) {
            Row r = rows.get(layer);
            double norm = latestNorm(layer);
            r.value().setText(Double.isNaN(norm) ? "" : sci(norm));
            String node = vm.nodeOf(layer);
            GradientHealth h = vm.gradientHealthProperty().get(node != null ? node : layer);
            r.box().pseudoClassStateChanged(VANISHING, h == GradientHealth.VANISHING);
            r.box().pseudoClassStateChanged(EXPLODING, h == GradientHealth.EXPLODING);
            r.state().setText(h == GradientHealth.VANISHING ? I18n.text("chart.gradients.vanishing")
                    : h == GradientHealth.EXPLODING ? I18n.text("chart.gradients.exploding") : "");
            r.state().setVisible(h != null && h != GradientHealth.OK);
            r.state().setManaged(r.state().isVisible());
        }
        summary.setText(order.isEmpty() ? "" : I18n.text("chart.gradients.summary", order.size(),
                TrainingRunner.GRADIENT_EVERY));
    }

    private Row row(String layer, Color color) {
        Rectangle swatch = new Rectangle(10, 10, color);
        swatch.setArcWidth(3);
        swatch.setArcHeight(3);
        Label name = new Label(layer, swatch);
        name.getStyleClass().add("gradient-layer-name");
        Label value = new Label();
        value.getStyleClass().add("gradient-layer-value");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label state = new Label();
        state.getStyleClass().add("gradient-layer-state");
        HBox top = new HBox(6, name, spacer, value);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(0, top, state);
        HBox wrapper = new HBox(box);
        HBox.setHgrow(box, Priority.ALWAYS);
        wrapper.setId("gradient-layer-" + layer);
        wrapper.getStyleClass().add("gradient-layer");
        return new Row(wrapper, value, state);
    }

    /** What the chart shows: gradient norms, or update-to-weight ratios. */
    private Map<String, DecimatedSeries> shown() {
        return ratios.isSelected() ? vm.updateRatioSeries() : vm.gradientSeries();
    }

    /** Whether the chart shows update-to-weight ratios rather than gradient norms. */
    public boolean showsRatios() {
        return ratios.isSelected();
    }

    /** The largest latest value shown among the layer's parameters. */
    private double latestNorm(String layer) {
        double most = Double.NaN;
        for (Map.Entry<String, DecimatedSeries> e : shown().entrySet()) {
            if (TrainingViewModel.layerOf(e.getKey()).equals(layer) && !e.getValue().isEmpty()) {
                double v = e.getValue().lastY();
                most = Double.isNaN(most) ? v : Math.max(most, v);
            }
        }
        return most;
    }

    static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.1e", v).replace("e-0", "e-").replace("e+0", "e")
                .replace("e+", "e");
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        Map<String, DecimatedSeries> series = shown();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (DecimatedSeries s : series.values()) {
            for (int i = 0; i < s.size(); i++) {
                double v = s.y(i);
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        boolean ratio = ratios.isSelected();
        if (ratio && hi > 0) {
            // keep the healthy 1e-3 in view
            lo = Math.min(lo, HEALTHY_RATIO);
            hi = Math.max(hi, HEALTHY_RATIO);
        }
        if (!(hi > 0)) {
            Plot.empty(g, w, h, I18n.text(vm.runningProperty().get() ? "chart.waiting" : "chart.gradients.empty"));
            return;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-30))));
        double yMax = Math.pow(10, Math.ceil(Math.log10(hi) + 1e-9));
        if (yMax / yMin < 100) {
            yMin = yMax / 100;
        }
        double xEnd = Math.max(10, Plot.niceCeil(Math.max(vm.stepProperty().get(), lastX(series))));
        Plot p = new Plot(w, h, 0, xEnd, yMin, yMax, true);
        if (!ratio) {
            zones(g, p);
        }
        p.frame(g, Plot::power);
        p.clip(g);
        if (ratio) {
            double y = Math.round(p.py(HEALTHY_RATIO)) + 0.5;
            g.setStroke(Plot.GREEN);
            g.setLineWidth(1);
            g.setLineDashes(6, 4);
            g.strokeLine(p.left, y, p.right, y);
            g.setLineDashes((double[]) null);
            g.setFill(Plot.GREEN);
            g.setFont(Plot.FONT);
            g.setTextAlign(javafx.scene.text.TextAlignment.RIGHT);
            g.setTextBaseline(javafx.geometry.VPos.BOTTOM);
            g.fillText(I18n.text("chart.gradients.healthyRatio"), p.right - 4, y - 2);
        }
        List<String> order = layerOrder();
        for (Map.Entry<String, DecimatedSeries> e : series.entrySet()) {
            String layer = TrainingViewModel.layerOf(e.getKey());
            Color c = Plot.PALETTE[order.indexOf(layer) % Plot.PALETTE.length];
            boolean bias = e.getKey().endsWith(".bias");
            String node = vm.nodeOf(layer);
            GradientHealth health = vm.gradientHealthProperty().get(node != null ? node : layer);
            boolean unhealthy = !ratio && health != null && health != GradientHealth.OK;
            g.setLineDashes(bias ? new double[]{5, 4} : null);
            p.line(g, e.getValue(), c, unhealthy ? 2.6 : bias ? 1.2 : 1.6);
            g.setLineDashes((double[]) null);
        }
        LossChartView.marks(g, p, vm);
        p.unclip(g);
    }

    private static double lastX(Map<String, DecimatedSeries> series) {
        double x = 0;
        for (DecimatedSeries s : series.values()) {
            if (!s.isEmpty()) {
                x = Math.max(x, s.lastX());
            }
        }
        return x;
    }

    /** Shades the vanishing and exploding ranges where the axis reaches them. */
    private static void zones(GraphicsContext g, Plot p) {
        double yMin = Math.pow(10, p.yMin);
        double yMax = Math.pow(10, p.yMax);
        g.setFont(Plot.FONT);
        g.setTextAlign(javafx.scene.text.TextAlignment.RIGHT);
        g.setTextBaseline(javafx.geometry.VPos.BOTTOM);
        if (yMin < TrainingViewModel.VANISHING) {
            double y = p.py(Math.min(TrainingViewModel.VANISHING, yMax));
            g.setFill(VANISHING_ZONE);
            g.fillRect(p.left, y, p.right - p.left, p.bottom - y);
            g.setFill(Plot.BLUE);
            g.fillText(I18n.text("chart.gradients.vanishingZone"), p.right - 4, p.bottom - 3);
        }
        if (yMax > TrainingViewModel.EXPLODING) {
            double y = p.py(Math.max(TrainingViewModel.EXPLODING, yMin));
            g.setFill(EXPLODING_ZONE);
            g.fillRect(p.left, p.top, p.right - p.left, y - p.top);
            g.setFill(Plot.RED);
            g.setTextBaseline(javafx.geometry.VPos.TOP);
            g.fillText(I18n.text("chart.gradients.explodingZone"), p.right - 4, p.top + 3);
        }
    }
}
