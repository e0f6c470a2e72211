package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;

/**
 * Loss per batch (a light band: each point's min…max once decimated), its smoothed line, the test loss after each
 * epoch (dots), epoch boundaries and learning-rate changes as markers.
 */
public final class LossChartView extends ChartView {
    private final Label smoothed = readout("lossSmoothed");
    private final Label test = readout("lossTest");

    /**
     * Above this ratio between the largest and the smallest loss drawn, the axis is logarithmic: a run whose first
     * steps' loss is hundreds of times its later one (MSELoss from random weights, a learning rate too high at
     * first) otherwise draws the rest of its curve as a flat line on the floor. Cross-entropy from 2.3 down to a few
     * hundredths stays linear, as tutorials plot it.
     */
    static final double LOG_RATIO = 100;

    /** Whether the last paint used a logarithmic axis ({@link #isLogScale}). */
    private boolean logScale;

    public LossChartView(TrainingViewModel vm) {
        super(vm, "chart.loss.title", "lossChart");
        values.getChildren().addAll(smoothed, test);
        legend.getChildren().addAll(legendItem("chart.legend.batch", Plot.BLUE.deriveColor(0, 0.6, 1.3, 0.6), false),
                legendItem("chart.legend.smoothed", Plot.BLUE, false),
                legendItem("chart.legend.test", Plot.ORANGE, false), comparedLegend(vm));
        updateHeader();
    }

    @Override
    protected void updateHeader() {
        smoothed.setText(Double.isNaN(vm.lossProperty().get()) ? "" : I18n.text("chart.loss.smoothedValue",
                Ema.lossText(vm.lossProperty().get())));
        test.setText(Double.isNaN(vm.testLossProperty().get()) ? "" : I18n.text("chart.loss.testValue",
                Ema.lossText(vm.testLossProperty().get())));
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        DecimatedSeries raw = vm.lossSeries();
        DecimatedSeries smooth = vm.smoothedLossSeries();
        if (raw.isEmpty()) {
            Plot.empty(g, w, h, I18n.text(vm.runningProperty().get() ? "chart.waiting" : "chart.loss.empty"));
            return;
        }
        RunCurves compared = vm.comparedCurves();
        double top = smooth.maxValue(), low = smooth.minValue();
        for (TrainingViewModel.TestPoint t : vm.testPoints()) {
            if (Double.isFinite(t.loss())) {
                top = Math.max(top, t.loss());
                low = Math.min(low, t.loss());
            }
        }
        if (compared != null && !compared.smoothedLoss().isEmpty()) {
            top = Math.max(top, compared.smoothedLoss().maxValue());
            low = Math.min(low, compared.smoothedLoss().minValue());
        }
        logScale = logScale(low, top);
        Plot p = logScale
                ? new Plot(w, h, 0, xEnd(vm, raw), Math.pow(10, Math.floor(Math.log10(low))),
                        Math.pow(10, Math.ceil(Math.log10(top) + 1e-9)), true)
                : new Plot(w, h, 0, xEnd(vm, raw), 0, Plot.niceCeil(top * 1.08), false);
        p.frame(g, logScale ? Plot::power : Plot::number);
        p.clip(g);
        if (compared != null) {
            p.dashedLine(g, compared.smoothedLoss(), COMPARED, 1.5);
            comparedTests(g, p, compared, TrainingViewModel.TestPoint::loss);
        }
        p.band(g, raw, Plot.BLUE);
        p.line(g, smooth, Plot.BLUE, 2);
        marks(g, p, vm);
        testPoints(g, p, vm, TrainingViewModel.TestPoint::loss);
        best(g, p, vm, TrainingViewModel.TestPoint::loss);
        p.unclip(g);
    }

    /** Whether losses from {@code low} to {@code top} are drawn on a logarithmic axis ({@link #LOG_RATIO}). */
    static boolean logScale(double low, double top) {
        return low > 0 && Double.isFinite(top) && top / low > LOG_RATIO;
    }

    /** Whether the chart as last drawn has a logarithmic axis. */
    public boolean isLogScale() {
        return logScale;
    }

