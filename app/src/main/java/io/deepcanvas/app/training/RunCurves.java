package io.deepcanvas.app.training;

import java.util.List;

/**
 * A kept run's curves, decimated and smoothed as the live ones are (the same {@link DecimatedSeries} capacity and
 * the same debiased moving average), so a run reopened from its history looks exactly as it did while it trained,
 * and a compared run can be drawn under the shown one.
 */
public final class RunCurves {
    private final DecimatedSeries loss;
    private final DecimatedSeries smoothedLoss;
    private final DecimatedSeries accuracy;
    private final DecimatedSeries smoothedAccuracy;
    private final List<TrainingViewModel.TestPoint> tests;
    private double lastSmoothedLoss = Double.NaN;
    private double lastSmoothedAccuracy = Double.NaN;

    private RunCurves(int capacity, List<TrainingViewModel.TestPoint> tests) {
        loss = new DecimatedSeries(capacity);
        smoothedLoss = new DecimatedSeries(capacity);
        accuracy = new DecimatedSeries(capacity);
        smoothedAccuracy = new DecimatedSeries(capacity);
        this.tests = tests;
    }

    /** The curves of {@code run}, at most {@code capacity} points each, smoothed with weight {@code smoothing}. */
    public static RunCurves of(RunRecord run, int capacity, double smoothing) {
        RunCurves c = new RunCurves(capacity, run.tests());
        Ema lossAverage = Ema.ofLoss(smoothing);
        Ema accuracyAverage = Ema.ofAccuracy(smoothing);
        for (int i = 0; i < run.steps(); i++) {
            long step = i + 1L;
            float l = run.loss()[i];
            c.loss.add(step, l);
            if (Float.isFinite(l)) {
                c.lastSmoothedLoss = lossAverage.add(l);
                c.smoothedLoss.add(step, c.lastSmoothedLoss);
            }
            float a = run.accuracy()[i];
            if (Float.isFinite(a)) {
                c.accuracy.add(step, a);
                c.lastSmoothedAccuracy = accuracyAverage.add(a);
                c.smoothedAccuracy.add(step, c.lastSmoothedAccuracy);
            }
        }
        return c;
    }

    /** Replaces the contents of the given series with these curves. */
    void copyInto(DecimatedSeries lossOut, DecimatedSeries smoothedLossOut, DecimatedSeries accuracyOut,
                  DecimatedSeries smoothedAccuracyOut) {
        lossOut.copyFrom(loss);
        smoothedLossOut.copyFrom(smoothedLoss);
        accuracyOut.copyFrom(accuracy);
        smoothedAccuracyOut.copyFrom(smoothedAccuracy);
    }

    public DecimatedSeries smoothedLoss() {
        return smoothedLoss;
    }

    public DecimatedSeries smoothedAccuracy() {
        return smoothedAccuracy;
    }

    public List<TrainingViewModel.TestPoint> tests() {
        return tests;
    }

    double lastSmoothedLoss() {
        return lastSmoothedLoss;
    }

    double lastSmoothedAccuracy() {
        return lastSmoothedAccuracy;
    }
}
