package io.deepcanvas.engine.backend.cpu;

import java.util.ArrayDeque;
import java.util.HashMap;
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
 * <p>Last in, first out, so the most recently used (hottest) array is reused first. Bounded, so a program that
 * stops training keeps at most {@link #MAX_POOLED_FLOATS} floats here; small arrays are not pooled at all (the
 * JVM allocates those cheaply from its thread-local buffers).
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
     * At most this many floats wait in the pool (an eighth of the heap, at most 256 MB); beyond that, freed arrays
     * are left to the GC, so the pool never crowds out the program's own data (a LeNet-5 epoch runs in 512 MB).
     */
    static final long MAX_POOLED_FLOATS = Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8 / 4);
    /** Per length, so one size cannot crowd out the others. */
    private static final int MAX_PER_LENGTH = 16;

    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    private static long pooledFloats;

    private BufferPool() {
    }

    /** A previously freed array of exactly {@code n} floats with undefined contents, or null. */
    static float[] take(int n) {
        if (n < MIN_POOLED_LENGTH) {
            return null;
        }
        synchronized (FREE) {
            ArrayDeque<float[]> free = FREE.get(n);
            float[] a = free == null ? null : free.pollFirst();
            if (a != null) {
                pooledFloats -= n;
            }
            return a;
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
            ArrayDeque<float[]> free = FREE.computeIfAbsent(n, k -> new ArrayDeque<>());
            if (free.size() >= MAX_PER_LENGTH || pooledFloats + n > MAX_POOLED_FLOATS) {
                return;
            }
            free.addFirst(a);
            pooledFloats += n;
        }
    }

    /** Empties the pool (for tests). */
    static void clear() {
        synchronized (FREE) {
            FREE.clear();
            pooledFloats = 0;
        }
    }

    /** Floats waiting in the pool (for tests). */
    static long pooledFloats() {
        synchronized (FREE) {
            return pooledFloats;
        }
    }
}
