package io.deepcanvas.engine.train;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.backend.cpu.CpuBackend;
import io.deepcanvas.engine.data.Batch;
import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MaxPool2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains LeNet-5 and the dense 784-512-512-10 network on random data in the background, so that the JIT has
 * compiled the engine's kernels before the user's first training step. The Vector API kernels run boxed, about 100×
 * slower, until C2 compiles them, which takes seconds of running them: without a warm-up the first steps of a run
 * crawl (see {@code docs/cpu-speed.md}).
 *
 * <p>It runs, at the batch sizes users train with, each of: LeNet-5 training at batch 64 (SGD with momentum, then
 * Adam), its inference at batch 1000 (the test pass), then the dense network training at batch 128 (Adam, then SGD)
 * and its inference at batch 1000. Each phase runs in rounds of at least {@value #ROUND_MILLIS} ms and stops once
 * its step time has stopped falling — {@value #FLAT_ROUNDS} rounds in a row whose median step is not
 * {@value #GAIN_PERCENT}% faster than the best round's — and it has run at least {@value #MIN_STEPS} steps
 * ({@value #MIN_PASSES} inference passes; without that floor, a busy machine once had a phase stop on a plateau at
 * 35 ms a step, before C2 had finished), or after {@value #MAX_PHASE_SECONDS} s. On a 2-core machine the whole
 * warm-up takes 10-15 s. It keeps under ~50 MB live (inference at batch 1000 is the largest part) and reads no file.
 *
 * <p>A {@link Trainer} that starts stops a warm-up still running, after its step in flight: sharing the cores with
 * it made the first 100 LeNet-5 steps slower than with no warm-up at all, while the kernels it has compiled so far
 * stay compiled. (Its thread's low priority does not prevent that: HotSpot on Linux ignores Java thread priorities
 * by default.)
 */
public final class Warmup {
    /** The name of the thread {@link #startInBackground()} starts. */
    public static final String THREAD_NAME = "deepcanvas-warmup";

    static final int ROUND_MILLIS = 250;
    static final int FLAT_ROUNDS = 3;
    static final int GAIN_PERCENT = 5;
    static final int MAX_PHASE_SECONDS = 8;
    static final int MIN_STEPS = 200;
    static final int MIN_PASSES = 20;
    /** Longest wait for the warm-up's step in flight when a run starts: a step still interpreted takes ~0.5 s. */
    static final int STOP_WAIT_MILLIS = 5000;

    private static final System.Logger LOG = System.getLogger(Warmup.class.getName());
    private static Thread thread;

    private Warmup() {
    }

    /**
     * Starts the warm-up on a daemon thread named {@value #THREAD_NAME} at {@link Thread#MIN_PRIORITY} and returns
     * it; interrupt it to stop the warm-up after the step in flight. Once per process: later calls return the same
     * thread, running or ended. The two networks are built here, on the calling thread (about 20 ms), so that their
     * weights' draws from the default generator come before anything the caller seeds next; the background thread
     * draws no random numbers from it.
     */
    public static synchronized Thread startInBackground() {
        if (thread == null) {
            Networks nets = new Networks();
            Thread t = new Thread(() -> runQuietly(nets), THREAD_NAME);
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
            thread = t;
        }
        return thread;
    }

    /**
     * Stops a warm-up still running and forgets it, so that the next {@link #startInBackground()} starts a new one:
     * for tests, whose JVM has started one already.
     */
    static synchronized void forgetForTests() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    /**
     * Waits until the warm-up started by {@link #startInBackground()} has ended, or the timeout has passed; returns
     * at once when none was started. Never throws: an interrupt ends the wait and stays set on the calling thread.
     */
    public static void awaitQuietly(Duration timeout) {
        Thread t;
        synchronized (Warmup.class) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        try {
            t.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Interrupts the warm-up if one is running on another thread, and waits for its step in flight to end (at most
     * {@value #STOP_WAIT_MILLIS} ms); a training run is about to start. Waiting keeps a seeded run repeatable: while
     * the warm-up's step holds the CPU backend's workers, the run's loops would run unsplit, summing their
     * weight-gradient partials in another order (seen as 97.96% instead of 97.93% test accuracy after one LeNet-5
     * epoch of the same seed).
     */
    static void stopForTraining() {
        Thread t;
        synchronized (Warmup.class) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread() && t.isAlive()) {
            t.interrupt();
            try {
                t.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                // a cancelled start: the run sees the interrupt itself
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void runQuietly(Networks nets) {
        try {
            List<Phase> done = run(nets, Duration.ofSeconds(MAX_PHASE_SECONDS));
            if (!Thread.currentThread().isInterrupted()) {
                // the inference phases run on noise: a test pass on MNIST's constant background takes other
                // kernels (not once a run has interrupted the warm-up: it would compete with the run)
                CpuBackend.warmUpConstantSteps();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "JIT warm-up: " + done);
        } catch (RuntimeException | Error e) {
            // a warm-up that fails costs the user nothing but speed: never let it reach an uncaught handler
            LOG.log(System.Logger.Level.WARNING, "JIT warm-up failed; training will start slowly", e);
        }
    }

    /** The networks to train: LeNet-5 (61,706 parameters) and the dense 784-512-512-10 (669,706). */
    static final class Networks {
        final Sequential lenet5 = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 5 * 5, 120),
                new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
        final Sequential dense = new Sequential(new Flatten(), new Linear(28 * 28, 512), new ReLU(),
                new Linear(512, 512), new ReLU(), new Linear(512, 10));
    }

    /** What one phase did: steps (or inference passes), seconds, and the median step of its last round. */
    record Phase(String name, int steps, double seconds, double lastMedianMillis, boolean interrupted) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d steps in %.1f s, %.2f ms/step at the end%s", name, steps,
                    seconds, lastMedianMillis, interrupted ? " (interrupted)" : "");
        }
    }

    /**
     * Runs every phase on the calling thread, each for at most {@code maxPerPhase}, and returns what each did;
     * stops after the step in flight once the thread is interrupted (its interrupt flag stays set).
     */
    static List<Phase> run(Networks nets, Duration maxPerPhase) {
        // the data come from a generator of their own (RunWarmup.randomBatch): the default one belongs to the user's
        // seeds
        Sequential lenet = nets.lenet5, dense = nets.dense;
        // each phase's data is made when it starts and dropped when it ends: at most ~50 MB live at once
        List<Map.Entry<String, Supplier<Runnable>>> plan = List.of(
                Map.entry("LeNet-5 batch 64 SGD", () -> training(lenet, new SGD(lenet.parameters(), 0.01f, 0.9f),
                        images(64, 32))),
                Map.entry("LeNet-5 batch 64 Adam", () -> training(lenet, new Adam(lenet.parameters(), 1e-3f),
                        images(64, 32))),
                Map.entry("LeNet-5 inference batch 1000", () -> inference(lenet, images(1000, 32))),
                Map.entry("dense batch 128 Adam", () -> training(dense, new Adam(dense.parameters(), 1e-3f),
                        images(128, 28))),
                Map.entry("dense batch 128 SGD", () -> training(dense, new SGD(dense.parameters(), 0.01f, 0.9f),
                        images(128, 28))),
                Map.entry("dense inference batch 1000", () -> inference(dense, images(1000, 28))));
        List<Phase> done = new ArrayList<>();
        for (Map.Entry<String, Supplier<Runnable>> p : plan) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            boolean inference = p.getKey().contains("inference");
            done.add(phase(p.getKey(), p.getValue().get(), inference ? MIN_PASSES : MIN_STEPS,
                    maxPerPhase.toNanos()));
        }
        return done;
    }

    /** A batch of MNIST-shaped images, normal noise, and labels 0-9: inputs [n, 1, side, side], targets [n]. */
    private static Batch images(int n, int side) {
        return RunWarmup.randomBatch(Shape.of(1, side, side), 10, n);
    }

    /** What the trainer does per step, with the loss read and the predictions counted. */
    private static Runnable training(Module net, Optimizer<?> optimizer, Batch batch) {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        return () -> {
            net.train();
            RunWarmup.trainingStep(net, optimizer, loss, batch);
        };
    }

    /** What the evaluator does per test batch. */
    private static Runnable inference(Module net, Batch batch) {
        return () -> {
            net.eval();
            try (NoGrad ignored = GradMode.noGrad()) {
                net.forward(batch.inputs()).argmax(1);
            }
        };
    }

    /**
     * Runs {@code step} in rounds until it has run {@code minSteps} times and its time has stopped falling (see the
     * class comment), or for {@code maxNanos}.
     */
    private static Phase phase(String name, Runnable step, int minSteps, long maxNanos) {
        long start = System.nanoTime(), roundNanos = ROUND_MILLIS * 1_000_000L;
        double best = Double.POSITIVE_INFINITY, median = Double.NaN;
        int steps = 0, flat = 0;
        long[] times = new long[64];
        while ((flat < FLAT_ROUNDS || steps < minSteps) && System.nanoTime() - start < maxNanos) {
            int n = 0;
            long roundStart = System.nanoTime();
            // at least 3 steps, so that one slow step (a GC, a compile finishing) does not make the median
            while (n < 3 || System.nanoTime() - roundStart < roundNanos) {
                if (Thread.currentThread().isInterrupted()) {
                    return new Phase(name, steps, (System.nanoTime() - start) / 1e9, median, true);
                }
                long t0 = System.nanoTime();
                step.run();
                if (n == times.length) {
                    times = Arrays.copyOf(times, 2 * n);
                }
                times[n++] = System.nanoTime() - t0;
                steps++;
            }
            Arrays.sort(times, 0, n);
            median = times[n / 2] / 1e6;
            if (median < best * (1 - GAIN_PERCENT / 100.0)) {
                best = median;
                flat = 0;
            } else {
                flat++;
            }
        }
        return new Phase(name, steps, (System.nanoTime() - start) / 1e9, median, false);
    }
}
