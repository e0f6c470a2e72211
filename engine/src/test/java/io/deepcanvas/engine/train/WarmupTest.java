package io.deepcanvas.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.MaxPool2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The JIT warm-up runs out of the way: its own low-priority daemon thread, stoppable, leaving seeds alone. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmupTest {

    @Test
    @Order(1)
    void startsOneNamedLowPriorityDaemonThreadThatATrainingRunStops() {
        Thread t = Warmup.startInBackground();
        assertEquals("deepcanvas-warmup", t.getName());
        assertTrue(t.isDaemon(), "never keeps the process alive");
        assertEquals(Thread.MIN_PRIORITY, t.getPriority());
        assertSame(t, Warmup.startInBackground(), "once per process");
        assertTrue(t.isAlive(), "it runs for seconds");
        Module net = new Sequential(new Linear(2, 1));
        Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.1f),
                new DataLoader(new TensorDataset(Tensor.randn(4, 2), Tensor.randn(4, 1)), 2)).build()
                .runOnCallerThread();
        // interrupted, it stops after the step in flight, which the run waits for; left alone, it would run for
        // several seconds more (each of its six phases runs at least four rounds of 250 ms)
        assertFalse(t.isAlive(), "the run stopped the warm-up, which would share the cores with it");
    }

    @Test
    @Order(2)
    void awaitQuietlyNeitherThrowsNorSwallowsAnInterrupt() {
        Warmup.startInBackground().interrupt();
        Thread.currentThread().interrupt();
        long t0 = System.nanoTime();
        Warmup.awaitQuietly(Duration.ofSeconds(30));
        assertTrue(Thread.interrupted(), "the caller's interrupt is still set");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "an interrupted wait ends at once");
    }

    @Test
    @Order(3)
    void everyPhaseTrainsOrInfersWithoutDrawingFromTheDefaultGenerator() {
        Tensor.manualSeed(7);
        float[] expected = Tensor.randn(8).toArray();
        Warmup.Networks nets = new Warmup.Networks();
        Tensor.manualSeed(7);
        // each phase capped at a fraction of a second: this checks what runs, not how long the JIT needs
        List<Warmup.Phase> phases = Warmup.run(nets, Duration.ofMillis(300));
        assertArrayEquals(expected, Tensor.randn(8).toArray(), "the user's seeded stream is untouched");
        assertEquals(List.of("LeNet-5 batch 64 SGD", "LeNet-5 batch 64 Adam", "LeNet-5 inference batch 1000",
                "dense batch 128 Adam", "dense batch 128 SGD", "dense inference batch 1000"),
                phases.stream().map(Warmup.Phase::name).toList());
        for (Warmup.Phase p : phases) {
            assertFalse(p.interrupted(), p.toString());
            assertTrue(p.steps() >= 3 && p.lastMedianMillis() > 0, p.toString());
        }
        assertTrue(nets.lenet5.parameters().stream().allMatch(w -> allFinite(w.toArray())), "it trained sanely");
    }

    /**
     * A run started while the warm-up is mid-step waits for that step: had they overlapped, the run's loops would
     * have found the CPU workers taken and run unsplit, summing weight-gradient partials in another order.
     */
    @Test
    @Order(4)
    void aSeededRunTrainsTheSameWeightsWithTheWarmupRunning() throws InterruptedException {
        float[] alone = seededRun();
        Warmup.forgetForTests();
        Warmup.startInBackground();
        // into its first phase, whose steps still run slowly (interpreted)
        Thread.sleep(300);
        float[] withWarmup = seededRun();
        assertArrayEquals(alone, withWarmup, "the same weights, to the bit");
    }

    /** Three Adam steps of a small convolutional network, seeded: its flattened weights. */
    private static float[] seededRun() {
        Tensor.manualSeed(11);
        Module net = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(6 * 12 * 12, 10));
        Tensor x = Tensor.randn(192, 1, 28, 28);
        float[] y = new float[192];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3f),
                new DataLoader(new TensorDataset(x, Tensor.wrap(y, 192)), 64)).build().runOnCallerThread();
        return net.parameters().stream().map(Tensor::toArray).reduce(new float[0], (a, b) -> {
            float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        });
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
