package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The kernels' per-thread scratch arrays, and their hand-over from a warm-up's thread to the run's. */
class ScratchTest {
    @Test
    void aThreadKeepsItsArraysAndGrowsThemOnlyWhenAskedForMore() {
        float[] a = Scratch.get(Scratch.IM2COL, 1000);
        assertTrue(a.length >= 1000);
        assertSame(a, Scratch.get(Scratch.IM2COL, 500));
        float[] b = Scratch.get(Scratch.IM2COL, 5000);
        assertTrue(b.length >= 5000);
        assertNotSame(a, b);
    }

    @Test
    void theThreadThatGoesOnWithTheWorkGetsTheArraysAtTheSizesTheyReached() throws InterruptedException {
        AtomicReference<float[]> warmed = new AtomicReference<>();
        AtomicReference<Runnable> handOver = new AtomicReference<>();
        onAThreadOfItsOwn(() -> {
            warmed.set(Scratch.get(Scratch.PACK_A, 4096));
            Scratch.get(Scratch.TILE, 8);
            handOver.set(CpuBackend.handOverScratch());
            // the warm-up's thread gave them away: it would start again from none
            assertNotSame(warmed.get(), Scratch.get(Scratch.PACK_A, 1));
        });
        onAThreadOfItsOwn(() -> {
            float[] small = Scratch.get(Scratch.TILE, 16);
            handOver.get().run();
            assertSame(warmed.get(), Scratch.get(Scratch.PACK_A, 4096), "the run's thread allocated again");
            // its own arrays stay where they are at least as large as the warm-up's (its TILE of 16 against 8)
            assertSame(small, Scratch.get(Scratch.TILE, 16));
        });
    }

    /** Runs {@code body} on a new thread and waits for it; what it throws is thrown here. */
    private static void onAThreadOfItsOwn(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(body);
        t.setUncaughtExceptionHandler((thread, e) -> failed.set(e));
        t.start();
        t.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }
}
