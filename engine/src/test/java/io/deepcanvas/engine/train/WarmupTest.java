package io.deepcanvas.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.Sequential;
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
        // interrupted, it stops after the step in flight; left alone, it would run for several seconds more
        // (each of its six phases runs at least four rounds of 250 ms)
        Warmup.awaitQuietly(Duration.ofSeconds(4));
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

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
