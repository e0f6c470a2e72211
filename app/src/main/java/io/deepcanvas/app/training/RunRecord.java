package io.deepcanvas.app.training;

import io.deepcanvas.engine.io.Project;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One training run as the run history keeps it: the project as it was trained (network and settings), how the run
 * ended, every step's loss and batch accuracy, the test measurements, the epoch ends and the learning-rate changes.
 * Made once on the trainer thread when the run ends, or read back from its folder beside the project; the arrays
 * are never changed after that.
 *
 * @param id the run's folder name, unique beside the project ({@code run-20261204-214005})
 * @param project the network and training settings the run used
 * @param outcome {@code COMPLETED}, {@code CANCELLED} (stopped), {@code DIVERGED} or {@code FAILED}
 * @param loss the loss of step {@code i + 1} at {@code i}
 * @param accuracy the batch accuracy of step {@code i + 1} at {@code i} (NaN for a regression loss)
 * @param epochOfStep the epoch (1-based) step {@code i + 1} belongs to
 * @param network the trained weights while this session holds them (null once read back from disk: they are in
 *                {@link #weightsFile()} then)
 * @param folder where the run is kept beside the project; null until the project has a file
 */
public record RunRecord(String id, Instant started, Project project, String outcome, Duration elapsed, String device,
                        float[] loss, float[] accuracy, int[] epochOfStep, List<TrainingViewModel.TestPoint> tests,
                        List<TrainingViewModel.EpochMark> epochs, List<TrainingViewModel.LearningRateMark> lrChanges,
                        TrainedNetwork network, Path folder) {
    public static final String WEIGHTS = "weights.safetensors";

    public RunRecord {
        tests = List.copyOf(tests);
        epochs = List.copyOf(epochs);
        lrChanges = List.copyOf(lrChanges);
    }

    /** One run is one run wherever it is kept (in memory, beside the project, beside a copy): equal by its id. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RunRecord r && r.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "RunRecord[" + id + ", " + outcome + ", " + loss.length + " steps" + (folder == null ? "" : ", " + folder)
                + "]";
    }

    /** Optimizer steps the run took. */
    public int steps() {
        return loss.length;
    }

    /**
     * The same run kept in {@code folder}, its weights there: the network is let go, so a long session does not
     * hold every run's module in memory.
     */
    public RunRecord inFolder(Path folder) {
        return new RunRecord(id, started, project, outcome, elapsed, device, loss, accuracy, epochOfStep, tests,
                epochs, lrChanges, null, folder);
    }

    /** Whether the run ended with weights to use: completed or stopped, not diverged or failed. */
    public boolean leftWeights() {
        return outcome.equals(io.deepcanvas.engine.train.TrainingEvent.Reason.COMPLETED.name())
                || outcome.equals(io.deepcanvas.engine.train.TrainingEvent.Reason.CANCELLED.name());
    }

    /** The weights file in the run's folder, or null while it has none. */
    public Path weightsFile() {
        return folder == null ? null : folder.resolve(WEIGHTS);
    }

    /**
     * The best test measurement: the highest accuracy (the lowest loss among equals, and for a regression loss);
     * null when the run measured none.
     */
    public TrainingViewModel.TestPoint best() {
        return best(tests);
    }

    static TrainingViewModel.TestPoint best(List<TrainingViewModel.TestPoint> tests) {
        TrainingViewModel.TestPoint best = null;
        for (TrainingViewModel.TestPoint t : tests) {
            if (best == null || better(t, best)) {
                best = t;
            }
        }
        return best;
    }

    private static boolean better(TrainingViewModel.TestPoint a, TrainingViewModel.TestPoint b) {
        boolean accuracies = !Double.isNaN(a.accuracy()) && !Double.isNaN(b.accuracy());
        if (accuracies && a.accuracy() != b.accuracy()) {
            return a.accuracy() > b.accuracy();
        }
        return Double.isFinite(a.loss()) && (!Double.isFinite(b.loss()) || a.loss() < b.loss());
    }

    /** The last test measurement, or null. */
    public TrainingViewModel.TestPoint last() {
        return tests.isEmpty() ? null : tests.get(tests.size() - 1);
    }

    /** The learning rate step {@code step} (1-based) trained with. */
    public double learningRateAt(long step) {
        double lr = project.training().optimizer().lr();
        for (TrainingViewModel.LearningRateMark m : lrChanges) {
            if (m.step() <= step) {
                lr = m.to();
            }
        }
        return lr;
    }

    /** The epochs the run finished (or reached, when it ended inside one). */
    public int epochsReached() {
        return epochOfStep.length == 0 ? 0 : epochOfStep[epochOfStep.length - 1];
    }
}
