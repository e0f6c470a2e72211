package io.deepcanvas.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Dropout;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.tensor.Generator;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The warm-up before a run trains a copy on its own thread, stops when asked or when its steps stop getting faster,
 * and changes no result.
 */
class RunWarmupTest {
    private static final Shape SAMPLE = Shape.of(1, 8, 8);

    /** 64 random 1×8×8 "images" with labels 0-9: the run's data. */
    private static Dataset data() {
        Generator g = new Generator(7);
        float[] x = new float[64 * 64];
        g.fillNormal(x, 0f, 1f);
        float[] y = new float[64];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        return new TensorDataset(Tensor.wrap(x, 64, 1, 8, 8), Tensor.wrap(y, 64));
    }

    /** A small network with dropout, so that it draws from the default generator while it trains. */
    private static Module network() {
        return new Sequential(new Flatten(), new Linear(64, 32), new ReLU(), new Dropout(0.5f), new Linear(32, 10));
    }

    private static RunWarmup.InBackground start(Shape sample, Duration max, BooleanSupplier stop) {
        return RunWarmup.start(RunWarmupTest::network, copy -> new Adam(copy.parameters(), 1e-3f),
                new CrossEntropyLoss(), RunWarmup.randomBatch(sample, 10, 16), max, stop);
    }

    /**
     * Seeds, builds the network, (warms up on a copy while the data is read,) then trains 5 steps; returns the
     * weights.
     */
    private static float[] train(boolean warmUp) {
        Tensor.manualSeed(11);
        Module net = network();
        RunWarmup.InBackground w = warmUp ? start(SAMPLE, Duration.ofSeconds(30), () -> false) : null;
        Dataset data = data();
        if (w != null) {
            RunWarmup.Report r = w.await();
            assertTrue(r != null && r.steps() >= 2 * RunWarmup.WINDOW_STEPS, "two windows at least: " + r);
        }
        var run = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3f),
                DataLoader.builder(data).batchSize(16).shuffle(true).seed(3).build()).maxSteps(5).build()
                .runOnCallerThread();
        assertEquals(TrainingEvent.Reason.COMPLETED, run.reason(), run.message());
        float[] all = new float[0];
        for (var p : net.parameters()) {
            float[] w2 = p.toArray();
            float[] both = Arrays.copyOf(all, all.length + w2.length);
            System.arraycopy(w2, 0, both, all.length, w2.length);
            all = both;
        }
        return all;
    }

    @Test
    void aWarmupIsWantedForRealBatchesOnlyAndNotWhenSwitchedOff() {
        assertTrue(RunWarmup.wanted(64));
        assertTrue(RunWarmup.wanted(60_000));
        assertFalse(RunWarmup.wanted(60_001), "more images than MNIST has: the run refuses it, no warm-up first");
        System.setProperty("deepcanvas.noWarmup", "true");
        try {
            assertFalse(RunWarmup.wanted(64));
        } finally {
            System.clearProperty("deepcanvas.noWarmup");
        }
    }

    @Test
    void aRunAfterTheWarmupEndsWithTheSameWeightsToTheBit() {
        // the network built before the warm-up and its dropout masks drawn after it: both from the default
        // generator, which the warm-up's copy draws from too (its weights and masks) and must leave where it was
        assertArrayEquals(train(false), train(true));
    }

    @Test
    void itLeavesTheDefaultGeneratorWhereItWasWhenItStarted() {
        Tensor.manualSeed(5);
        float next = Generator.defaultGenerator().nextFloat();
        Tensor.manualSeed(5);
        start(SAMPLE, Duration.ofMillis(1), () -> false).await();
        assertEquals(next, Generator.defaultGenerator().nextFloat());
    }

    @Test
    void itStopsAfterTheStepInFlightWhenAskedAndAtItsTimeLimit() {
        AtomicInteger asked = new AtomicInteger();
        RunWarmup.Report stopped = start(SAMPLE, Duration.ofSeconds(30), () -> asked.incrementAndGet() > 3).await();
        assertEquals(3, stopped.steps());
        assertFalse(stopped.settled());

        // stop(): the warm-up's first look at the caller's condition waits until stop() has been called, so at most
        // the step then in flight runs (none if stop() came before the warm-up's first look)
        CountDownLatch called = new CountDownLatch(1);
        RunWarmup.InBackground w = start(SAMPLE, Duration.ofSeconds(30), () -> {
            try {
                called.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        w.stop();
        called.countDown();
        RunWarmup.Report r = w.await();
        assertTrue(r.steps() <= 1, r.toString());
        assertFalse(r.settled());

        RunWarmup.Report timedOut = start(SAMPLE, Duration.ZERO, () -> false).await();
        assertEquals(1, timedOut.steps());
        assertFalse(timedOut.settled());
        assertTrue(timedOut.toString().contains("stopped before the steps stopped getting faster"),
                timedOut.toString());
    }

    @Test
    void itSettlesOnASmallNetworkAndAFailedOneReportsNull() {
        RunWarmup.Report r = start(SAMPLE, Duration.ofSeconds(30), () -> false).await();
        assertTrue(r.settled(), "a small network's steps stop getting faster well within 30 s: " + r);
        // images of the wrong shape for the network: the warm-up fails quietly (the run would report the problem)
        assertNull(start(Shape.of(1, 5, 5), Duration.ofSeconds(30), () -> false).await());
    }

    @Test
    void itTrainsTheCopyItBuildsAndNothingElse() {
        Module[] built = new Module[1];
        float[][] before = new float[1][];
        RunWarmup.start(() -> {
            built[0] = network();
            before[0] = built[0].parameters().get(0).toArray();
            return built[0];
        }, copy -> new Adam(copy.parameters(), 1e-2f), new CrossEntropyLoss(), RunWarmup.randomBatch(SAMPLE, 10, 16),
                Duration.ofSeconds(30), () -> false).await();
        assertFalse(Arrays.equals(before[0], built[0].parameters().get(0).toArray()), "the copy trained");
    }

    @Test
    void aRandomBatchHasTheSampleShapeAndLabelsOfEveryClass() {
        var b = RunWarmup.randomBatch(Shape.of(1, 32, 32), 10, 64);
        assertEquals(Shape.of(64, 1, 32, 32), b.inputs().shape());
        assertEquals(Shape.of(64), b.targets().shape());
        float[] y = b.targets().toArray();
        assertEquals(0f, y[0]);
        assertEquals(9f, y[9]);
        assertEquals(0f, y[10]);
    }
}
