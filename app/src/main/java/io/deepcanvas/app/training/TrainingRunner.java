package io.deepcanvas.app.training;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Subset;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.RunWarmup;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One training run of a project, entirely off the FX thread: compiles the graph, loads MNIST, builds the engine's
 * {@link Trainer} and runs it on its own thread, handing every event to a sink (the view-model's queue). No
 * JavaFX here: it can run and be tested anywhere.
 *
 * <p>The trainer pauses when the loss diverges ({@code pauseOnDivergence}), so the user can lower the learning rate
 * and resume. What the panels need besides the engine's events is made here, on the trainer thread between two
 * steps (where the trainer's listeners run and the model is consistent): copies of every Conv2d layer's weights a
 * few times a second (the engine's own snapshot covers the first convolution only). Only such small values cross
 * to the FX thread.
 */
final class TrainingRunner {
    /** Mean loss and accuracy every this many steps (for images/s over an interval). */
    static final int LOG_EVERY = 20;
    /** Gradient norms every this many steps: a pass over every gradient costs a copy, so not every step. */
    static final int GRADIENT_EVERY = 10;
    /** Filter copies at most this often. */
    static final long FILTER_INTERVAL_NANOS = 250_000_000L;
    static final int TEST_BATCH = 1000;

    private final Project project;
    private final ShapeReport report;
    private final RunLimits limits;
    private final Consumer<Object> sink;
    private volatile Trainer trainer;
    private volatile boolean stopRequested;
    private volatile boolean pauseRequested;
    /** A learning rate asked for before the trainer existed. */
    private final AtomicReference<Double> pendingLearningRate = new AtomicReference<>();

    // trainer thread only
    private volatile GraphModule module;
    private long lastFilters;
    /** The run's end, held back until the trainer has returned and the module may change hands. */
    private TrainingEvent.Finished finished;
    /** Every step for the run history, whatever the panels' queue drops. */
    private final RunRecorder recorder;

    TrainingRunner(Project project, ShapeReport report, RunLimits limits, Consumer<Object> sink) {
        this.project = project;
        this.report = report;
        this.limits = limits;
        this.sink = sink;
        this.recorder = new RunRecorder(project);
    }

    void start() {
        Thread t = new Thread(this::run, "deepcanvas-trainer");
        t.setDaemon(true);
        t.start();
    }

    void pause() {
        pauseRequested = true;
        Trainer t = trainer;
        if (t != null) {
            t.pause();
        }
    }

    void resume() {
        pauseRequested = false;
        Trainer t = trainer;
        if (t != null) {
            t.resume();
        }
    }

    /** Stops before the next step; the run ends with {@link TrainingEvent.Reason#CANCELLED}. */
    void stop() {
        stopRequested = true;
        Trainer t = trainer;
        if (t != null) {
            t.cancel();
        }
    }

    /**
     * Uses {@code lr} from the next step on; the engine announces it with {@link
     * TrainingEvent.LearningRateChanged}. Throws {@link IllegalArgumentException} for a value that is not a finite
     * number > 0.
     */
    void setLearningRate(double lr) {
        Trainer t = trainer;
        if (t != null) {
            t.setLearningRate(lr);
            return;
        }
        if (!(lr > 0) || !Double.isFinite(lr) || !((float) lr > 0f) || Float.isInfinite((float) lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        pendingLearningRate.set(lr);
        t = trainer;
        if (t != null && pendingLearningRate.compareAndSet(lr, null)) {
            t.setLearningRate(lr);
        }
    }

    private void run() {
        Device device = Device.CPU;
        try {
            TrainingSettings s = project.training();
            // the project's device, as 'deepcanvas train' reads it: auto takes an OpenCL GPU when there is one (found
            // here, off the FX thread); opencl asked for by name and not usable fails the run with its one line
            device = Device.select(s.device()).device();
        } catch (RuntimeException | LinkageError e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            sink.accept(new TrainingEvent.Finished(TrainingEvent.Reason.FAILED, msg, 0, Duration.ZERO, e));
            return;
        }
        // the run's tensors (parameters, optimizer state) are made on that device; only this thread runs the module
        try (Device.Scope ignored = Device.use(device)) {
            runOn(device);
        } finally {
            device.releaseUnused();
        }
    }

    private void runOn(Device device) {
        try {
            TrainingSettings s = project.training();
            String className = project.name().replaceAll("[^A-Za-z0-9_]", "");
            Tensor.manualSeed(s.seed());
            module = GraphCompiler.compile(report, className);
            Optimizer<?> optimizer = TrainingRecipe.optimizer(s.optimizer(), null, module);
            // the JIT compiles this network's kernels on a copy while MNIST is read, so the first steps the panels show
            // run at full speed; the launch warm-up covers the tutorial networks only (the run's results do not change)
            RunWarmup.InBackground warmup = device.equals(Device.CPU) && RunWarmup.wanted(s.batchSize())
                    ? RunWarmup.start(
                    () -> GraphCompiler.compile(report, className),
                    copy -> TrainingRecipe.optimizer(s.optimizer(), null, copy), TrainingRecipe.loss(s.loss()),
                    RunWarmup.randomBatch(report.outputShape(report.inputId()),
                            report.outputShape(report.outputId()).numel(), s.batchSize()),
                    RunWarmup.LIMIT, () -> stopRequested) : null;
            Transform transform;
            DataLoader trainLoader, testLoader;
            boolean dataRead = false;
            try {
                transform = TrainingRecipe.transform(s);
                Dataset train = limit(new Mnist(Mnist.sampleDataFolder(), true, transform), limits.trainImages());
                Dataset test = limit(new Mnist(Mnist.sampleDataFolder(), false, transform), limits.testImages());
                trainLoader = DataLoader.builder(train).batchSize(s.batchSize()).shuffle(s.shuffle()).seed(s.seed())
                        .build();
                testLoader = DataLoader.builder(test).batchSize(TEST_BATCH).build();
                dataRead = true;
            } finally {
                // until it has ended the warm-up draws from the default generator; a failed read ends it at once
                if (warmup != null) {
                    if (!dataRead) {
                        warmup.stop();
                    }
                    warmup.await();
                }
            }
            Trainer.Builder b = Trainer.builder(module, TrainingRecipe.loss(s.loss()), optimizer, trainLoader)
                    .epochs(s.epochs()).testLoader(testLoader).logEvery(LOG_EVERY)
                    .gradientStatsEvery(GRADIENT_EVERY).pauseOnDivergence(true).listener(this::onEvent);
            if (limits.maxSteps() > 0) {
                b.maxSteps(limits.maxSteps());
            }
            Trainer tr = b.build();
            trainer = tr;
            Double lr = pendingLearningRate.getAndSet(null);
            if (lr != null) {
                tr.setLearningRate(lr);
            }
            // a pause or stop asked for while the data loaded
            if (pauseRequested) {
                tr.pause();
            }
            if (stopRequested) {
                tr.cancel();
            }
            tr.runOnCallerThread();
            // the trainer no longer touches the module: hand it over, then say the run ended
            TrainingEvent.Finished end = finished;
            finished = null;
            TrainedNetwork trained = null;
            if (end != null && (end.reason() == TrainingEvent.Reason.COMPLETED
                    || end.reason() == TrainingEvent.Reason.CANCELLED)) {
                trained = new TrainedNetwork(module, transform, report.outputShape(report.inputId()),
                        project.name(), end.steps());
                sink.accept(trained);
            }
            if (end != null) {
                record(end.reason(), end.elapsed(), trained);
                sink.accept(end);
            }
        } catch (RuntimeException | Error e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            record(TrainingEvent.Reason.FAILED, Duration.ZERO, null);
            sink.accept(new TrainingEvent.Finished(TrainingEvent.Reason.FAILED, msg, 0, Duration.ZERO, e));
        }
    }

    /** The run for the history, before its end is announced (nothing when it took no step). */
    private void record(TrainingEvent.Reason reason, Duration elapsed, TrainedNetwork trained) {
        RunRecord r = recorder.finish(reason, elapsed, trained);
        if (r != null) {
            sink.accept(r);
        }
    }

    private static Dataset limit(Dataset d, int n) {
        return n > 0 && n < d.size() ? Subset.first(d, n) : d;
    }

    /** On the trainer thread, between steps. */
    private void onEvent(TrainingEvent e) {
        recorder.on(e);
        if (e instanceof TrainingEvent.Finished f) {
            snapshotFilters(f.steps());
            finished = f;
            return;
        }
        sink.accept(e);
        if (e instanceof TrainingEvent.Started) {
            snapshotFilters(0);
        } else if (e instanceof TrainingEvent.StepCompleted st
                && System.nanoTime() - lastFilters >= FILTER_INTERVAL_NANOS) {
            snapshotFilters(st.step());
        }
    }

    /** Copies every convolution's weights ([out, in, kH, kW]) for the filter gallery. */
    private void snapshotFilters(long step) {
        lastFilters = System.nanoTime();
        if (module == null) {
            return;
        }
        for (Map.Entry<String, Parameter> p : module.namedParameters().entrySet()) {
            if (p.getValue().dim() == 4) {
                sink.accept(new TrainingEvent.FilterSnapshot(step, p.getKey(), p.getValue().shape(),
                        p.getValue().toArray()));
            }
        }
    }
}
