package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a training run on the terminal: a progress bar redrawn in place when {@code out} is a terminal, plain
 * lines every few steps otherwise (a log file or a pipe must not fill up with carriage returns).
 */
final class ProgressPrinter implements TrainingListener {
    private static final int BAR_WIDTH = 20;
    /** Redraw at most this often: the bar is for eyes, and printing costs time on the training thread. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean bar;
    private final int lineEvery;
    private long totalSteps;
    private int epochs;
    private long lastDraw;
    private boolean barDrawn;
    private int barLength;
    private double lossSum;
    private double accuracySum;
    private int count;
    private final int batchSize;
    private final LongSupplier clock;
    /**
     * Images trained so far (a step counts as a whole batch: an epoch's last, smaller one is counted high, once),
     * and at the start of the interval the shown speed is measured over.
     */
    private long images;
    private long markImages;
    private long markNanos;
    /** The bar's speed: over the last whole second (NaN before one has passed). */
    private double barRate = Double.NaN;

    /**
     * @param bar       redraw one line in place (a terminal) instead of printing a line every {@code lineEvery}
     * @param lineEvery steps between plain lines; 0 picks {@link #defaultInterval}
     * @param batchSize images per step, for the speed shown
     */
    ProgressPrinter(PrintStream out, boolean bar, int lineEvery, int batchSize) {
        this(out, bar, lineEvery, batchSize, System::nanoTime);
    }

    /** As above, with the clock the speed is measured by (tests). */
    ProgressPrinter(PrintStream out, boolean bar, int lineEvery, int batchSize, LongSupplier clock) {
        this.out = out;
        this.bar = bar;
        this.lineEvery = lineEvery;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /**
     * Images per second since the last mark, and a new mark. The speed shown is the recent one, not the run's
     * average: the average counts the first steps, which run while the JIT compiles the kernels (LeNet-5's first
     * epoch averaged ~11,000 images/s where its last steps ran at ~17,000), so it understated the speed all run long.
     */
    private double rateSinceMark(long now) {
        double seconds = (now - markNanos) / 1e9;
        double rate = seconds > 0 ? (images - markImages) / seconds : Double.NaN;
        markImages = images;
        markNanos = now;
        return rate;
    }

    @Override
    public void onEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.Started s) {
            markNanos = clock.getAsLong();
            totalSteps = s.totalSteps();
            epochs = s.epochs();
            out.printf(Locale.ROOT, "training %,d %s (%d %s of %,d %s) on %s%n", s.totalSteps(),
                    s.totalSteps() == 1 ? "step" : "steps", s.epochs(), s.epochs() == 1 ? "epoch" : "epochs",
                    s.stepsPerEpoch(), s.stepsPerEpoch() == 1 ? "batch" : "batches", s.device());
        } else if (event instanceof TrainingEvent.StepCompleted s) {
            step(s);
        } else if (event instanceof TrainingEvent.EpochCompleted e) {
            clearBar();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d: train loss %s",
                    e.epoch(), lossText(e.trainLoss())));
            if (!Double.isNaN(e.trainAccuracy())) {
                line.append(String.format(Locale.ROOT, ", train accuracy %.2f%%", 100 * e.trainAccuracy()));
            }
            if (e.test() != null) {
                line.append(String.format(Locale.ROOT, ", test accuracy %.2f%% (%d/%d)", 100 * e.test().accuracy(),
                        e.test().correct(), e.test().total()));
            }
            out.println(line);
        } else if (event instanceof TrainingEvent.Finished) {
            clearBar();
        }
    }

    private void step(TrainingEvent.StepCompleted s) {
        lossSum += s.loss();
        accuracySum += s.batchAccuracy();
        count++;
        images += batchSize;
        if (bar) {
            long now = clock.getAsLong();
            if (now - markNanos >= 1_000_000_000L) {
                barRate = rateSinceMark(now);
            }
            if (now - lastDraw >= REDRAW_NANOS || s.step() == totalSteps) {
                lastDraw = now;
                drawBar(s, Double.isNaN(barRate) ? s.imagesPerSecond() : barRate);
            }
            return;
        }
        int every = lineEvery > 0 ? lineEvery : defaultInterval(totalSteps);
        if (s.step() % every == 0 || s.step() == totalSteps) {
            double rate = rateSinceMark(clock.getAsLong());
            out.printf(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %s%s  %,.0f images/s%n", s.epoch(), epochs,
                    s.step(), totalSteps, lossText(lossSum / count), accuracyText(),
                    Double.isNaN(rate) ? s.imagesPerSecond() : rate);
            lossSum = accuracySum = count = 0;
        }
    }

    private void drawBar(TrainingEvent.StepCompleted s, double rate) {
        double fraction = totalSteps == 0 ? 1 : Math.min(1, (double) s.step() / totalSteps);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double acc = accuracySum / count;
        // kept under 80 columns: a wrapped line cannot be redrawn in place
        String line = String.format(Locale.ROOT, "[%s%s] %3.0f%% %sstep %d/%d loss %s%s %,.0f img/s",
                "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), 100 * fraction,
                epochs > 1 ? "epoch " + s.epoch() + "/" + epochs + " " : "", s.step(), totalSteps,
                lossText(lossSum / count), Double.isNaN(acc) ? "" : String.format(Locale.ROOT, " acc %.2f%%",
                        100 * acc), rate);
        // blank out what is left of a longer previous line
        out.print("\r" + line + " ".repeat(Math.max(0, barLength - line.length())));
        out.flush();
        barLength = line.length();
        barDrawn = true;
        // the bar shows the average since the last redraw, so the loss moves smoothly
        lossSum = accuracySum = count = 0;
    }

    /** About ten lines per run, at round step counts (1, 2, 5, 10, 20, 50 or 100). */
    static int defaultInterval(long totalSteps) {
        int every = 1;
        for (int nice : new int[] {2, 5, 10, 20, 50, 100}) {
            if (nice * 10L <= totalSteps) {
                every = nice;
            }
        }
        return every;
    }

    /** Four decimals, or scientific notation for a loss that is running away (lr too high). */
    static String lossText(double loss) {
        return String.format(Locale.ROOT, Math.abs(loss) < 1e4 ? "%.4f" : "%.3e", loss);
    }

    private String accuracyText() {
        double acc = accuracySum / count;
        return Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "  accuracy %5.2f%%", 100 * acc);
    }

    private void clearBar() {
        if (barDrawn) {
            out.println();
            barDrawn = false;
            barLength = 0;
        }
    }
}
