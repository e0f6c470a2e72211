package io.deepcanvas.app.training;

import java.util.Locale;

/**
 * The smoothing drawn over the per-batch curves, one place for the live run and the kept ones: TensorBoard's
 * exponential moving average, debiased so that it starts at the first value. For the loss, a batch more than
 * {@value #SPIKE} times the smoothed value counts as that much: one batch a hundred thousand billion times the
 * others (a learning rate too high for a step, which the network then survives) held the plain average up at 10¹³
 * for the rest of the epoch while the batches were back at ~60. Below that bound it is TensorBoard's average,
 * value for value; a loss that really rises still does, by up to 1.45× a step.
 */
final class Ema {
    /** How far above the smoothed loss one batch counts. */
    static final double SPIKE = 10;

    private final double weight;
    private final boolean boundSpikes;
    private double value;
    private long n;

    private Ema(double weight, boolean boundSpikes) {
        this.weight = weight;
        this.boundSpikes = boundSpikes;
    }

    /** For a loss: single spikes bounded. */
    static Ema ofLoss(double weight) {
        return new Ema(weight, true);
    }

    /** For an accuracy (at most 1): the plain average. */
    static Ema ofAccuracy(double weight) {
        return new Ema(weight, false);
    }

    /** Adds a value; returns the smoothed value so far. */
    double add(double v) {
        double before = n > 0 ? smoothed() : 0;
        double x = boundSpikes && before > 0 ? Math.min(v, SPIKE * before) : v;
        n++;
        value = weight * value + (1 - weight) * x;
        return smoothed();
    }

    /** The debiased average so far (n > 0). */
    private double smoothed() {
        return value / (1 - Math.pow(weight, n));
    }

    void reset() {
        value = 0;
        n = 0;
    }

    /**
     * A loss as the panels write it: four decimals, or three significant digits in exponent form when it is too
     * large for them to mean anything (a diverging run's 3.2e13 instead of 31755689763140.6760).
     */
    static String lossText(double v) {
        return Math.abs(v) < 1e4 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
