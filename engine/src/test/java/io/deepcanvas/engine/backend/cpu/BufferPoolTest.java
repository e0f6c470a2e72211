package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool keeps a big batch's activations (more than the eighth of the heap it used to stop at) and still never
 * costs the program memory: what it holds, the GC may take.
 */
class BufferPoolTest {
    /** Floats in a sixteenth of the heap. */
    private static final int SIXTEENTH = (int) Math.min(Integer.MAX_VALUE - 8,
            Runtime.getRuntime().maxMemory() / 16 / Float.BYTES);

    @AfterEach
    void emptyThePool() {
        BufferPool.clear();
    }

    @Test
    void keepsMoreThanAnEighthOfTheHeap() {
        BufferPool.clear();
        List<float[]> given = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] a = new float[SIXTEENTH];
            given.add(a);
            BufferPool.give(a);
        }
        assertEquals(3L * SIXTEENTH, BufferPool.pooledFloats());
        // last in, first out: the most recently used array comes back first
        for (int i = 2; i >= 0; i--) {
            assertSame(given.get(i), BufferPool.take(SIXTEENTH), "array " + i + " was not kept");
        }
        assertEquals(0, BufferPool.pooledFloats());
    }

    @Test
    void stopsAtAQuarterOfTheHeapByLettingTheOldestGo() {
        BufferPool.clear();
        List<float[]> given = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            given.add(new float[SIXTEENTH]);
            BufferPool.give(given.get(i));
        }
        assertEquals(4L * SIXTEENTH, BufferPool.pooledFloats(), "a quarter of the heap is four sixteenths");
        // another size (the next network's activations) takes the place of the array given first
        float[] other = new float[SIXTEENTH - 1];
        BufferPool.give(other);
        assertEquals(4L * SIXTEENTH - 1, BufferPool.pooledFloats());
        assertSame(other, BufferPool.take(SIXTEENTH - 1));
        for (int i = 3; i >= 1; i--) {
            assertSame(given.get(i), BufferPool.take(SIXTEENTH), "array " + i + " was not kept");
        }
        assertNull(BufferPool.take(SIXTEENTH), "the array given first should have made room");
    }

    @Test
    void keepsSixteenOfALengthTheNewestFirst() {
        BufferPool.clear();
        int n = 1 << 16;
        List<float[]> given = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            given.add(new float[n]);
            BufferPool.give(given.get(i));
        }
        assertEquals(16L * n, BufferPool.pooledFloats());
        for (int i = 16; i >= 1; i--) {
            assertSame(given.get(i), BufferPool.take(n));
        }
        assertNull(BufferPool.take(n));
    }

    @Test
    void givesWayWhenTheProgramNeedsTheMemory() {
        BufferPool.clear();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < 3; i++) {
            BufferPool.give(new float[SIXTEENTH]);
        }
        // the program's own data: all the heap but two sixteenths, which fits beside what the test JVM already
        // holds, but not beside the pool's three sixteenths unless the GC takes them
        long ownFloats = (rt.maxMemory() - usedBefore) / Float.BYTES - 2L * SIXTEENTH;
        List<float[]> own = new ArrayList<>();
        int chunk = SIXTEENTH / 4;
        for (long held = 0; held < ownFloats; held += chunk) {
            own.add(new float[chunk]);
        }
        assertTrue(own.size() > 0);
        own.clear();
        assertNull(BufferPool.take(SIXTEENTH), "the GC should have cleared the pooled arrays to make room");
        assertTrue(BufferPool.pooledFloats() < SIXTEENTH, "cleared arrays still counted: " + BufferPool.pooledFloats());
    }
}
