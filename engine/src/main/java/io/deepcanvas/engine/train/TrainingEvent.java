package io.deepcanvas.engine.train;

import io.deepcanvas.engine.tensor.Shape;
import java.time.Duration;
import java.util.Map;

/**
 * What a {@link Trainer} reports, as immutable values that are safe to hand to another thread (the editor's
 * panels, the CLI's progress bar, a metrics file).
 */
public sealed interface TrainingEvent {

    /** Training begins: the plan, in epochs and optimizer steps. */
    record Started(int epochs, int stepsPerEpoch, long totalSteps, String device) implements TrainingEvent {
    }

    /** One optimizer step finished. {@code batchAccuracy} is NaN when the loss is not a classification loss. */
    record StepCompleted(int epoch, long step, int batchInEpoch, float loss, float batchAccuracy,
                         double imagesPerSecond) implements TrainingEvent {
    }

    /**
     * Loss and batch accuracy averaged over the last {@code logEvery} steps (accuracy NaN for a non-classification
     * loss), and the training throughput over those steps.
     */
    record Logged(int epoch, long step, long totalSteps, double meanLoss, double meanAccuracy,
                  double imagesPerSecond) implements TrainingEvent {
    }

    /** The model measured on the test loader in the middle of an epoch ({@code evaluateEvery}). */
    record Evaluated(int epoch, long step, Evaluation test) implements TrainingEvent {
    }

    /** Mean absolute gradient and L2 norm of every parameter, by PyTorch name, after a backward pass. */
    record GradientStats(long step, Map<String, GradientMagnitude> byParameter) implements TrainingEvent {
    }

    /** Magnitudes of one parameter's gradient. */
    record GradientMagnitude(double meanAbs, double norm) {
    }

    /** A copy of a convolution layer's weights ([out, in, kH, kW]) to draw its filters. */
    record FilterSnapshot(long step, String parameter, Shape shape, float[] weights) implements TrainingEvent {
    }

    /** An epoch ended; {@code test} is null when no test loader was given. */
    record EpochCompleted(int epoch, double trainLoss, double trainAccuracy, Evaluation test)
            implements TrainingEvent {
    }

    /**
     * Training stopped, for the given reason; {@code message} says why in the user's words. {@code cause} is the
     * exception behind a {@link Reason#FAILED} run (null otherwise), for a debug view; it is not logged, so that a
     * command line can show one clean line.
     */
    record Finished(Reason reason, String message, long steps, Duration elapsed, Throwable cause)
            implements TrainingEvent {
        public Finished(Reason reason, String message, long steps, Duration elapsed) {
            this(reason, message, steps, elapsed, null);
        }

        public boolean succeeded() {
            return reason == Reason.COMPLETED;
        }
    }

    /** Why training stopped. */
    enum Reason {
        COMPLETED, CANCELLED, DIVERGED, FAILED
    }
}
