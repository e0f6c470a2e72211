package io.deepcanvas.engine.backend.cpu;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Recently freed arrays, by length, for reuse by the next allocation of that length.
 *
 * <p>A fresh Java array is zeroed at an address the program has not touched for a while, so for the
 * megabyte-sized activations and gradients of a training step it costs a trip to memory, and so does every
 * kernel that then reads or writes it: measured 10× slower than the same kernel on a reused array. A training
 * step allocates the same sizes every time, so the gradients the backward pass has consumed (the autograd engine
 * hands them back through {@code Backend.recycle}) serve the next step's activations while still in cache — what
 * PyTorch's caching allocator and malloc do for it.
 *
 * <p>Last in, first out, so the most recently used (hottest) array is reused first. Held softly, so the pool never
 * costs the program memory it needs: the GC clears pooled arrays before it would fail an allocation. That lets the
 * bound be large enough for a whole forward pass at a big batch: the ConvNet's inference at batch 1000 makes 57
 * million floats of activations, and with the bound at an eighth of a 1 GB heap half of them were fresh arrays
 * every pass (humongous allocations: a G1 cycle per pass, 10-15% of the inference time). At the bound the arrays
 * given longest ago make room, so the sizes of a network run earlier (the benchmark runs three in one process)
 * do not keep out the sizes of the one running now. Small arrays are not pooled at all (the JVM allocates those
 * cheaply from its thread-local buffers).
 */
final class BufferPool {
    /**
     * {@code -Ddeepcanvas.poisonRecycled=true} (set for the tests) fills every recycled array with NaN, so a kernel
     * that wrongly expects an {@code empty} buffer to hold zeros, or a buffer recycled while still in use, shows up
     * as NaN in a result instead of passing by luck.
     */
    private static final boolean POISON = Boolean.getBoolean("deepcanvas.poisonRecycled");

    /** Arrays below this length are cheap to allocate and not worth a map lookup (all are pooled when poisoning). */
    static final int MIN_POOLED_LENGTH = POISON ? 1 : 16 * 1024;
    /**
     * At most this many floats wait in the pool (a quarter of the heap). Softly held as they are, a bound still
     * keeps a pool that nothing takes from from filling the heap, which would make the GC collect more often until
     * it clears them.
     */
    static final long MAX_POOLED_FLOATS = Runtime.getRuntime().maxMemory() / 4 / Float.BYTES;
    /** Per length, so one size cannot crowd out the others. */
    private static final int MAX_PER_LENGTH = 16;

    private static final Map<Integer, ArrayDeque<Pooled>> FREE = new HashMap<>();
    /** Every pooled array, given longest ago first: the first to go at the bound. */
    private static final LinkedHashSet<Pooled> BY_AGE = new LinkedHashSet<>();
    /** Pooled arrays the GC has cleared, to be taken off the count and out of their queue. */
    private static final ReferenceQueue<float[]> CLEARED = new ReferenceQueue<>();
    private static long pooledFloats;

    /** A pooled array, softly held; its length is kept for the count once the GC has cleared it. */
    private static final class Pooled extends SoftReference<float[]> {
        final int length;

        Pooled(float[] a) {
            super(a, CLEARED);
            length = a.length;
        }
    }

    private BufferPool() {
    }

    /** A previously freed array of exactly {@code n} floats with undefined contents, or null. */
    static float[] take(int n) {
        if (n < MIN_POOLED_LENGTH) {
            return null;
        }
        synchronized (FREE) {
            forgetCleared();
            ArrayDeque<Pooled> free = FREE.get(n);
            if (free == null) {
                return null;
            }
            for (Pooled p; (p = free.pollFirst()) != null; ) {
                BY_AGE.remove(p);
                pooledFloats -= n;
                float[] a = p.get();
                if (a != null) {
                    return a;
                }
            }
            return null;
        }
    }

    /** Takes the arrays the GC has cleared off the count (under the lock). */
    private static void forgetCleared() {
        for (Reference<? extends float[]> r; (r = CLEARED.poll()) != null; ) {
            Pooled p = (Pooled) r;
            ArrayDeque<Pooled> free = FREE.get(p.length);
            // not there when taken (and counted off) before it was cleared
            if (free != null && free.remove(p)) {
                BY_AGE.remove(p);
                pooledFloats -= p.length;
            }
        }
    }

    /** An array of {@code n} zeros: a pooled one cleared, or a fresh one. */
    static float[] zeros(int n) {
        float[] a = take(n);
        if (a == null) {
            return new float[n];
        }
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    /** An array of {@code n} floats with undefined contents: a pooled one, or a fresh one. */
    static float[] any(int n) {
        float[] a = take(n);
        return a != null ? a : new float[n];
    }

    /** Offers an array nothing references any more. */
    static void give(float[] a) {
        int n = a.length;
        if (n < MIN_POOLED_LENGTH) {
            return;
        }
        if (POISON) {
            java.util.Arrays.fill(a, Float.NaN);
        }
        synchronized (FREE) {
            forgetCleared();
            if (n > MAX_POOLED_FLOATS) {
                return;
            }
            ArrayDeque<Pooled> free = FREE.computeIfAbsent(n, k -> new ArrayDeque<>());
            if (free.size() >= MAX_PER_LENGTH) {
                drop(free.peekLast());
            }
            while (pooledFloats + n > MAX_POOLED_FLOATS) {
                drop(BY_AGE.iterator().next());
            }
            Pooled p = new Pooled(a);
            free.addFirst(p);
            BY_AGE.add(p);
            pooledFloats += n;
        }
    }

    /** Leaves a pooled array to the GC (under the lock). */
    private static void drop(Pooled p) {
        FREE.get(p.length).remove(p);
        BY_AGE.remove(p);
        pooledFloats -= p.length;
    }

    /** Empties the pool (for tests). */
    static void clear() {
        synchronized (FREE) {
            FREE.clear();
            BY_AGE.clear();
            pooledFloats = 0;
            while (CLEARED.poll() != null) {
                // references of the arrays just dropped
            }
        }
    }

    /** Floats waiting in the pool (for tests). */
    static long pooledFloats() {
        synchronized (FREE) {
            return pooledFloats;
        }
    }
}
