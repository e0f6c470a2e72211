package io.deepcanvas.engine.train;

import io.deepcanvas.engine.data.Batch;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.NLLLoss;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.nn.Repr;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.TrainingEvent.EpochCompleted;
import io.deepcanvas.engine.train.TrainingEvent.Finished;
import io.deepcanvas.engine.train.TrainingEvent.GradientMagnitude;
import io.deepcanvas.engine.train.TrainingEvent.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the training loop ({@code for x, y in loader: opt.zero_grad(); loss(model(x), y).backward(); opt.step()})
 * on its own thread, reporting through {@link TrainingEvent}s, so a user interface never waits for it. It can be
 * paused, resumed and cancelled, and its learning rate changed, between steps. A loss that becomes NaN or infinite
 * is reported as {@link TrainingEvent.Diverged}, naming the layer to blame, and then stops the run with
 * {@link Reason#DIVERGED} and a message, or pauses it ({@link Builder#pauseOnDivergence}); any other failure ends
 * it with {@link Reason#FAILED}: training never crashes its caller. A run stops a {@link Warmup} still running.
 *
 * <p>The trainer owns the model while it runs: nothing else may use the model or optimizer until
 * {@link #awaitFinished()} returns.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final Module model;
    private final Loss loss;
    private final Optimizer<?> optimizer;
    private final DataLoader trainLoader;
    private final DataLoader testLoader;
    private final int epochs;
    private final long maxSteps;
    private final int gradientStatsEvery;
    private final int filterSnapshotEvery;
    private final int evaluateEvery;
    private final int logEvery;
    private final boolean pauseOnDivergence;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    /** Failures per listener so far (see {@link #reportListenerFailure}). */
    private final Map<TrainingListener, Integer> listenerFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /** The last learning rate asked for by {@link #setLearningRate} and not yet applied, or null. */
    private final AtomicReference<Double> requestedLr = new AtomicReference<>();
    private volatile double learningRate;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition unpaused = lock.newCondition();
    private volatile boolean paused;
    private volatile boolean cancelled;
    private final CompletableFuture<Finished> result = new CompletableFuture<>();
    private volatile Thread thread;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.trainLoader = b.trainLoader;
        this.testLoader = b.testLoader;
        this.epochs = b.epochs;
        this.maxSteps = b.maxSteps;
        this.gradientStatsEvery = b.gradientStatsEvery;
        this.filterSnapshotEvery = b.filterSnapshotEvery;
        this.evaluateEvery = b.evaluateEvery;
        this.logEvery = b.logEvery;
        this.pauseOnDivergence = b.pauseOnDivergence;
        this.listeners.addAll(b.listeners);
        this.learningRate = decimal(optimizer.lr());
    }

    /** A trainer for {@code model} with the given loss, optimizer and training data; one epoch by default. */
    public static Builder builder(Module model, Loss loss, Optimizer<?> optimizer, DataLoader trainLoader) {
        return new Builder(model, loss, optimizer, trainLoader);
    }

    /** Options of a {@link Trainer}, each validated when set. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Optimizer<?> optimizer;
        private final DataLoader trainLoader;
        private DataLoader testLoader;
        private int epochs = 1;
        private long maxSteps = Long.MAX_VALUE;
        private int gradientStatsEvery;
        private int filterSnapshotEvery;
        private int evaluateEvery;
        private int logEvery;
        private boolean pauseOnDivergence;
        private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();

        private Builder(Module model, Loss loss, Optimizer<?> optimizer, DataLoader trainLoader) {
            if (model == null || loss == null || optimizer == null || trainLoader == null) {
                throw new IllegalArgumentException("a Trainer needs a model, a loss, an optimizer and a training "
                        + "data loader");
            }
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
            this.trainLoader = trainLoader;
        }

        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Stops after this many optimizer steps, even within an epoch. */
        public Builder maxSteps(long maxSteps) {
            if (maxSteps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + maxSteps);
            }
            this.maxSteps = maxSteps;
            return this;
        }

        /** Evaluates on this loader after every epoch (and after a run stopped by maxSteps). */
        public Builder testLoader(DataLoader testLoader) {
            this.testLoader = testLoader;
            return this;
        }

        /** Reports gradient magnitudes every {@code n} steps (0: never; they cost a pass over the gradients). */
        public Builder gradientStatsEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("gradientStatsEvery must be >= 0, got " + n);
            }
            this.gradientStatsEvery = n;
            return this;
        }

        /** Copies the first convolution's weights every {@code n} steps (0: never). */
        public Builder filterSnapshotEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("filterSnapshotEvery must be >= 0, got " + n);
            }
            this.filterSnapshotEvery = n;
            return this;
        }

        /**
         * Also evaluates on the test loader every {@code n} steps, reported as {@link TrainingEvent.Evaluated}
         * (0: only at the end of each epoch). Each evaluation is a full pass over the test loader.
         */
        public Builder evaluateEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("evaluateEvery must be >= 0 steps, got " + n);
            }
            this.evaluateEvery = n;
            return this;
        }

        /**
         * Reports the loss and accuracy averaged over every {@code n} steps as {@link TrainingEvent.Logged}
         * (0: never), for progress lines that should not print every step.
         */
        public Builder logEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("logEvery must be >= 0 steps, got " + n);
            }
            this.logEvery = n;
            return this;
        }

        /**
         * When the loss (or a gradient, see {@link TrainingEvent.Diverged}) becomes NaN or infinite: true pauses the
         * run at that step, without applying its update, so that it can be cancelled or, after e.g.
         * {@link Trainer#setLearningRate}, resumed with the next batch; false (the default) ends the run with
         * {@link Reason#DIVERGED}. Either way a {@link TrainingEvent.Diverged} names the layer first.
         */
        public Builder pauseOnDivergence(boolean pause) {
            this.pauseOnDivergence = pause;
            return this;
        }

        public Builder listener(TrainingListener l) {
            listeners.add(l);
            return this;
        }

        public Trainer build() {
            if (evaluateEvery > 0 && testLoader == null) {
                throw new IllegalStateException("evaluateEvery(" + evaluateEvery + ") needs a test loader: "
                        + "call testLoader(...) too, or leave evaluateEvery at 0");
            }
            return new Trainer(this);
        }
    }

    public void addListener(TrainingListener l) {
        listeners.add(l);
    }

    public void removeListener(TrainingListener l) {
        listeners.remove(l);
    }

    /** Starts training on a new daemon thread and returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("this trainer was already started; build a new one for another run");
        }
        thread = new Thread(this::runOnCallerThread, "deepcanvas-trainer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Pauses before the next step. */
    public void pause() {
        paused = true;
    }

    /**
     * Sets the learning rate of every parameter group ({@code for g in optimizer.param_groups: g['lr'] = lr}); any
     * thread may call it, during a run or before. It takes effect between two steps, never within one: the next
     * step is the first to use it, and a {@link TrainingEvent.LearningRateChanged} with that step's number
     * announces it (at once when the run is paused). Of calls between two steps only the last counts; once the run
     * has ended, nothing happens.
     *
     * @throws IllegalArgumentException when {@code lr} is not a finite number > 0 (in float32)
     */
    public void setLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr) || !((float) lr > 0f) || Float.isInfinite((float) lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr + ": it must be a finite number > 0"
                    + (Double.isFinite(lr) && lr > 0 ? " that float32 can hold" : "")
                    + ", such as 0.01 (SGD) or 0.001 (Adam)");
        }
        requestedLr.set(lr);
        // a paused run applies it at once, so the change shows before the user resumes
        wakeTrainingThread();
    }

    /** The learning rate the steps use now: the last one applied by {@link #setLearningRate}, or the optimizer's. */
    public double learningRate() {
        return learningRate;
    }

    public void resume() {
        lock.lock();
        try {
            paused = false;
            unpaused.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the training thread if it waits in {@link #awaitRunnable}, to look at the requests again. */
    private void wakeTrainingThread() {
        lock.lock();
        try {
            unpaused.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * Stops before the next step; the run finishes with {@link Reason#CANCELLED}, or with {@link Reason#DIVERGED}
     * when it was paused by a divergence and not resumed since.
     */
    public void cancel() {
        cancelled = true;
        resume();
    }

    public boolean isFinished() {
        return result.isDone();
    }

    /** Waits for the run to end and returns how it ended. */
    public Finished awaitFinished() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for training to finish", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Like {@link #awaitFinished()} but gives up after the timeout, returning null. */
    public Finished awaitFinished(Duration timeout) {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs the whole training on the calling thread (for the CLI and tests) and returns how it ended. */
    public Finished runOnCallerThread() {
        Warmup.stopForTraining();
        long t0 = System.nanoTime();
        Progress p = new Progress();
        Finished end;
        try {
            end = loop(p, t0);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "training failed", e);
            String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            end = new Finished(Reason.FAILED, "training failed at step " + (p.step + 1) + ": " + what, p.step,
                    Duration.ofNanos(System.nanoTime() - t0), e);
        }
        emit(end);
        result.complete(end);
        return end;
    }

    /** Loss and accuracy sums since the last {@link TrainingEvent.Logged}. */
    private static final class Interval {
        private long start;
        private double lossSum;
        private double accSum;
        private int steps;
        private long images;

        Interval(long start) {
            this.start = start;
        }

        void add(float loss, float accuracy, int n) {
            lossSum += loss;
            accSum += accuracy;
            steps++;
            images += n;
        }

        void restartClock() {
            start = System.nanoTime();
            images = 0;
        }

        TrainingEvent.Logged summary(int epoch, long step, long totalSteps, long now) {
            var e = new TrainingEvent.Logged(epoch, step, totalSteps, lossSum / steps, accSum / steps,
                    images / Math.max(1e-9, (now - start) / 1e9));
            lossSum = accSum = 0;
            steps = 0;
            restartClock();
            return e;
        }
    }

    /** Counters shared by the loop and the failure report. */
    private static final class Progress {
        long step;
    }

    private Finished loop(Progress p, long t0) {
        int perEpoch = trainLoader.numBatches();
        long total = Math.min(maxSteps, (long) perEpoch * epochs);
        emit(new TrainingEvent.Started(epochs, perEpoch, total, model.parameters().isEmpty() ? "cpu"
                : model.parameters().get(0).device().toString()));
        // MSELoss on class labels (a project's MSELoss) is a classifier too: its accuracy is shown as for the others
        boolean classification = loss instanceof CrossEntropyLoss || loss instanceof NLLLoss
                || loss instanceof MSELossOnLabels;
        model.train();
        long images = 0;
        Interval interval = new Interval(System.nanoTime());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double lossSum = 0;
            long seen = 0, correct = 0;
            int batchIndex = 0;
            try (DataLoader.BatchIterator it = trainLoader.iterator()) {
                while (it.hasNext()) {
                    if (!awaitRunnable(p.step + 1)) {
                        return finish(Reason.CANCELLED, "cancelled after " + steps(p.step), p.step, t0);
                    }
                    long step = p.step + 1;
                    applyRequestedLearningRate(step);
                    Batch b = it.next();
                    batchIndex++;
                    optimizer.zeroGrad();
                    Tensor out = model.forward(b.inputs());
                    Tensor l = loss.forward(out, b.targets());
                    float lv = l.item();
                    if (!Float.isFinite(lv)) {
                        // naming the layer costs a backward and a look at the weights, on this step only
                        Finished end = diverged(epoch, step, lv, blameAfterBackward(l), p.step, t0);
                        if (end != null) {
                            return end;
                        }
                        continue;
                    }
                    l.backward();
                    if (gradientStatsEvery > 0 && step % gradientStatsEvery == 0 && !listeners.isEmpty()) {
                        Map<String, GradientMagnitude> stats = gradientMagnitudes();
                        emit(new TrainingEvent.GradientStats(step, stats));
                        // the statistics have looked at every gradient anyway: catch one that broke under a
                        // finite loss before the update spreads it into the weights
                        if (stats.values().stream().anyMatch(m -> !Double.isFinite(m.norm()))) {
                            Finished end = diverged(epoch, step, lv, blame(), p.step, t0);
                            if (end != null) {
                                return end;
                            }
                            continue;
                        }
                    }
                    p.step = step;
                    optimizer.step();
                    int n = b.size();
                    images += n;
                    seen += n;
                    lossSum += (double) lv * n;
                    float acc = Float.NaN;
                    if (classification && out.dim() == 2 && b.targets().dim() == 1) {
                        int c = countCorrect(out, b.targets());
                        correct += c;
                        acc = (float) c / n;
                    }
                    if (filterSnapshotEvery > 0 && p.step % filterSnapshotEvery == 0 && !listeners.isEmpty()) {
                        snapshotFilters(p.step);
                    }
                    long now = System.nanoTime();
                    emit(new TrainingEvent.StepCompleted(epoch, p.step, batchIndex, lv, acc,
                            images / ((now - t0) / 1e9)));
                    if (logEvery > 0) {
                        interval.add(lv, acc, n);
                        if (p.step % logEvery == 0) {
                            emit(interval.summary(epoch, p.step, total, now));
                        }
                    }
                    if (evaluateEvery > 0 && p.step % evaluateEvery == 0) {
                        emit(new TrainingEvent.Evaluated(epoch, p.step, Evaluator.evaluate(model, testLoader, loss)));
                        // the pass over the test set is not training throughput
                        interval.restartClock();
                    }
                    if (p.step >= maxSteps) {
                        epochEnd(epoch, lossSum, seen, correct, classification);
                        return finish(Reason.COMPLETED, "reached the step limit of " + steps(p.step),
                                p.step, t0);
                    }
                }
            }
            epochEnd(epoch, lossSum, seen, correct, classification);
            interval.restartClock();
        }
        return finish(Reason.COMPLETED, "trained " + epochs + (epochs == 1 ? " epoch" : " epochs") + " ("
                + steps(p.step) + ")", p.step, t0);
    }

    /** {@code 1 step}, {@code 20 steps}. */
    private static String steps(long n) {
        return n + (n == 1 ? " step" : " steps");
    }

    private void epochEnd(int epoch, double lossSum, long seen, long correct, boolean classification) {
        Evaluation test = testLoader == null ? null : Evaluator.evaluate(model, testLoader, loss);
        emit(new EpochCompleted(epoch, seen == 0 ? Double.NaN : lossSum / seen,
                classification && seen > 0 ? (double) correct / seen : Double.NaN, test));
    }

    private static Finished finish(Reason reason, String message, long steps, long t0) {
        return new Finished(reason, message, steps, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Applies the learning rate {@link #setLearningRate} asked for, if any, from {@code step} on. */
    private void applyRequestedLearningRate(long step) {
        Double lr = requestedLr.getAndSet(null);
        if (lr == null) {
            return;
        }
        float old = optimizer.lr();
        if ((float) lr.doubleValue() != old) {
            optimizer.setLr((float) lr.doubleValue());
            learningRate = lr;
            emit(new TrainingEvent.LearningRateChanged(step, decimal(old), lr));
        }
    }

    /** The shortest decimal that is this float ({@code 0.001f} → 0.001, not 0.0010000000474974513). */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /**
     * Reports a divergence at {@code step}, whose update is not applied, and returns how the run ends: at once
     * without {@code pauseOnDivergence}; with it, after a pause, when cancelled — or null once resumed, to go on
     * with the next batch.
     */
    private Finished diverged(int epoch, long step, float loss, Blame blame, long stepsDone, long t0) {
        String message = String.format(Locale.ROOT, "%s at step %d (epoch %d)%s: lower the learning rate (now %s)",
                Float.isFinite(loss) ? "a gradient became NaN or infinite" : "loss became " + (Float.isNaN(loss)
                        ? "NaN" : "infinite"), step, epoch, blame == null ? "" : ", first non-finite " + blame,
                Repr.py(optimizer.lr()));
        if (pauseOnDivergence) {
            // before the event, so that a listener sees the run paused and may resume it at once
            paused = true;
        }
        emit(new TrainingEvent.Diverged(epoch, step, loss, blame == null ? null : blame.parameter(),
                blame == null ? null : blame.layer()));
        if (pauseOnDivergence && awaitRunnable(step)) {
            return null;
        }
        return finish(Reason.DIVERGED, message, stepsDone, t0);
    }

    /** A parameter blamed for a divergence, and whether its weights or only its gradient are non-finite. */
    private record Blame(String parameter, boolean weights) {
        /** The module that owns the parameter: its name without the last segment ("" for the model's own). */
        String layer() {
            int dot = parameter.lastIndexOf('.');
            return dot < 0 ? "" : parameter.substring(0, dot);
        }

        @Override
        public String toString() {
            return (weights ? "weights in " : "gradient in ") + parameter;
        }
    }

    /** Runs the backward of a non-finite loss, to see the gradients, then {@link #blame()}. */
    private Blame blameAfterBackward(Tensor nonFiniteLoss) {
        try {
            nonFiniteLoss.backward();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "backward of a non-finite loss failed; blaming the weights only", e);
        }
        return blame();
    }

    /**
     * The parameter to blame for a divergence, in registration order: the first whose weights are already non-finite
     * (an earlier update broke them: every gradient before it only inherits the NaN), else the first whose gradient
     * is non-finite; null when all are finite. Reads every weight and gradient: only on a step that diverged.
     */
    private Blame blame() {
        Map<String, Parameter> named = model.namedParameters();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            if (!allFinite(e.getValue())) {
                return new Blame(e.getKey(), true);
            }
        }
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Tensor g = e.getValue().gradForUpdate();
            if (g != null && !allFinite(g)) {
                return new Blame(e.getKey(), false);
            }
        }
        return null;
    }

    private static boolean allFinite(Tensor t) {
        for (float v : t.toArray()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Blocks while paused, applying a learning rate set meanwhile at once (its event tells the step that will use
     * it); false once cancelled.
     */
    private boolean awaitRunnable(long nextStep) {
        if (paused && !cancelled) {
            lock.lock();
            try {
                while (paused && !cancelled) {
                    applyRequestedLearningRate(nextStep);
                    unpaused.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        }
        return !cancelled;
    }

    private static int countCorrect(Tensor logits, Tensor targets) {
        int[] p = logits.argmax(1).toIntArray();
        int[] y = targets.toIntArray();
        int c = 0;
        for (int i = 0; i < p.length; i++) {
            c += p[i] == y[i] ? 1 : 0;
        }
        return c;
    }

    /** The figures of {@link GradientMagnitude} for every parameter with a gradient, before the update. */
    private Map<String, GradientMagnitude> gradientMagnitudes() {
        double lr = optimizer.lr();
        Map<String, GradientMagnitude> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Tensor g = e.getValue().gradForUpdate();
            if (g == null) {
                continue;
            }
            double abs = 0, sq = 0, weightSq = 0;
            if (g.device().isCpu()) {
                for (float x : g.toArray()) {
                    abs += Math.abs(x);
                    sq += (double) x * x;
                }
                for (float w : e.getValue().toArray()) {
                    weightSq += (double) w * w;
                }
            } else {
                // reduced where the tensors live: three scalars come back, not every gradient and weight
                Tensor w = e.getValue().detach();
                abs = g.abs().sum().item();
                sq = g.mul(g).sum().item();
                weightSq = w.mul(w).sum().item();
            }
            double norm = Math.sqrt(sq), weightNorm = Math.sqrt(weightSq);
            out.put(e.getKey(), new GradientMagnitude(abs / Math.max(1, g.numel()), norm, weightNorm,
                    lr * norm / weightNorm));
        }
        return out;
    }

    private void snapshotFilters(long step) {
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (e.getValue().dim() == 4) {
                emit(new TrainingEvent.FilterSnapshot(step, e.getKey(), e.getValue().shape(),
                        e.getValue().toArray()));
                return;
            }
        }
    }

    private void emit(TrainingEvent event) {
        for (TrainingListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                reportListenerFailure(l, event, e);
            }
        }
    }

    /**
     * A listener that throws is logged with its stack trace the first time, then at its 10th, 100th, 1000th...
     * failure in one line: a panel broken for good fails on every step, and a stack trace per step buried the log
     * (17,000 of them, 150 MB, for one test run).
     */
    private void reportListenerFailure(TrainingListener l, TrainingEvent event, RuntimeException e) {
        int n = listenerFailures.merge(l, 1, Integer::sum);
        String on = event.getClass().getSimpleName();
        if (n == 1) {
            LOG.log(System.Logger.Level.WARNING, "a training listener failed on " + on + "; training goes on", e);
        } else if (isPowerOfTen(n)) {
            LOG.log(System.Logger.Level.WARNING, "a training listener has failed " + n + " times (the last on " + on
                    + ": " + e + "); training goes on, and only its 10th, 100th, 1000th... failure is logged");
        }
    }

    private static boolean isPowerOfTen(int n) {
        while (n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
}
