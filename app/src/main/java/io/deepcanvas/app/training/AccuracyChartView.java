package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import java.util.Locale;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;

/** Accuracy per batch (band and smoothed line) and the test accuracy after each epoch, in percent. */
public final class AccuracyChartView extends ChartView {
    private final Label smoothed = readout("accuracySmoothed");
    private final Label test = readout("accuracyTest");

    public AccuracyChartView(TrainingViewModel vm) {
        super(vm, "chart.accuracy.title", "accuracyChart");
        values.getChildren().addAll(smoothed, test);
        legend.getChildren().addAll(legendItem("chart.legend.batch", Plot.GREEN.deriveColor(0, 0.6, 1.3, 0.6),
                false), legendItem("chart.legend.smoothed", Plot.GREEN, false),
                legendItem("chart.legend.test", Plot.ORANGE, false), LossChartView.comparedLegend(vm));
        updateHeader();
    }

    @Override
    protected void updateHeader() {
        double a = vm.accuracyProperty().get();
        double t = vm.testAccuracyProperty().get();
        smoothed.setText(Double.isNaN(a) ? "" : I18n.text("chart.accuracy.smoothedValue", percent(a)));
        test.setText(Double.isNaN(t) ? "" : I18n.text("chart.accuracy.testValue", percent(t)));
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        DecimatedSeries raw = vm.accuracySeries();
        if (raw.isEmpty()) {
            Plot.empty(g, w, h, I18n.text(!vm.lossSeries().isEmpty() ? "chart.accuracy.none"
                    : vm.runningProperty().get() ? "chart.waiting" : "chart.accuracy.empty"));
            return;
        }
        // from the nearest 10 % below the smoothed curve: the last percent matter, the first steps less
        double low = vm.smoothedAccuracySeries().minValue();
        for (TrainingViewModel.TestPoint t : vm.testPoints()) {
            if (Double.isFinite(t.accuracy())) {
                low = Math.min(low, t.accuracy());
            }
        }
        RunCurves compared = vm.comparedCurves();
        if (compared != null && !compared.smoothedAccuracy().isEmpty()) {
            low = Math.min(low, compared.smoothedAccuracy().minValue());
        }
        low = Math.max(0, Math.floor(low * 10 - 1e-9) / 10);
        Plot p = new Plot(w, h, 0, LossChartView.xEnd(vm, raw), low, 1, false);
        p.frame(g, v -> String.format(Locale.ROOT, "%.0f%%", 100 * v));
        p.clip(g);
        if (compared != null) {
            p.dashedLine(g, compared.smoothedAccuracy(), LossChartView.COMPARED, 1.5);
            LossChartView.comparedTests(g, p, compared, TrainingViewModel.TestPoint::accuracy);
        }
        p.band(g, raw, Plot.GREEN);
        p.line(g, vm.smoothedAccuracySeries(), Plot.GREEN, 2);
        // labels along the bottom: the accuracy runs along the top, and its test points sit on the epoch markers
        LossChartView.marks(g, p, vm, true);
        LossChartView.testPoints(g, p, vm, TrainingViewModel.TestPoint::accuracy);
        LossChartView.best(g, p, vm, TrainingViewModel.TestPoint::accuracy);
        p.unclip(g);
    }
}
