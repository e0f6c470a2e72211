package io.deepcanvas.app.training;

import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.train.TrainingEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every step of a run for its {@link RunRecord}, on the trainer thread: the live panels may drop per-step
 * events when the FX thread is busy, the history must not. Three numbers per step in growing arrays (a 20-epoch
 * LeNet-5 run is 19k steps, 230 KB), so recording costs the training nothing measurable.
 */
final class RunRecorder {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("'run-'yyyyMMdd-HHmmss")
            .withZone(ZoneId.systemDefault());
    /** Every id this process gave a run: two short runs can start within one second, and a run's id is its folder. */
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    private final Project project;
    private final Instant started = Instant.now();
    private float[] loss = new float[1024];
    private float[] accuracy = new float[1024];
    private int[] epoch = new int[1024];
    private int steps;
    private String device = "";
    private final List<TrainingViewModel.TestPoint> tests = new ArrayList<>();
    private final List<TrainingViewModel.EpochMark> epochs = new ArrayList<>();
    private final List<TrainingViewModel.LearningRateMark> lrChanges = new ArrayList<>();

    RunRecorder(Project project) {
        this.project = project;
    }

    /** On the trainer thread, for every event of the run. */
    void on(TrainingEvent e) {
        if (e instanceof TrainingEvent.StepCompleted s) {
            // steps count from 1 without gaps; a step seen again (a resumed divergence) overwrites its slot
            int at = (int) s.step() - 1;
            if (at < 0) {
                return;
            }
            if (at >= loss.length) {
                int n = Math.max(at + 1, loss.length * 2);
                loss = Arrays.copyOf(loss, n);
                accuracy = Arrays.copyOf(accuracy, n);
                epoch = Arrays.copyOf(epoch, n);
            }
            loss[at] = s.loss();
            accuracy[at] = s.batchAccuracy();
            epoch[at] = s.epoch();
            steps = Math.max(steps, at + 1);
        } else if (e instanceof TrainingEvent.Started s) {
            device = s.device();
        } else if (e instanceof TrainingEvent.EpochCompleted ec) {
            epochs.add(new TrainingViewModel.EpochMark(ec.epoch(), steps));
            if (ec.test() != null) {
                tests.add(new TrainingViewModel.TestPoint(ec.epoch(), steps, ec.test().meanLoss(),
                        accuracyOf(ec.test().accuracy())));
            }
        } else if (e instanceof TrainingEvent.Evaluated ev) {
            tests.add(new TrainingViewModel.TestPoint(ev.epoch(), ev.step(), ev.test().meanLoss(),
                    accuracyOf(ev.test().accuracy())));
        } else if (e instanceof TrainingEvent.LearningRateChanged lr) {
            lrChanges.add(new TrainingViewModel.LearningRateMark(lr.step(), lr.oldLr(), lr.newLr()));
        }
    }

    /** "run-20261205-033600", or "run-20261205-033600-2" for the second run started in that second. */
    static String uniqueId(Instant started) {
        String base = ID.format(started);
        String id = base;
        for (int i = 2; !ISSUED.add(id); i++) {
            id = base + "-" + i;
        }
        return id;
    }

    /** A regression loss measures no accuracy: its batch accuracies are NaN, and so is the test one then. */
    private double accuracyOf(double testAccuracy) {
        return steps > 0 && Float.isNaN(accuracy[steps - 1]) ? Double.NaN : testAccuracy;
    }

    /** The run as the history keeps it, or null when it took no step (nothing to keep). */
    RunRecord finish(TrainingEvent.Reason reason, Duration elapsed, TrainedNetwork network) {
        if (steps == 0) {
            return null;
        }
        return new RunRecord(uniqueId(started), started, project, reason.name(), elapsed, device,
                Arrays.copyOf(loss, steps), Arrays.copyOf(accuracy, steps), Arrays.copyOf(epoch, steps), tests,
                epochs, lrChanges, network, null);
    }
}
