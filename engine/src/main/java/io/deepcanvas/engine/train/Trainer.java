package io.deepcanvas.engine.train;

import io.deepcanvas.engine.data.Batch;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.NLLLoss;
import io.deepcanvas.engine.nn.Parameter;
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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the training loop ({@code for x, y in loader: opt.zero_grad(); loss(model(x), y).backward(); opt.step()})
 * on its own thread, reporting through {@link TrainingEvent}s, so a user interface never waits for it. It can be
 * paused, resumed and cancelled between steps. A loss that becomes NaN or infinite stops the run with
 * {@link Reason#DIVERGED} and a message; any other failure ends it with {@link Reason#FAILED}: training never
 * crashes its caller.
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
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();

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
        this.listeners.addAll(b.listeners);
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

    public void resume() {
        lock.lock();
        try {
            paused = false;
            unpaused.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    /** Stops before the next step; the run finishes with {@link Reason#CANCELLED}. */
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
        boolean classification = loss instanceof CrossEntropyLoss || loss instanceof NLLLoss;
        model.train();
        long images = 0;
        Interval interval = new Interval(System.nanoTime());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double lossSum = 0;
            long seen = 0, correct = 0;
            int batchIndex = 0;
            try (DataLoader.BatchIterator it = trainLoader.iterator()) {
                while (it.hasNext()) {
                    if (!awaitRunnable()) {
                        return finish(Reason.CANCELLED, "cancelled after " + p.step + " steps", p.step, t0);
                    }
                    Batch b = it.next();
                    optimizer.zeroGrad();
                    Tensor out = model.forward(b.inputs());
                    Tensor l = loss.forward(out, b.targets());
                    float lv = l.item();
                    if (!Float.isFinite(lv)) {
                        return finish(Reason.DIVERGED, String.format(Locale.ROOT,
                                "loss became %s at step %d (epoch %d): lower the learning rate (now %s)",
                                Float.isNaN(lv) ? "NaN" : "infinite", p.step + 1, epoch,
                                io.deepcanvas.engine.nn.Repr.py(optimizer.lr())), p.step, t0);
                    }
                    l.backward();
                    p.step++;
                    if (gradientStatsEvery > 0 && p.step % gradientStatsEvery == 0 && !listeners.isEmpty()) {
                        emit(new TrainingEvent.GradientStats(p.step, gradientMagnitudes()));
                    }
                    optimizer.step();
                    batchIndex++;
                    int n = b.size();
                    images += n;
                    seen += n;
                    lossSum += (double) lv * n;
                    float acc = Float.NaN;
                    if (classification && out.dim() == 2) {
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
                        return finish(Reason.COMPLETED, "reached the step limit of " + p.step + " steps",
                                p.step, t0);
                    }
                }
            }
            epochEnd(epoch, lossSum, seen, correct, classification);
            interval.restartClock();
        }
        return finish(Reason.COMPLETED, "trained " + epochs + (epochs == 1 ? " epoch" : " epochs") + " ("
                + p.step + " steps)", p.step, t0);
    }

    private void epochEnd(int epoch, double lossSum, long seen, long correct, boolean classification) {
        Evaluation test = testLoader == null ? null : Evaluator.evaluate(model, testLoader, loss);
        emit(new EpochCompleted(epoch, seen == 0 ? Double.NaN : lossSum / seen,
                classification && seen > 0 ? (double) correct / seen : Double.NaN, test));
    }

    private static Finished finish(Reason reason, String message, long steps, long t0) {
        return new Finished(reason, message, steps, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Blocks while paused; false once cancelled. */
    private boolean awaitRunnable() {
        if (paused && !cancelled) {
            lock.lock();
            try {
                while (paused && !cancelled) {
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

    private Map<String, GradientMagnitude> gradientMagnitudes() {
        Map<String, GradientMagnitude> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Tensor g = e.getValue().gradForUpdate();
            if (g == null) {
                continue;
            }
            double abs = 0, sq = 0;
            float[] v = g.toArray();
            for (float x : v) {
                abs += Math.abs(x);
                sq += (double) x * x;
            }
            out.put(e.getKey(), new GradientMagnitude(abs / Math.max(1, v.length), Math.sqrt(sq)));
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
                LOG.log(System.Logger.Level.WARNING, "a training listener failed on " + event.getClass()
                        .getSimpleName() + "; training goes on", e);
            }
        }
    }
}
