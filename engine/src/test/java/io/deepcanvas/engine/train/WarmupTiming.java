package io.deepcanvas.engine.train;

import io.deepcanvas.engine.data.Compose;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Normalize;
import io.deepcanvas.engine.data.Pad;
import io.deepcanvas.engine.examples.MnistExamples;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link Warmup} buys, for the README: in this (fresh) JVM, optionally warms up, then times the first 100
 * training steps of LeNet-5 as {@code layouts/lenet5.json} trains it (MNIST padded and normalised, batch 64, Adam
 * 1e-3) through the {@link Trainer}. Not a test (it needs a fresh JVM per figure); run from the repository root:
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx1g -cp engine/target/classes:engine/target/test-classes:engine/target/lib/* \
 *     io.deepcanvas.engine.train.WarmupTiming none|wait|foreground|after:SECONDS|interrupt:SECONDS[+run]
 * </pre>
 * {@code wait}: start the warm-up and wait for it; {@code foreground}: run it on the main thread, printing its
 * phases; {@code after:S}: start training S seconds after the warm-up started, leaving it running;
 * {@code interrupt:S}: the same, but interrupt the warm-up when training starts. A suffix {@code +run} (say
 * {@code after:3+run}) runs the {@link RunWarmup} before the run, as the app and the command line do.
 */
final class WarmupTiming {
    private WarmupTiming() {
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = args.length == 0 ? "none" : args[0];
        boolean runWarmupToo = mode.endsWith("+run");
        mode = mode.replace("+run", "");
        AtomicLong maxHeapAfterGc = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (true) {
                maxHeapAfterGc.accumulateAndGet(heapAfterLastGc(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long w0 = System.nanoTime();
        Thread warmup = null;
        if (mode.equals("wait")) {
            Warmup.startInBackground();
            Warmup.awaitQuietly(Duration.ofMinutes(5));
        } else if (mode.equals("foreground")) {
            Warmup.run(new Warmup.Networks(), Duration.ofSeconds(Warmup.MAX_PHASE_SECONDS)).forEach(p ->
                    System.out.println("  " + p));
        } else if (mode.startsWith("after:") || mode.startsWith("interrupt:")) {
            warmup = Warmup.startInBackground();
            Thread.sleep((long) (1000 * Double.parseDouble(mode.substring(mode.indexOf(':') + 1))));
            if (mode.startsWith("interrupt:")) {
                warmup.interrupt();
            }
        }
        double warmupSeconds = (System.nanoTime() - w0) / 1e9;
        long warmupHeap = maxHeapAfterGc.get();
        long pooled = pooledBytes();

        Tensor.manualSeed(1);
        var transform = new Compose(new Pad(2), new Normalize(0.1307f, 0.3081f));
        var mnist = new Mnist(Mnist.sampleDataFolder(), true, transform);
        var train = DataLoader.builder(mnist).batchSize(64).shuffle(true).seed(1).build();
        Module net = MnistExamples.lenet5();
        String runWarmup = "";
        if (runWarmupToo) {
            // as the app's TrainingRunner and 'deepcanvas train' do when a run starts
            runWarmup = "run warm-up " + RunWarmup.start(MnistExamples::lenet5,
                    copy -> new Adam(copy.parameters(), 1e-3f), new CrossEntropyLoss(),
                    RunWarmup.randomBatch(Shape.of(1, 32, 32), 10, 64), Duration.ofSeconds(8), () -> false).await()
                    + ", ";
        }
        long[] at = new long[101];
        var end = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3f), train).maxSteps(100)
                .listener(e -> {
                    if (e instanceof TrainingEvent.StepCompleted s) {
                        at[(int) s.step()] = System.nanoTime();
                    } else if (e instanceof TrainingEvent.Started) {
                        at[0] = System.nanoTime();
                    }
                }).build().runOnCallerThread();
        System.out.printf(Locale.ROOT, "%-12s warm-up %5.1f s (max heap after GC %3d MB, %3d MB pooled after)"
                + " | %sfirst 100 steps %5.2f s (steps 1-10 %5.2f s, 11-50 %5.2f s, 51-100 %5.2f s), %s%s%n", mode,
                warmupSeconds, warmupHeap >> 20, pooled >> 20, runWarmup, (at[100] - at[0]) / 1e9, (at[10] - at[0]) / 1e9,
                (at[50] - at[10]) / 1e9, (at[100] - at[50]) / 1e9, end.reason(),
                warmup != null && warmup.isAlive() ? " (warm-up still running)" : "");
    }

    /** The floats the CPU backend keeps for reuse (its package-private count, read by reflection), in bytes. */
    private static long pooledBytes() {
        try {
            var m = Class.forName("io.deepcanvas.engine.backend.cpu.BufferPool").getDeclaredMethod("pooledFloats");
            m.setAccessible(true);
            return 4 * (long) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    private static long heapAfterLastGc() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                sum += p.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }
}
