package io.deepcanvas.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision row-major matrix multiply with the Vector API: C[m,n] (+)= op(A)[m,k] · op(B)[k,n].
 *
 * <p>The micro-kernel keeps a 4×2 block of vector accumulators in registers (4 rows of C by two vector widths
 * of columns) and streams one row of B per step of k, broadcasting one element of A per row. A transposed A
 * is read in place (the broadcast just reads another address); a transposed B is first copied into a
 * per-thread [k, n] panel because the kernel needs rows of B to be contiguous.
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final int MR = 4;

    private Gemm() {
    }

    /**
     * C = op(A)·op(B) (+ C when accumulate). {@code parallel} lets the call split rows over the cores; callers
     * that already run per-thread work pass false.
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                         boolean accumulate, boolean parallel) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            return;
        }
        float[] bb = b;
        int bbOff = bOff;
        if (transB) {
            // B is stored [n, k]; the kernel wants [k, n] rows.
            bb = Scratch.get(Scratch.PACK_B, k * n);
            bbOff = 0;
            transpose(b, bOff, n, k, bb);
        }
        final float[] B = bb;
        final int bo = bbOff;
        long work = (long) m * n * k;
        int rowBlocks = (m + MR - 1) / MR;
        if (parallel && rowBlocks >= 2 && work >= Parallel.MIN_PARALLEL_WORK * 4) {
            Parallel.forRange(rowBlocks, work, (from, to) ->
                    rows(transA, from * MR, Math.min(m, to * MR), m, n, k, a, aOff, B, bo, c, cOff, accumulate));
        } else if (parallel && work >= Parallel.MIN_PARALLEL_WORK * 4 && n >= 4 * VL) {
            // few rows but wide: split the columns instead
            int colBlocks = (n + 2 * VL - 1) / (2 * VL);
            Parallel.forRange(colBlocks, work, (from, to) -> cols(transA, m, n, k, a, aOff, B, bo, c, cOff,
                    accumulate, from * 2 * VL, Math.min(n, to * 2 * VL)));
        } else {
            rows(transA, 0, m, m, n, k, a, aOff, B, bo, c, cOff, accumulate);
        }
    }

    /** Transposes src [rows, cols] (at offset) into dst [cols, rows]. */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        final int T = 32;
        for (int i0 = 0; i0 < rows; i0 += T) {
            int i1 = Math.min(rows, i0 + T);
            for (int j0 = 0; j0 < cols; j0 += T) {
                int j1 = Math.min(cols, j0 + T);
                for (int i = i0; i < i1; i++) {
                    int s = off + i * cols;
                    for (int j = j0; j < j1; j++) {
                        dst[j * rows + i] = src[s + j];
                    }
                }
            }
        }
    }

    private static void rows(boolean transA, int r0, int r1, int m, int n, int k, float[] a, int aOff,
                             float[] b, int bOff, float[] c, int cOff, boolean acc) {
        cols0(transA, r0, r1, m, n, k, a, aOff, b, bOff, c, cOff, acc, 0, n);
    }

    private static void cols(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                             float[] c, int cOff, boolean acc, int j0, int j1) {
        cols0(transA, 0, m, m, n, k, a, aOff, b, bOff, c, cOff, acc, j0, j1);
    }

    /** Computes rows [r0, r1) and columns [j0, j1) of C. */
    private static void cols0(boolean transA, int r0, int r1, int m, int n, int k, float[] a, int aOff,
                              float[] b, int bOff, float[] c, int cOff, boolean acc, int j0, int j1) {
        // element (i, p) of op(A): A stored [m, k] (ai = k, ap = 1) or [k, m] (ai = 1, ap = m)
        final int ai = transA ? 1 : k;
        final int ap = transA ? m : 1;
        int i = r0;
        for (; i + MR <= r1; i += MR) {
            int j = j0;
            for (; j + 2 * VL <= j1; j += 2 * VL) {
                block4x2(i, j, n, k, a, aOff, ai, ap, b, bOff, c, cOff, acc);
            }
            for (; j + VL <= j1; j += VL) {
                block4x1(i, j, n, k, a, aOff, ai, ap, b, bOff, c, cOff, acc);
            }
            for (int r = i; r < i + MR; r++) {
                scalarRow(r, j, j1, n, k, a, aOff, ai, ap, b, bOff, c, cOff, acc);
            }
        }
        for (; i < r1; i++) {
            int j = j0;
            for (; j + VL <= j1; j += VL) {
                block1x1(i, j, n, k, a, aOff, ai, ap, b, bOff, c, cOff, acc);
            }
            scalarRow(i, j, j1, n, k, a, aOff, ai, ap, b, bOff, c, cOff, acc);
        }
    }

    private static void block4x2(int i, int j, int n, int k, float[] a, int aOff, int ai, int ap,
                                 float[] b, int bOff, float[] c, int cOff, boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a0 = aOff + i * ai, a1 = a0 + ai, a2 = a1 + ai, a3 = a2 + ai;
        int bp = bOff + j;
        for (int p = 0; p < k; p++, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + VL);
            int q = p * ap;
            FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + q]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + q]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + q]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        int o = cOff + i * n + j;
        store(c00, c, o, acc);
        store(c01, c, o + VL, acc);
        o += n;
        store(c10, c, o, acc);
        store(c11, c, o + VL, acc);
        o += n;
        store(c20, c, o, acc);
        store(c21, c, o + VL, acc);
        o += n;
        store(c30, c, o, acc);
        store(c31, c, o + VL, acc);
    }

    private static void block4x1(int i, int j, int n, int k, float[] a, int aOff, int ai, int ap,
                                 float[] b, int bOff, float[] c, int cOff, boolean acc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        int a0 = aOff + i * ai, a1 = a0 + ai, a2 = a1 + ai, a3 = a2 + ai;
        int bp = bOff + j;
        for (int p = 0; p < k; p++, bp += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            int q = p * ap;
            c0 = FloatVector.broadcast(S, a[a0 + q]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + q]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + q]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + q]).fma(b0, c3);
        }
        int o = cOff + i * n + j;
        store(c0, c, o, acc);
        store(c1, c, o + n, acc);
        store(c2, c, o + 2 * n, acc);
        store(c3, c, o + 3 * n, acc);
    }

    private static void block1x1(int i, int j, int n, int k, float[] a, int aOff, int ai, int ap,
                                 float[] b, int bOff, float[] c, int cOff, boolean acc) {
        FloatVector c0 = FloatVector.zero(S);
        int a0 = aOff + i * ai;
        int bp = bOff + j;
        for (int p = 0; p < k; p++, bp += n) {
            c0 = FloatVector.broadcast(S, a[a0 + p * ap]).fma(FloatVector.fromArray(S, b, bp), c0);
        }
        store(c0, c, cOff + i * n + j, acc);
    }

    private static void scalarRow(int i, int j0, int j1, int n, int k, float[] a, int aOff, int ai, int ap,
                                  float[] b, int bOff, float[] c, int cOff, boolean acc) {
        if (j0 >= j1) {
            return;
        }
        int a0 = aOff + i * ai;
        for (int j = j0; j < j1; j++) {
            float s = 0f;
            int bp = bOff + j;
            for (int p = 0; p < k; p++, bp += n) {
                s = Math.fma(a[a0 + p * ap], b[bp], s);
            }
            int o = cOff + i * n + j;
            c[o] = acc ? c[o] + s : s;
        }
    }

    private static void store(FloatVector v, float[] c, int o, boolean acc) {
        if (acc) {
            v = v.add(FloatVector.fromArray(S, c, o));
        }
        v.intoArray(c, o);
    }
}
