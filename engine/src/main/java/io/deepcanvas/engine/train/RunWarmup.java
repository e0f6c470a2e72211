package io.deepcanvas.engine.train;

import io.deepcanvas.engine.backend.cpu.CpuBackend;
import io.deepcanvas.engine.data.Batch;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.tensor.Generator;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Trains a throwaway copy of the network a run is about to train, on one batch of random images, until the JIT has
 * compiled the kernels that network uses: the run's first step then starts near full speed. Without it the first
 * 100 LeNet-5 steps of {@code deepcanvas train} ran at a sixth of the steady state: the Vector API kernels run
 * boxed, about 100× slower, until C2 has compiled them, which takes 1–2 s of running them on 2 cores (README, "CPU
 * speed"). The warm-up costs little more than those slow steps did — the compiling is the same, done before the
 * run instead of inside it, while the caller reads its data; what is lost is the copy's last few fast steps — and
 * the run's results do not change: the copy has its own weights and optimizer, and the warm-up puts the default
 * generator back as it found it (the copy draws its weights and dropout masks from it). Random images serve as
 * well as the run's own: the kernels a network runs depend on the shapes only.
 *
 * <p>It runs in windows of at least {@value #WINDOW_MILLIS} ms and {@value #WINDOW_STEPS} steps and stops after a
 * window whose median step is not {@value #GAIN_PERCENT}% faster than the window before's and in which the JIT's
 * compilers were not busy all the time (their summed compile time under {@value #JIT_BUSY_PERCENT}% of the
 * window's): the JIT has compiled what made the steps fast. Either test alone stopped too early or too late. The
 * steps flatten for a few windows while C2 compiles a big kernel (the dense network at batch 64: 7.1 then 6.7 ms,
 * then 2.7 once compiled), with 105-115 ms of compile time per 100 ms window; stopped there, the run trained its
 * first 100 steps at a quarter of the steady state. Once the kernels are compiled the compilers go on with small
 * compiles for seconds (30-90 ms per window for LeNet-5): waiting for them to fall under half the window made
 * LeNet-5's warm-up ~0.1-0.3 s longer (2.0-2.3 s, up to 285 steps at near full speed that train nothing) for no
 * faster first steps. {@value #WINDOW_STEPS} steps a window also skips the plateaus of the very first steps. It
 * also stops after the caller's time limit, when the run starts anyway and its first steps finish the compiling.
 *
 * <p>Unlike {@link Warmup} (the app's, at launch, for the tutorial networks whatever the user builds next), it runs
 * the user's own network at the user's batch size, so it compiles exactly the kernels the run needs; it stops that
 * warm-up first (after its step in flight), since the two would share the cores.
 */
public final class RunWarmup {
    static final int WINDOW_MILLIS = 100;
    static final int WINDOW_STEPS = 10;
    static final int GAIN_PERCENT = 10;
    static final int JIT_BUSY_PERCENT = 100;
    /**
     * The longest a warm-up should run before the run starts anyway, for callers to pass as {@code max}: LeNet-5's
     * takes 1.3–2.2 s from cold on 2 cores, ~0.2 s after the app's launch warm-up.
     */
    public static final Duration LIMIT = Duration.ofSeconds(8);
    /** Larger batches are not warmed up: MNIST has 60,000 training images, and the run refuses them with the fix. */
    static final int MAX_BATCH = 60_000;
    private static final System.Logger LOG = System.getLogger(RunWarmup.class.getName());

    private RunWarmup() {
    }

    /** What a warm-up did: its steps, how long it took, and whether the steps had stopped getting faster. */
    public record Report(int steps, Duration elapsed, boolean settled) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d steps in %.1f s%s", steps, elapsed.toNanos() / 1e9,
                    settled ? "" : ", stopped before the steps stopped getting faster");
        }
    }

    /**
     * A warm-up running on its own thread (see {@link #start}); {@link #await} waits for its end and says what it
     * did, or null when it failed (a warm-up that fails costs the run nothing but speed).
     */
    public static final class InBackground {
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Report report;
        /** Gives the warm-up's kernel scratch arrays to the thread that awaits it (set when the warm-up ends). */
        private volatile Runnable scratch;

        /** The warm-up of {@code network}; {@code before} is the default generator's state to put back at its end. */
        private InBackground(Module network, Optimizer<?> optimizer, Loss loss, Batch batch, Duration max,
                             BooleanSupplier stop, Generator.State before) {
            thread = new Thread(() -> {
                try {
                    report = train(network, optimizer, loss, batch, max, () -> stopped || stop.getAsBoolean());
                } catch (RuntimeException | OutOfMemoryError e) {
                    LOG.log(System.Logger.Level.DEBUG, "run warm-up failed", e);
                } finally {
                    scratch = CpuBackend.handOverScratch();
                    Generator.defaultGenerator().setState(before);
                }
            }, "deepcanvas-run-warmup");
            thread.setDaemon(true);
        }

        /** Asks the warm-up to stop after its step in flight (a bad option found while it runs, a Ctrl-C). */
        public void stop() {
            stopped = true;
        }

        /**
         * Waits for the warm-up to end and returns its report (null when it failed); from here on the default
         * generator is where it was when the warm-up started, and the calling thread, which trains next, has the
         * warm-up's kernel buffers ({@link CpuBackend#handOverScratch}).
         */
        public Report await() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Runnable handOver = scratch;
            if (handOver != null) {
                // the run's thread goes on with the kernels' buffers at the sizes they reached
                scratch = null;
                handOver.run();
            }
            return report;
        }
    }

    /**
     * Builds a copy of the network with {@code copyOfNetwork} and its optimizer with {@code optimizerFor}, here on
     * the calling thread, and trains it on a thread of its own, on {@code batch} (say {@link #randomBatch}) as the
     * {@link Trainer} steps, until its steps have stopped getting faster, {@code max} has passed, or {@code stop}
     * (a Ctrl-C, a Stop button) or {@link InBackground#stop} says so, after the step in flight. The caller reads its
     * data meanwhile. Between this call and {@link InBackground#await} it must draw nothing from the default
     * generator: the copy draws from it (its weights, its dropout masks), and the warm-up puts it back as it was at
     * this call when it ends, so the run draws the same numbers as without the warm-up.
     */
    public static InBackground start(Supplier<? extends Module> copyOfNetwork,
                                     Function<Module, ? extends Optimizer<?>> optimizerFor, Loss loss, Batch batch,
                                     Duration max, BooleanSupplier stop) {
        Warmup.stopForTraining();
        Generator random = Generator.defaultGenerator();
        Generator.State before = random.getState();
        Module network;
        Optimizer<?> optimizer;
        try {
            network = copyOfNetwork.get();
            optimizer = optimizerFor.apply(network);
        } catch (RuntimeException | Error e) {
            random.setState(before);
            throw e;
        }
        InBackground warmup = new InBackground(network, optimizer, loss, batch, max, stop, before);
        warmup.thread.start();
        return warmup;
    }

    /**
     * Whether a run at {@code batchSize} gets a warm-up: not with {@code -Ddeepcanvas.noWarmup=true} (to measure
     * what it buys), nor for a batch too large to be a real one (its random images alone could exhaust the heap
     * before the run says what is wrong). One rule for the command line and the app.
     */
    public static boolean wanted(int batchSize) {
        return !Boolean.getBoolean("deepcanvas.noWarmup") && batchSize <= MAX_BATCH;
    }

    /**
     * {@code n} images of {@code sample}'s shape, standard normal noise, with class labels 0, 1, ... (modulo
     * {@code classes}): a batch for the warm-up before the run's data is read. The kernels a network runs depend on
     * the shapes only.
     */
    public static Batch randomBatch(Shape sample, int classes, int n) {
        int[] dims = new int[sample.rank() + 1];
        dims[0] = n;
        for (int d = 0; d < sample.rank(); d++) {
            dims[d + 1] = sample.dim(d);
        }
        float[] x = new float[n * sample.numel()];
        new Generator(20241205L).fillNormal(x, 0f, 1f);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % Math.max(1, classes);
        }
        return new Batch(Tensor.wrap(x, dims), Tensor.wrap(y, n));
    }

    /**
     * One step as the {@link Trainer} takes it: gradients cleared, forward, loss read, backward, update, and the
     * predictions read for the accuracy (a classifier's). Also {@link Warmup}'s step.
     */
    static void trainingStep(Module network, Optimizer<?> optimizer, Loss loss, Batch batch) {
        optimizer.zeroGrad();
        Tensor out = network.forward(batch.inputs());
        Tensor l = loss.forward(out, batch.targets());
        l.item();
        l.backward();
        optimizer.step();
        if (out.dim() == 2) {
            out.argmax(1).toIntArray();
        }
    }

    private static Report train(Module network, Optimizer<?> optimizer, Loss loss, Batch batch, Duration max,
                                BooleanSupplier stop) {
        long start = System.nanoTime();
        long limit = start + max.toNanos();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean canReadJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long windowStart = System.nanoTime(), windowCompileMillis = canReadJit ? jit.getTotalCompilationTime() : 0;
        long previousMedian = 0;
        long[] window = new long[64];
        int steps = 0, windowSteps = 0;
        network.train();
        while (!stop.getAsBoolean()) {
            long t0 = System.nanoTime();
            trainingStep(network, optimizer, loss, batch);
            steps++;
            long now = System.nanoTime();
            if (now >= limit) {
                return new Report(steps, Duration.ofNanos(now - start), false);
            }
            if (windowSteps == window.length) {
                window = Arrays.copyOf(window, 2 * windowSteps);
            }
            window[windowSteps++] = now - t0;
            long windowNanos = now - windowStart;
            if (windowNanos >= WINDOW_MILLIS * 1_000_000L && windowSteps >= WINDOW_STEPS) {
                Arrays.sort(window, 0, windowSteps);
                long median = window[windowSteps / 2];
                long compileMillis = canReadJit ? jit.getTotalCompilationTime() : 0;
                boolean jitQuiet = (compileMillis - windowCompileMillis) * 1_000_000L * 100
                        < windowNanos * JIT_BUSY_PERCENT;
                if (previousMedian > 0 && median * 100 > previousMedian * (100 - GAIN_PERCENT) && jitQuiet) {
                    return new Report(steps, Duration.ofNanos(now - start), true);
                }
                previousMedian = median;
                windowStart = now;
                windowCompileMillis = compileMillis;
                windowSteps = 0;
            }
        }
        return new Report(steps, Duration.ofNanos(System.nanoTime() - start), false);
    }
}
