package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.train.TrainingEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyMapProperty;
import javafx.beans.property.ReadOnlyMapWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * The training panels' view-model: Train / Pause / Resume / Stop and the learning rate as commands, and everything
 * the panels show as read-only properties, lists and decimated series, fed by the engine's events. It knows no
 * controls (no {@code javafx.scene}), so tests feed it events and read it back without the FX thread.
 *
 * <p>The path of an event: the trainer thread calls {@link #offer} (never blocks: a bounded queue that drops the
 * oldest per-step event when full, never a milestone) → every {@link #DRAIN_INTERVAL_NANOS}, and at once for a
 * milestone or a half-full queue, {@link #drain()} on the FX thread applies the queued events to plain fields and
 * series, then publishes the properties once and ticks {@link #revisionProperty()} when the curves changed (at most
 * every {@link #CHART_INTERVAL_NANOS}), so each chart redraws at most once per drain, a few times a second.
 */
public final class TrainingViewModel {
    /** Below this gradient norm a layer counts as vanishing. */
    public static final double VANISHING = 1e-7;
    /** Above this gradient norm (or not finite) a layer counts as exploding. */
    public static final double EXPLODING = 1e3;
    /** Points kept per curve, however long the run. */
    public static final int MAX_POINTS = 2000;
    /** Weight of the moving average drawn over the per-batch curves ({@link Ema}: debiased, as TensorBoard's). */
    public static final double SMOOTHING = 0.95;
    /**
     * The numbers update at most this often (4 times a second): smooth to watch, cheap for the training. Measured
     * with {@code deepcanvas bench-panels} on 2 cores: at 10 a second the window took 0.21 s of CPU per LeNet-5 epoch
     * and the run was 10% slower than headless; at 4, 0.15 s and 4%.
     */
    public static final long DRAIN_INTERVAL_NANOS = 250_000_000L;
    /**
     * The charts redraw at most this often (4 times a second): drawing them is the panels' main cost, and on a
     * machine without a GPU the rendering competes with the training for the cores.
     */
    public static final long CHART_INTERVAL_NANOS = 250_000_000L;
    static final int QUEUE_CAPACITY = 8192;
    /** A chart redraw may come this much early (the timer's jitter, or a milestone's frame) and still happen. */
    private static final long CHART_SLACK_NANOS = 50_000_000L;

    /** Where a run stands. */
    public enum State {
        /** No run yet. */
        IDLE,
        /** Compiling the graph and loading the data. */
        PREPARING,
        RUNNING,
        PAUSED,
        /** The loss became NaN or infinite; {@link #divergenceProperty()} says where. */
        DIVERGED,
        COMPLETED,
        STOPPED,
        FAILED
    }

    /** A layer's gradient health, by its latest gradient norms. */
    public enum GradientHealth {
        OK, VANISHING, EXPLODING
    }

    /** The end of an epoch, at optimizer step {@code step}. */
    public record EpochMark(int epoch, long step) {
    }

    /** A measurement on the test set after {@code step} (NaN accuracy for a regression loss). */
    public record TestPoint(int epoch, long step, double loss, double accuracy) {
    }

    /** The learning rate changed from {@code from} to {@code to}; {@code step} is the first step that uses it. */
    public record LearningRateMark(long step, double from, double to) {
    }

    /**
     * The loss became {@code loss} (NaN or infinite) at {@code step}; {@code parameter} ({@code conv1.weight}) of
     * layer {@code layer} blew up first, the editor node {@code nodeId} (either may be null when unknown).
     * {@code paused}: the run waits to be resumed or stopped; otherwise it ended.
     */
    public record Divergence(int epoch, long step, double loss, String parameter, String layer, String nodeId,
                             boolean paused) {
    }

    private final EditorModel editor;
    private final FramePump pump;
    private RunLimits limits = RunLimits.fromSystemProperties();
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private TrainingRunner runner;
    private String projectName = "";
    private long lastCharts;
    /** Whether this drain may tick {@link #revision} (always, unless the frame pump holds the charts back). */
    private boolean chartsDue = true;

    // ---- published state ------------------------------------------------------------------------------------
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyObjectWrapper<TrainingSettings> settings = new ReadOnlyObjectWrapper<>(this, "settings");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device", "");
    private final ReadOnlyIntegerWrapper epoch = new ReadOnlyIntegerWrapper(this, "epoch");
    private final ReadOnlyIntegerWrapper epochs = new ReadOnlyIntegerWrapper(this, "epochs");
    private final ReadOnlyLongWrapper step = new ReadOnlyLongWrapper(this, "step");
    private final ReadOnlyLongWrapper totalSteps = new ReadOnlyLongWrapper(this, "totalSteps");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyDoubleWrapper imagesPerSecond = new ReadOnlyDoubleWrapper(this, "imagesPerSecond",
            Double.NaN);
    private final ReadOnlyObjectWrapper<Duration> timeLeft = new ReadOnlyObjectWrapper<>(this, "timeLeft");
    private final ReadOnlyDoubleWrapper learningRate = new ReadOnlyDoubleWrapper(this, "learningRate", Double.NaN);
    private final ReadOnlyDoubleWrapper loss = new ReadOnlyDoubleWrapper(this, "loss", Double.NaN);
    private final ReadOnlyDoubleWrapper accuracy = new ReadOnlyDoubleWrapper(this, "accuracy", Double.NaN);
    private final ReadOnlyDoubleWrapper testAccuracy = new ReadOnlyDoubleWrapper(this, "testAccuracy", Double.NaN);
    private final ReadOnlyDoubleWrapper testLoss = new ReadOnlyDoubleWrapper(this, "testLoss", Double.NaN);
    private final ReadOnlyObjectWrapper<Divergence> divergence = new ReadOnlyObjectWrapper<>(this, "divergence");
    private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper(this, "failure");
    private final ReadOnlyObjectWrapper<TrainedNetwork> trainedNetwork = new ReadOnlyObjectWrapper<>(this,
            "trainedNetwork");
    /** The layers and connections {@link #trainedNetwork} was made for ({@link #networkOf}). */
    private String trainedSignature = "";
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyObjectWrapper<RunRecord> finishedRun = new ReadOnlyObjectWrapper<>(this, "finishedRun");
    private final ReadOnlyObjectWrapper<RunRecord> shownRun = new ReadOnlyObjectWrapper<>(this, "shownRun");
    private final ReadOnlyObjectWrapper<RunRecord> comparedRun = new ReadOnlyObjectWrapper<>(this, "comparedRun");
    private RunCurves comparedCurves;
    private final ReadOnlyMapWrapper<String, GradientHealth> health = new ReadOnlyMapWrapper<>(this,
            "gradientHealth", FXCollections.observableHashMap());
    private final ObservableList<EpochMark> epochMarks = FXCollections.observableArrayList();
    private final ObservableList<TestPoint> testPoints = FXCollections.observableArrayList();
    private final ObservableList<LearningRateMark> learningRateMarks = FXCollections.observableArrayList();
    private final ObservableMap<String, TrainingEvent.FilterSnapshot> filters =
            FXCollections.observableMap(new LinkedHashMap<>());
    // read-only views made once: a view listens to its list weakly, so one made per call could lose its listeners
    private final ObservableList<EpochMark> epochMarksView = FXCollections.unmodifiableObservableList(epochMarks);
    private final ObservableList<TestPoint> testPointsView = FXCollections.unmodifiableObservableList(testPoints);
    private final ObservableList<LearningRateMark> learningRateMarksView =
            FXCollections.unmodifiableObservableList(learningRateMarks);
    private final ObservableMap<String, TrainingEvent.FilterSnapshot> filtersView =
            FXCollections.unmodifiableObservableMap(filters);

    // ---- curves (FX thread) ----------------------------------------------------------------------------------
    private final DecimatedSeries lossSeries = new DecimatedSeries(MAX_POINTS);
    private final DecimatedSeries smoothedLoss = new DecimatedSeries(MAX_POINTS);
    private final DecimatedSeries accuracySeries = new DecimatedSeries(MAX_POINTS);
    private final DecimatedSeries smoothedAccuracy = new DecimatedSeries(MAX_POINTS);
    private final Map<String, DecimatedSeries> gradients = new LinkedHashMap<>();
    private final Map<String, DecimatedSeries> updateRatios = new LinkedHashMap<>();
    private final Ema lossEma = Ema.ofLoss(SMOOTHING);
    private final Ema accuracyEma = Ema.ofAccuracy(SMOOTHING);

    // ---- what the drained events leave, published at the end of a drain -------------------------------------
    private Run run = new Run();
    private String runSignature = "";
    private double lastSmoothedLoss = Double.NaN;
    private double lastSmoothedAccuracy = Double.NaN;
    private final Map<String, String> nodeByLabel = new HashMap<>();
    private final Map<String, TrainingEvent.FilterSnapshot> newFilters = new LinkedHashMap<>();
    private final Map<String, GradientHealth> newHealth = new HashMap<>();

    /** The numbers of the run in progress, as the drained events left them. */
    private static final class Run {
        State state = State.IDLE;
        int epoch;
        int epochs;
        long step;
        long totalSteps;
        double imagesPerSecond = Double.NaN;
        double lastLoss = Double.NaN;
        double lastAccuracy = Double.NaN;
        double learningRate = Double.NaN;
        String device = "";
        String lastTest = "";
        /** The runner's module once the trainer let go of it (a run that completed or was stopped). */
        TrainedNetwork trained;
        /** The run as the history keeps it, once it ended. */
        RunRecord record;
        boolean curvesChanged;
        boolean finished;
    }

    public TrainingViewModel(EditorModel editor) {
        // a tick per drain; a milestone or a half-full queue wakes the pump at once (offer). It used to tick every
        // 50 ms to look for them, waking two threads 20 times a second next to the training for 4 drains
        this(editor, FramePump.ticker(DRAIN_INTERVAL_NANOS / 1_000_000L));
    }

    /** A view-model drained by {@code pump} ({@link FramePump#manual()} in tests, which call {@link #drain()}). */
    public TrainingViewModel(EditorModel editor, FramePump pump) {
        this.editor = editor;
        this.pump = pump;
        settings.set(editor.training());
        learningRate.set(editor.training().optimizer().lr());
        // the panel shows the project's settings until a run starts, then those of the run
        editor.revisionProperty().addListener((o, a, b) -> {
            if (!running.get()) {
                // the last run's tints describe a network that has just changed
                health.clear();
                // its weights too, unless only positions changed (a move ticks the revision as well)
                if (trainedNetwork.get() != null && !networkOf(editor).equals(trainedSignature)) {
                    trainedNetwork.set(null);
                }
                settings.set(editor.training());
                if (state.get() == State.IDLE) {
                    learningRate.set(editor.training().optimizer().lr());
                }
            }
        });
        running.addListener((o, a, b) -> editor.setLocked(b));
    }

    // ---- commands -------------------------------------------------------------------------------------------

    /**
     * Trains the project as it stands in the editor. Returns why it cannot start (for the status bar), or null.
     */
    public String train() {
        return train(editor.toProject());
    }

    /** Trains a snapshot of {@code project}; returns why it cannot (a run is going: null, nothing happens). */
    public String train(Project project) {
        if (running.get()) {
            return null;
        }
        ShapeReport report = ShapeInference.infer(project.graph());
        if (!report.isValid()) {
            return I18n.text("status.trainingInvalid", report.problems().get(0).message());
        }
        begin(project);
        runner = new TrainingRunner(project, report, limits, this::offer);
        runner.start();
        return null;
    }

    /** Clears the last run's panels and shows a new one being prepared; its events come through {@link #offer}. */
    void begin(Project project) {
        reset(project);
        running.set(true);
        run.state = State.PREPARING;
        state.set(State.PREPARING);
        status.set(I18n.text("status.trainingStarting"));
        lastCharts = 0;
        pump.start(this::frame);
    }

    /** Pauses before the next step. */
    public void pause() {
        if (running.get() && runner != null && (state.get() == State.RUNNING || state.get() == State.PREPARING)) {
            runner.pause();
            run.state = State.PAUSED;
            state.set(State.PAUSED);
            status.set(I18n.text("status.trainingPaused", projectName, run.step));
        }
    }

    /** Resumes a paused run (also one paused because its loss diverged). */
    public void resume() {
        if (running.get() && runner != null && (state.get() == State.PAUSED || state.get() == State.DIVERGED)) {
            runner.resume();
            run.state = run.totalSteps > 0 ? State.RUNNING : State.PREPARING;
            state.set(run.state);
            divergence.set(null);
        }
    }

    /** Stops the run after the current step; the panels keep what it showed. */
    public void stop() {
        if (runner != null && running.get()) {
            runner.stop();
        }
    }

    /**
     * Uses learning rate {@code lr} from the next step on, marked on the curves when it takes effect. Returns why
     * not (not positive, not finite, no run), or null.
     */
    public String setLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            return I18n.text("training.lr.invalid", String.valueOf(lr));
        }
        if (!running.get() || runner == null) {
            return I18n.text("training.lr.notRunning");
        }
        try {
            runner.setLearningRate(lr);
        } catch (IllegalArgumentException e) {
            return I18n.text("training.lr.invalid", String.valueOf(lr));
        }
        learningRate.set(lr);
        return null;
    }

    /**
     * Shows a kept run in the panels as it ended: its curves, epochs, test points and learning-rate changes (FX
     * thread; nothing happens while a run goes). The weights in use for evaluation stay as they are.
     */
    public void showRun(RunRecord record) {
        if (running.get() || record == null) {
            return;
        }
        TrainedNetwork weights = trainedNetwork.get();
        String weightsSignature = trainedSignature;
        reset(record.project());
        trainedSignature = weightsSignature;
        trainedNetwork.set(weights);
        RunCurves curves = RunCurves.of(record, MAX_POINTS, SMOOTHING);
        curves.copyInto(lossSeries, smoothedLoss, accuracySeries, smoothedAccuracy);
        epochMarks.setAll(record.epochs());
        testPoints.setAll(record.tests());
        learningRateMarks.setAll(record.lrChanges());
        run.state = switch (record.outcome()) {
            case "COMPLETED" -> State.COMPLETED;
            case "CANCELLED" -> State.STOPPED;
            case "DIVERGED" -> State.DIVERGED;
            default -> State.FAILED;
        };
        run.epoch = record.epochsReached();
        run.step = record.steps();
        run.totalSteps = record.steps();
        run.device = record.device();
        lastSmoothedLoss = curves.lastSmoothedLoss();
        lastSmoothedAccuracy = curves.lastSmoothedAccuracy();
        run.learningRate = record.learningRateAt(record.steps());
        run.curvesChanged = true;
        publish();
        progress.set(run.state == State.COMPLETED ? 1 : (double) run.epoch / Math.max(1, run.epochs));
        timeLeft.set(null);
        shownRun.set(record);
    }

    /** Empties the panels (another project opened); nothing happens while a run goes. */
    public void clearRun() {
        if (running.get()) {
            return;
        }
        TrainedNetwork weights = trainedNetwork.get();
        reset(editor.toProject());
        trainedNetwork.set(weights);
        state.set(State.IDLE);
        compareWith(null);
    }

    /** Draws {@code record}'s curves under the shown ones, to compare two runs; null stops comparing. */
    public void compareWith(RunRecord record) {
        comparedCurves = record == null ? null : RunCurves.of(record, MAX_POINTS, SMOOTHING);
        comparedRun.set(record);
        revision.set(revision.get() + 1);
    }

    /** Hidden limits for the next runs (tests, demos); by default from the system properties. */
    public void setLimits(RunLimits limits) {
        this.limits = limits == null ? RunLimits.NONE : limits;
    }

    public RunLimits limits() {
        return limits;
    }

    // ---- the queue ------------------------------------------------------------------------------------------

    /**
     * Queues an event from the trainer thread; never blocks it for long. When the queue is full (the FX thread is
     * busy), the oldest per-step event makes room; starts, epochs, ends and learning-rate marks are never dropped.
     */
    public void offer(Object event) {
        if (queue.offer(event)) {
            if (!droppable(event) || queue.size() >= QUEUE_CAPACITY / 2) {
                pump.wake();
            }
            return;
        }
        synchronized (queue) {
            for (Iterator<Object> it = queue.iterator(); it.hasNext(); ) {
                if (droppable(it.next())) {
                    it.remove();
                    dropped.incrementAndGet();
                    break;
                }
            }
            if (queue.offer(event)) {
                return;
            }
        }
        if (droppable(event)) {
            dropped.incrementAndGet();
            return;
        }
        try {
            if (!queue.offer(event, 1, TimeUnit.SECONDS)) {
                dropped.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean droppable(Object e) {
        return e instanceof TrainingEvent.StepCompleted || e instanceof TrainingEvent.GradientStats
                || e instanceof TrainingEvent.FilterSnapshot || e instanceof TrainingEvent.Logged;
    }

    /** Per-step events dropped so far because the queue was full. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** A tick of the pump (every {@link #DRAIN_INTERVAL_NANOS}) or a wake from {@link #offer}: drains. */
    private void frame(long now) {
        chartsDue = now - lastCharts >= CHART_INTERVAL_NANOS - CHART_SLACK_NANOS;
        if (chartsDue) {
            lastCharts = now;
        }
        drain();
        chartsDue = true;
    }

    /**
     * Applies every queued event and publishes the result (FX thread; tests call it directly). Returns whether
     * anything was drained.
     */
    public boolean drain() {
        List<Object> batch = new ArrayList<>(Math.min(queue.size() + 16, QUEUE_CAPACITY));
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            if (run.curvesChanged && chartsDue) {
                // what an earlier drain held back for the charts
                run.curvesChanged = false;
                revision.set(revision.get() + 1);
            }
            return false;
        }
        for (Object e : batch) {
            apply(e);
        }
        publish();
        return true;
    }

    // ---- events → fields ------------------------------------------------------------------------------------

    private void apply(Object event) {
        if (event instanceof TrainedNetwork t) {
            run.trained = t;
        } else if (event instanceof RunRecord r) {
            run.record = r;
        } else if (event instanceof TrainingEvent.Started s) {
            run.epochs = s.epochs();
            run.totalSteps = s.totalSteps();
            run.device = s.device();
            if (run.state == State.PREPARING) {
                run.state = State.RUNNING;
            }
        } else if (event instanceof TrainingEvent.StepCompleted st) {
            run.epoch = st.epoch();
            run.step = st.step();
            run.lastLoss = st.loss();
            run.lastAccuracy = st.batchAccuracy();
            lossSeries.add(st.step(), st.loss());
            if (Double.isFinite(st.loss())) {
                lastSmoothedLoss = lossEma.add(st.loss());
                smoothedLoss.add(st.step(), lastSmoothedLoss);
            }
            if (Double.isFinite(st.batchAccuracy())) {
                accuracySeries.add(st.step(), st.batchAccuracy());
                lastSmoothedAccuracy = accuracyEma.add(st.batchAccuracy());
                smoothedAccuracy.add(st.step(), lastSmoothedAccuracy);
            }
            if (Double.isNaN(run.imagesPerSecond)) {
                run.imagesPerSecond = st.imagesPerSecond();
            }
            run.curvesChanged = true;
        } else if (event instanceof TrainingEvent.Logged l) {
            // throughput over the last interval, smoothed: the cumulative one counts the warm-up and evaluations
            run.imagesPerSecond = Double.isNaN(run.imagesPerSecond) || run.step <= TrainingRunner.LOG_EVERY
                    ? l.imagesPerSecond() : 0.7 * run.imagesPerSecond + 0.3 * l.imagesPerSecond();
        } else if (event instanceof TrainingEvent.GradientStats g) {
            applyGradients(g);
        } else if (event instanceof TrainingEvent.FilterSnapshot f) {
            newFilters.put(f.parameter(), f);
            run.curvesChanged = true;
        } else if (event instanceof TrainingEvent.EpochCompleted ec) {
            epochMarks.add(new EpochMark(ec.epoch(), run.step));
            if (ec.test() != null) {
                testPoints.add(new TestPoint(ec.epoch(), run.step, ec.test().meanLoss(), accuracyOf(ec.test())));
                run.lastTest = I18n.text("status.testAccuracy", percent(ec.test().accuracy()));
            }
            run.curvesChanged = true;
        } else if (event instanceof TrainingEvent.Evaluated ev) {
            testPoints.add(new TestPoint(ev.epoch(), ev.step(), ev.test().meanLoss(), accuracyOf(ev.test())));
            run.curvesChanged = true;
        } else if (event instanceof TrainingEvent.LearningRateChanged lr) {
            learningRateMarks.add(new LearningRateMark(lr.step(), lr.oldLr(), lr.newLr()));
            run.learningRate = lr.newLr();
            run.curvesChanged = true;
        } else if (event instanceof TrainingEvent.Diverged d) {
            run.state = State.DIVERGED;
            run.step = Math.max(run.step, d.step() - 1);
            diverged(d.epoch(), d.step(), d.loss(), d.parameter(), true);
        } else if (event instanceof TrainingEvent.Finished f) {
            finish(f);
        }
    }

    /** The test accuracy, or NaN when the run measures none (a regression loss: no batch accuracy either). */
    private double accuracyOf(io.deepcanvas.engine.train.Evaluation e) {
        return Double.isNaN(run.lastAccuracy) && accuracySeries.isEmpty() ? Double.NaN : e.accuracy();
    }

    private void applyGradients(TrainingEvent.GradientStats g) {
        Map<String, GradientHealth> byLayer = new HashMap<>();
        for (Map.Entry<String, TrainingEvent.GradientMagnitude> e : g.byParameter().entrySet()) {
            double norm = e.getValue().norm();
            gradients.computeIfAbsent(e.getKey(), k -> new DecimatedSeries(MAX_POINTS)).add(g.step(), norm);
            double ratio = e.getValue().updateToWeightRatio();
            if (Double.isFinite(ratio)) {
                updateRatios.computeIfAbsent(e.getKey(), k -> new DecimatedSeries(MAX_POINTS)).add(g.step(), ratio);
            }
            GradientHealth h = healthOf(norm);
            byLayer.merge(layerOf(e.getKey()), h, TrainingViewModel::worse);
        }
        // a layer is vanishing when all its parameters are, exploding when any one is
        for (Map.Entry<String, GradientHealth> e : byLayer.entrySet()) {
            String node = nodeByLabel.getOrDefault(e.getKey(), e.getKey());
            newHealth.put(node, e.getValue());
        }
        run.curvesChanged = true;
    }

    static GradientHealth healthOf(double norm) {
        if (!Double.isFinite(norm) || norm > EXPLODING) {
            return GradientHealth.EXPLODING;
        }
        return norm < VANISHING ? GradientHealth.VANISHING : GradientHealth.OK;
    }

    private static GradientHealth worse(GradientHealth a, GradientHealth b) {
        if (a == GradientHealth.EXPLODING || b == GradientHealth.EXPLODING) {
            return GradientHealth.EXPLODING;
        }
        return a == GradientHealth.OK || b == GradientHealth.OK ? GradientHealth.OK : GradientHealth.VANISHING;
    }

    private void finish(TrainingEvent.Finished f) {
        run.finished = true;
        run.step = Math.max(run.step, f.steps());
        switch (f.reason()) {
            case COMPLETED -> {
                run.state = State.COMPLETED;
                // the time the trainer took, to compare with a headless run of the same network
                status.set(I18n.text("status.trainingDone", (!run.lastTest.isEmpty() ? run.lastTest : f.message())
                        + " · " + duration(f.elapsed())));
            }
            case CANCELLED -> {
                run.state = State.STOPPED;
                status.set(I18n.text("status.trainingStopped", f.message()));
            }
            case DIVERGED -> {
                run.state = State.DIVERGED;
                Divergence d = divergence.get();
                if (d != null) {
                    // stopped while paused at the divergence: the same place, now ended
                    divergence.set(new Divergence(d.epoch(), d.step(), d.loss(), d.parameter(), d.layer(),
                            d.nodeId(), false));
                    status.set(I18n.text("status.trainingStopped", f.message()));
                } else {
                    diverged(run.epoch, run.step + 1, Double.NaN, null, false);
                }
            }
            default -> {
                run.state = State.FAILED;
                failure.set(f.message());
                status.set(I18n.text("status.trainingFailed", f.message()));
            }
        }
    }

    private void diverged(int atEpoch, long atStep, double atLoss, String parameter, boolean paused) {
        String layer = parameter == null ? null : layerOf(parameter);
        if (layer != null && layer.isEmpty()) {
            layer = null;
        }
        String node = layer == null ? null : nodeByLabel.get(layer);
        divergence.set(new Divergence(atEpoch, atStep, atLoss, parameter, layer, node, paused));
        status.set(layer == null ? I18n.text("status.trainingDiverged", projectName, atStep)
                : I18n.text("status.trainingDivergedAt", projectName, atStep, layer));
        if (node != null) {
            newHealth.put(node, GradientHealth.EXPLODING);
            editor.select(node);
        }
    }

    /** The layer (node label, PyTorch module name) of a parameter: {@code conv1} for {@code conv1.weight}. */
    public static String layerOf(String parameter) {
        int dot = parameter.lastIndexOf('.');
        return dot < 0 ? parameter : parameter.substring(0, dot);
    }

    // ---- fields → properties --------------------------------------------------------------------------------

    private void publish() {
        epoch.set(run.epoch);
        epochs.set(run.epochs);
        step.set(run.step);
        totalSteps.set(run.totalSteps);
        device.set(run.device);
        progress.set(run.totalSteps > 0 ? Math.min(1, (double) run.step / run.totalSteps)
                : run.state == State.PREPARING ? -1 : 0);
        imagesPerSecond.set(run.imagesPerSecond);
        double smoothed = smoothedLoss.isEmpty() ? Double.NaN : lastSmoothedLoss;
        loss.set(smoothed);
        accuracy.set(smoothedAccuracy.isEmpty() ? Double.NaN : lastSmoothedAccuracy);
        if (!testPoints.isEmpty()) {
            TestPoint t = testPoints.get(testPoints.size() - 1);
            testAccuracy.set(t.accuracy());
            testLoss.set(t.loss());
        }
        if (!Double.isNaN(run.learningRate)) {
            learningRate.set(run.learningRate);
            run.learningRate = Double.NaN;
        }
        timeLeft.set(estimateTimeLeft());
        if (!newFilters.isEmpty()) {
            filters.putAll(newFilters);
            newFilters.clear();
        }
        if (!newHealth.isEmpty()) {
            newHealth.forEach((k, v) -> {
                if (health.get(k) != v) {
                    health.put(k, v);
                }
            });
            newHealth.clear();
        }
        state.set(run.state);
        if (run.state == State.RUNNING) {
            status.set(I18n.text("status.training", projectName, run.epoch, run.epochs, run.step, run.totalSteps,
                    Ema.lossText(Double.isNaN(smoothed) ? run.lastLoss : smoothed),
                    percent(accuracy.get())));
        } else if (run.state == State.PAUSED) {
            // the steps the trainer finished between the click and its pause arrive after the click
            status.set(I18n.text("status.trainingPaused", projectName, run.step));
        }
        // the curves changed since the charts last drew: they redraw now, or at a later drain if not yet due
        if (run.curvesChanged && (chartsDue || run.finished || run.state != State.RUNNING)) {
            run.curvesChanged = false;
            revision.set(revision.get() + 1);
        }
        if (run.finished) {
            if (run.trained != null && (run.state == State.COMPLETED || run.state == State.STOPPED)) {
                trainedSignature = runSignature;
                trainedNetwork.set(run.trained);
            }
            if (run.record != null) {
                shownRun.set(run.record);
                finishedRun.set(run.record);
            }
            pump.stop();
            runner = null;
            running.set(false);
        }
    }

    private Duration estimateTimeLeft() {
        if (run.state != State.RUNNING || !(run.imagesPerSecond > 0) || run.totalSteps == 0) {
            return run.state == State.COMPLETED ? Duration.ZERO : timeLeft.get();
        }
        int batch = settings.get() == null ? 64 : settings.get().batchSize();
        double seconds = (run.totalSteps - run.step) * (double) batch / run.imagesPerSecond;
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private void reset(Project project) {
        queue.clear();
        runSignature = networkOf(project.graph().nodes(), project.graph().edges());
        projectName = project.name();
        settings.set(project.training());
        learningRate.set(project.training().optimizer().lr());
        nodeByLabel.clear();
        for (Node n : project.graph().nodes()) {
            nodeByLabel.put(n.label(), n.id());
        }
        run = new Run();
        run.epochs = project.training().epochs();
        lastSmoothedLoss = Double.NaN;
        lastSmoothedAccuracy = Double.NaN;
        lossSeries.clear();
        smoothedLoss.clear();
        accuracySeries.clear();
        smoothedAccuracy.clear();
        gradients.clear();
        updateRatios.clear();
        lossEma.reset();
        accuracyEma.reset();
        epochMarks.clear();
        testPoints.clear();
        learningRateMarks.clear();
        filters.clear();
        newFilters.clear();
        health.clear();
        newHealth.clear();
        divergence.set(null);
        failure.set(null);
        trainedNetwork.set(null);
        shownRun.set(null);
        epoch.set(0);
        epochs.set(run.epochs);
        step.set(0);
        totalSteps.set(0);
        progress.set(-1);
        imagesPerSecond.set(Double.NaN);
        timeLeft.set(null);
        loss.set(Double.NaN);
        accuracy.set(Double.NaN);
        testAccuracy.set(Double.NaN);
        testLoss.set(Double.NaN);
        device.set("");
        revision.set(revision.get() + 1);
    }

    /** {@code 9.4 s}, {@code 3:07}, {@code 1:02:09}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", Math.max(0, d.toMillis()) / 1000.0)
                : s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /**
     * A class probability beside its bar, to one decimal: {@code 2.8%}; a probability short of 1 that would round
     * to {@code 100.0%} reads {@code >99.9%}, so the bars never claim certainty that the caption beside them
     * ({@code predicted 2 (99.97%)}) does not.
     */
    static String probability(double p) {
        String s = String.format(Locale.ROOT, "%.1f%%", 100 * p);
        return p < 1 && s.equals("100.0%") ? ">99.9%" : s;
    }

    // ---- what the views read --------------------------------------------------------------------------------

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** True from Train until the run has ended (preparing, running, paused): the editor is locked meanwhile. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** One line about the run, for the status bar. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The settings of the run (while and after it runs), else the project's. */
    public ReadOnlyObjectProperty<TrainingSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    /** The device the run trains on ({@code cpu}), once it started. */
    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty epochProperty() {
        return epoch.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty epochsProperty() {
        return epochs.getReadOnlyProperty();
    }

    /** Optimizer steps done. */
    public ReadOnlyLongProperty stepProperty() {
        return step.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty totalStepsProperty() {
        return totalSteps.getReadOnlyProperty();
    }

    /** 0…1; −1 (indeterminate) while the run is being prepared. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Training throughput (NaN until known). */
    public ReadOnlyDoubleProperty imagesPerSecondProperty() {
        return imagesPerSecond.getReadOnlyProperty();
    }

    /** Estimated time to the end of the run; null while unknown. */
    public ReadOnlyObjectProperty<Duration> timeLeftProperty() {
        return timeLeft.getReadOnlyProperty();
    }

    /** The learning rate in use (or asked for, until the next step takes it). */
    public ReadOnlyDoubleProperty learningRateProperty() {
        return learningRate.getReadOnlyProperty();
    }

    /** The smoothed per-batch loss (NaN before the first step). */
    public ReadOnlyDoubleProperty lossProperty() {
        return loss.getReadOnlyProperty();
    }

    /** The smoothed per-batch accuracy (NaN before the first step or for a regression loss). */
    public ReadOnlyDoubleProperty accuracyProperty() {
        return accuracy.getReadOnlyProperty();
    }

    /** The last test-set accuracy (NaN before the first evaluation). */
    public ReadOnlyDoubleProperty testAccuracyProperty() {
        return testAccuracy.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty testLossProperty() {
        return testLoss.getReadOnlyProperty();
    }

    /** Where the loss diverged, while the run shows it; null otherwise. */
    public ReadOnlyObjectProperty<Divergence> divergenceProperty() {
        return divergence.getReadOnlyProperty();
    }

    /** Why the last run failed (the engine's message), or null. */
    public ReadOnlyStringProperty failureProperty() {
        return failure.getReadOnlyProperty();
    }

    /**
     * The network the last run trained (completed or stopped, not failed), or weights read with the project; null
     * before, during a run and once the graph is edited (the weights no longer fit it).
     */
    public ReadOnlyObjectProperty<TrainedNetwork> trainedNetworkProperty() {
        return trainedNetwork.getReadOnlyProperty();
    }

    /** Weights read with the project (FX thread): evaluation and prediction can use them without a run. */
    public void useTrainedNetwork(TrainedNetwork network) {
        if (!running.get()) {
            trainedSignature = networkOf(editor);
            trainedNetwork.set(network);
        }
    }

    /** Whether weights trained for {@code other} fit the network in the editor (positions aside). */
    public boolean fitsEditor(io.deepcanvas.engine.graph.NetworkGraph other) {
        return networkOf(editor).equals(networkOf(other.nodes(), other.edges()));
    }

    /** What weights depend on: each node's type, label and parameters and the connections, not the positions. */
    private static String networkOf(EditorModel editor) {
        return networkOf(editor.graph().nodes(), editor.graph().edges());
    }

    private static String networkOf(Collection<Node> nodes, Collection<Edge> edges) {
        StringBuilder sb = new StringBuilder();
        nodes.stream().sorted(Comparator.comparing(Node::id)).forEach(n -> sb.append(n.id()).append(':')
                .append(n.type()).append(':').append(n.label()).append(':').append(new TreeMap<>(n.params()))
                .append(';'));
        edges.stream().map(Object::toString).sorted().forEach(e -> sb.append(e).append(';'));
        return sb.toString();
    }

    /** The run that just ended, as the history keeps it (set once per run, when it ends). */
    public ReadOnlyObjectProperty<RunRecord> finishedRunProperty() {
        return finishedRun.getReadOnlyProperty();
    }

    /** The kept run the panels show (the last one once it ended, or one chosen in the history); null otherwise. */
    public ReadOnlyObjectProperty<RunRecord> shownRunProperty() {
        return shownRun.getReadOnlyProperty();
    }

    /** The run drawn under the shown one for comparison, or null. */
    public ReadOnlyObjectProperty<RunRecord> comparedRunProperty() {
        return comparedRun.getReadOnlyProperty();
    }

    /** The compared run's curves, or null when none is compared. */
    public RunCurves comparedCurves() {
        return comparedCurves;
    }

    /** The best test measurement shown (highest accuracy, else lowest loss), or null. */
    public TestPoint bestTestPoint() {
        return RunRecord.best(testPoints);
    }

    /** Ticks when the curves, marks or test points changed: the charts redraw on it. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /**
     * Each layer's gradient health by editor node id, from the latest gradient norms (a layer missing from the map
     * has not been measured yet). The canvas tints its nodes with it.
     */
    public ReadOnlyMapProperty<String, GradientHealth> gradientHealthProperty() {
        return health.getReadOnlyProperty();
    }

    public ObservableList<EpochMark> epochMarks() {
        return epochMarksView;
    }

    public ObservableList<TestPoint> testPoints() {
        return testPointsView;
    }

    public ObservableList<LearningRateMark> learningRateMarks() {
        return learningRateMarksView;
    }

    /** The newest copy of each convolution's weights, by parameter name ({@code conv1.weight}), in model order. */
    public ObservableMap<String, TrainingEvent.FilterSnapshot> filters() {
        return filtersView;
    }

    /** Loss of every batch (min…max per point once decimated). */
    public DecimatedSeries lossSeries() {
        return lossSeries;
    }

    /** The smoothed batch loss ({@link #SMOOTHING}). */
    public DecimatedSeries smoothedLossSeries() {
        return smoothedLoss;
    }

    /** Accuracy of every batch (empty for a regression loss). */
    public DecimatedSeries accuracySeries() {
        return accuracySeries;
    }

    public DecimatedSeries smoothedAccuracySeries() {
        return smoothedAccuracy;
    }

    /** Gradient L2 norm per measured step, by parameter name, in model order. */
    public Map<String, DecimatedSeries> gradientSeries() {
        return Collections.unmodifiableMap(gradients);
    }

    /**
     * The update-to-weight ratio ‖lr·grad‖ / ‖w‖ per measured step, by parameter name (about 1e-3 is healthy; far
     * below, the layer barely learns; far above, it is unstable).
     */
    public Map<String, DecimatedSeries> updateRatioSeries() {
        return Collections.unmodifiableMap(updateRatios);
    }

    /** The editor node id of a layer (node label) of the run, or null. */
    public String nodeOf(String layer) {
        return nodeByLabel.get(layer);
    }
}