    /** "run-20261204-214005, dashed": shown while a run is compared. */
    static Label comparedLegend(TrainingViewModel vm) {
        Label l = new Label();
        javafx.scene.shape.Rectangle swatch = new javafx.scene.shape.Rectangle(10, 2, COMPARED);
        l.setGraphic(swatch);
        l.getStyleClass().add("chart-legend-item");
        l.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.comparedRunProperty()
                .get() == null ? "" : I18n.text("chart.legend.compared"),
                vm.comparedRunProperty(), I18n.localeProperty()));
        javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
        tip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.comparedRunProperty()
                .get() == null ? "" : vm.comparedRunProperty().get().id(), vm.comparedRunProperty()));
        l.setTooltip(tip);
        l.visibleProperty().bind(vm.comparedRunProperty().isNotNull());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    /** The colour of a compared run: under the shown one, readable, never mistaken for it. */
    static final javafx.scene.paint.Color COMPARED = Plot.MUTED.deriveColor(0, 1, 1, 0.8);

    /** The compared run's test points, hollow. */
    static void comparedTests(GraphicsContext g, Plot p, RunCurves compared,
                              java.util.function.ToDoubleFunction<TrainingViewModel.TestPoint> value) {
        g.setStroke(COMPARED);
        g.setLineWidth(1.5);
        for (TrainingViewModel.TestPoint t : compared.tests()) {
            double v = value.applyAsDouble(t);
            if (Double.isFinite(v)) {
                g.strokeOval(p.px(t.step()) - 3.5, p.py(v) - 3.5, 7, 7);
            }
        }
    }

    /** The best epoch (highest test accuracy, else lowest test loss), ringed, once there are two to choose from. */
    static void best(GraphicsContext g, Plot p, TrainingViewModel vm,
                     java.util.function.ToDoubleFunction<TrainingViewModel.TestPoint> value) {
        TrainingViewModel.TestPoint b = vm.bestTestPoint();
        if (b != null && vm.testPoints().size() > 1 && Double.isFinite(value.applyAsDouble(b))) {
            p.best(g, b.step(), value.applyAsDouble(b), I18n.text("chart.best", b.epoch()));
        }
    }

    /** The test measurements of the run as dots joined by a line, in the test colour. */
    static void testPoints(GraphicsContext g, Plot p, TrainingViewModel vm,
                           java.util.function.ToDoubleFunction<TrainingViewModel.TestPoint> value) {
        double lastX = Double.NaN;
        double lastY = Double.NaN;
        g.setStroke(Plot.ORANGE);
        g.setLineWidth(1.5);
        for (TrainingViewModel.TestPoint t : vm.testPoints()) {
            double v = value.applyAsDouble(t);
            if (Double.isFinite(v)) {
                double x = p.px(t.step());
                double y = p.py(v);
                if (!Double.isNaN(lastX)) {
                    g.strokeLine(lastX, lastY, x, y);
                }
                lastX = x;
                lastY = y;
            }
        }
        for (TrainingViewModel.TestPoint t : vm.testPoints()) {
            double v = value.applyAsDouble(t);
            if (Double.isFinite(v)) {
                Plot.dot(g, p.px(t.step()), p.py(v), Plot.ORANGE, 3.5);
            }
        }
    }

    /** The right end of the step axis: a round number past the last step, so the axis does not move every frame. */
    static double xEnd(TrainingViewModel vm, DecimatedSeries s) {
        double last = Math.max(s.lastX(), vm.stepProperty().get());
        if (vm.comparedCurves() != null && !vm.comparedCurves().smoothedLoss().isEmpty()) {
            last = Math.max(last, vm.comparedCurves().smoothedLoss().lastX());
        }
        return Math.max(10, Plot.niceCeil(last));
    }

    /** Epoch boundaries and learning-rate changes, shared by the curves of the run, labelled at the top. */
    static void marks(GraphicsContext g, Plot p, TrainingViewModel vm) {
        marks(g, p, vm, false);
    }

    /**
     * As above, labelled along the bottom when {@code below}. Drawn before the test points, which then stay visible
     * where a label's background would have covered them (a test comes at the epoch's end, on its marker).
     */
    static void marks(GraphicsContext g, Plot p, TrainingViewModel vm, boolean below) {
        for (TrainingViewModel.EpochMark e : vm.epochMarks()) {
            p.marker(g, e.step(), Plot.SUBTLE, I18n.text("chart.epochMark", e.epoch()), new double[]{4, 4}, 0,
                    below);
        }
        for (TrainingViewModel.LearningRateMark m : vm.learningRateMarks()) {
            p.marker(g, m.step(), Plot.PURPLE, I18n.text("chart.lrMark", TrainingPanel.lr(m.from()),
                    TrainingPanel.lr(m.to())), new double[]{2, 3}, 1, below);
        }
    }
}
