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

    /**
     * Gradient magnitudes of every parameter, by PyTorch name in registration order, after a backward pass and
     * before the optimizer step it feeds.
     */
    record GradientStats(long step, Map<String, GradientMagnitude> byParameter) implements TrainingEvent {
    }

    /**
     * One parameter's figures at a step: the mean absolute value and L2 norm of its gradient, the L2 norm of the
     * parameter itself, and the update-to-weight ratio ‖lr·grad‖ / ‖w‖ of Karpathy's training diagnostics (about
     * 1e-3 is healthy; far below, the layer barely learns; far above, it is unstable). The ratio is the plain
     * gradient step, for any optimizer: Adam's and momentum's real updates are scaled differently. It is infinite
     * when the weights are all zero (NaN when the gradient is too).
     */
    record GradientMagnitude(double meanAbs, double norm, double weightNorm, double updateToWeightRatio) {
        /** Only the gradient's figures: the weight norm and the ratio are NaN (unknown). */
        public GradientMagnitude(double meanAbs, double norm) {
            this(meanAbs, norm, Double.NaN, Double.NaN);
        }
    }

    /**
     * The learning rate changed between two steps ({@link Trainer#setLearningRate}); {@code step} is the first step
     * whose update uses {@code newLr}, where a chart marks the change.
     */
    record LearningRateChanged(long step, double oldLr, double newLr) implements TrainingEvent {
    }

    /**
     * The loss became NaN or infinite at {@code step}, or a gradient did under a finite {@code loss} (seen on steps
     * that compute {@link GradientStats}; on others, by the next step's loss: checking every gradient every step
     * would cost a pass over them). That step's update was not applied. Next the run either pauses
     * ({@code pauseOnDivergence}; once resumed, its next step reuses the number) or finishes with
     * {@link Reason#DIVERGED}.
     *
     * <p>{@code parameter} is the one to blame, by PyTorch name: the first, in registration (forward) order, whose
     * weights are already non-finite, else the first whose gradient is non-finite; null when all are finite (only
     * the loss overflowed). {@code layer} is its module's name ({@code fc1.weight} → {@code fc1}; "" for the model's
     * own parameters), null with it. Backpropagation carries a non-finite gradient into every layer before the one
     * where it arose, so a NaN loss, which makes every gradient NaN, names the first layer.
     */
    record Diverged(int epoch, long step, float loss, String parameter, String layer) implements TrainingEvent {
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
