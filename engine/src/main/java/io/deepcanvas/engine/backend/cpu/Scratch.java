package io.deepcanvas.engine.backend.cpu;

/**
 * Per-thread reusable float arrays for kernel temporaries (im2col columns, packed panels), so a training step
 * does not allocate them again and again. Each slot grows to the largest size seen and is never shrunk.
 */
final class Scratch {
    static final int IM2COL = 0;
    static final int PACK_B = 1;
    static final int COL_GRAD = 2;
    static final int PACK_X = 3;
    static final int PACK_A = 4;
    static final int TILE = 5;
    static final int DIRECT_INPUT = 6;
    static final int DIRECT_OUTPUT = 7;
    static final int DIRECT_GRAD = 8;
    static final int IMPLICIT_B = 9;
    static final int IMPLICIT_C = 10;
    static final int PACK_A_ALL = 11;
    static final int LANE_INPUT = 12;
    static final int LANE_OUTPUT = 13;
    static final int LANE_GRAD = 14;
    static final int LANE_PARTIAL = 15;
    static final int POOL_TOP = 16;
    static final int POOL_BOTTOM = 17;
    static final int POOL_BASE = 18;
    static final int PACK_ROWS = 19;
    static final int SPARSE_VALUES = 20;
    static final int SPARSE_INPUTS = 21;
    static final int SPARSE_ACCUMULATOR = 22;
    static final int SPARSE_WEIGHTS = 23;
    private static final int SLOTS = 24;
    /** Slots of {@link #ints}. */
    static final int SPARSE_OFFSETS = 0;
    static final int SPARSE_STARTS = 1;
    private static final int INT_SLOTS = 2;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);
    private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[INT_SLOTS][]);

    private Scratch() {
    }

    /**
     * This thread's arrays, taken from it, for {@link #adopt} by the thread that goes on with its work (this one
     * starts again from none).
     */
    static float[][] handOver() {
        float[][] arrays = ARRAYS.get();
        ARRAYS.remove();
        return arrays;
    }

    /** Takes the arrays of {@code from} ({@link #handOver}) that are larger than this thread's own. */
    static void adopt(float[][] from) {
        float[][] own = ARRAYS.get();
        for (int slot = 0; slot < SLOTS; slot++) {
            if (from[slot] != null && (own[slot] == null || own[slot].length < from[slot].length)) {
                own[slot] = from[slot];
            }
        }
    }

    /** An array of at least {@code n} floats for this thread and slot; its contents are undefined. */
    static float[] get(int slot, int n) {
        float[][] arrays = ARRAYS.get();
        float[] a = arrays[slot];
        if (a == null || a.length < n) {
            a = new float[Math.max(n, a == null ? 0 : a.length + a.length / 2)];
            arrays[slot] = a;
        }
        return a;
    }

    /** As {@link #get}, for ints. */
    static int[] ints(int slot, int n) {
        int[][] arrays = INTS.get();
        int[] a = arrays[slot];
        if (a == null || a.length < n) {
            a = new int[Math.max(n, a == null ? 0 : a.length + a.length / 2)];
            arrays[slot] = a;
        }
        return a;
    }
}
