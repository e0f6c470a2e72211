package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.AnimationTimer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Train (F5) until the training panels exist: compiles the project's graph, trains it with the engine's
 * {@link Trainer} on the trainer's own thread, and reports progress as one line for the status bar. The trainer
 * thread only stores the newest event; an {@link AnimationTimer} shows it at most once a frame, so a fast run can
 * never flood the FX thread. Data loading and compilation happen on a background thread too.
 */
public final class TrainingRunner {
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final AtomicReference<TrainingEvent> latest = new AtomicReference<>();
    /** Kept apart from {@link #latest} so that the steps after an epoch cannot hide its test accuracy. */
    private final AtomicReference<TrainingEvent.EpochCompleted> lastEpoch = new AtomicReference<>();
    private volatile Trainer trainer;
    private volatile boolean stopRequested;
    private String projectName = "";
    private final AnimationTimer pump = new AnimationTimer() {
        @Override
        public void handle(long now) {
            TrainingEvent.EpochCompleted ec = lastEpoch.getAndSet(null);
            if (ec != null) {
                show(ec);
            }
            TrainingEvent e = latest.getAndSet(null);
            if (e != null) {
                show(e);
            }
        }
    };

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** One line about the run, for the status bar. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /**
     * Starts training a snapshot of {@code project}. Returns a reason (for the status bar) when it cannot start: a
     * run is going, or the network has problems.
     */
    public String start(Project project) {
        if (running.get()) {
            return null;
        }
        ShapeReport report = ShapeInference.infer(project.graph());
        if (!report.isValid()) {
            return I18n.text("status.trainingInvalid", report.problems().get(0).message());
        }
        projectName = project.name();
        stopRequested = false;
        lastTest = "";
        epochs = project.training().epochs();
        latest.set(null);
        lastEpoch.set(null);
        running.set(true);
        status.set(I18n.text("status.trainingStarting"));
        pump.start();
        Thread t = new Thread(() -> run(project, report), "deepcanvas-training-setup");
        t.setDaemon(true);
        t.start();
        return null;
    }

    /** Stops after the current step. */
    public void stop() {
        stopRequested = true;
        Trainer tr = trainer;
        if (tr != null) {
            tr.cancel();
        }
    }

    /** On the trainer thread: keep the newest event for the next frame, and the end for sure. */
    private void record(TrainingEvent e) {
        if (e instanceof TrainingEvent.EpochCompleted ec) {
            lastEpoch.set(ec);
        } else if (!(latest.get() instanceof TrainingEvent.Finished)) {
            latest.set(e);
        }
    }

    private void run(Project project, ShapeReport report) {
        try {
            TrainingSettings s = project.training();
            Tensor.manualSeed(s.seed());
            GraphModule model = GraphCompiler.compile(report, project.name().replaceAll("[^A-Za-z0-9_]", ""));
            Transform transform = TrainingRecipe.transform(s);
            Mnist train = new Mnist(Mnist.sampleDataFolder(), true, transform);
            Mnist test = new Mnist(Mnist.sampleDataFolder(), false, transform);
            DataLoader trainLoader = DataLoader.builder(train).batchSize(s.batchSize()).shuffle(s.shuffle())
                    .seed(s.seed()).build();
            DataLoader testLoader = DataLoader.builder(test).batchSize(1000).build();
            Trainer tr = Trainer.builder(model, TrainingRecipe.loss(s.loss()),
                            TrainingRecipe.optimizer(s.optimizer(), null, model), trainLoader)
                    .epochs(s.epochs()).testLoader(testLoader).logEvery(20).listener(this::record).build();
            trainer = tr;
            if (stopRequested) {
                tr.cancel();
            }
            latest.set(tr.runOnCallerThread());
        } catch (RuntimeException | Error e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            latest.set(new TrainingEvent.Finished(TrainingEvent.Reason.FAILED, msg, 0, java.time.Duration.ZERO, e));
        }
    }

    private long totalSteps;
    private int epochs;
    private int stepsPerEpoch;
    private String lastTest = "";

    private void show(TrainingEvent e) {
        if (e instanceof TrainingEvent.Started s) {
            totalSteps = s.totalSteps();
            epochs = s.epochs();
            stepsPerEpoch = s.stepsPerEpoch();
        } else if (e instanceof TrainingEvent.Logged l) {
            status.set(I18n.text("status.training", projectName, l.epoch(), epochs, l.step(), l.totalSteps(),
                    String.format(Locale.ROOT, "%.4f", l.meanLoss()), percent(l.meanAccuracy())));
        } else if (e instanceof TrainingEvent.StepCompleted st) {
            status.set(I18n.text("status.training", projectName, st.epoch(), epochs, st.step(), totalSteps,
                    String.format(Locale.ROOT, "%.4f", st.loss()), percent(st.batchAccuracy())));
        } else if (e instanceof TrainingEvent.EpochCompleted ec && ec.test() != null) {
            lastTest = I18n.text("status.testAccuracy", percent(ec.test().accuracy()));
        } else if (e instanceof TrainingEvent.Finished f) {
            pump.stop();
            trainer = null;
            running.set(false);
            String detail = f.succeeded() && !lastTest.isEmpty() ? lastTest : f.message();
            status.set(I18n.text(switch (f.reason()) {
                case COMPLETED -> "status.trainingDone";
                case CANCELLED -> "status.trainingStopped";
                default -> "status.trainingFailed";
            }, detail));
        }
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    int stepsPerEpoch() {
        return stepsPerEpoch;
    }
}
