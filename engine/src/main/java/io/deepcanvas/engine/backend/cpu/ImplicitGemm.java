package io.deepcanvas.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A matrix multiply whose left operand is never built: C[r][j] (+)= Σ_k src[rowBase[r] + kOff[k]] · B[k][j].
 *
 * <p>For a stride-1 convolution this is im2col's matrix read in place from a padded image: in the forward pass the
 * rows are output positions and k runs over (input channel, tap) pairs; in the weight gradient the rows are the
 * (input channel, tap) pairs and k runs over output positions. Either way the address is a row's base plus a
 * k's offset, so two small int tables replace a matrix 25× the size of the image, and nothing is packed on the
 * left. The columns j are channels (output channels, or input channels for the input gradient): wide layers have
 * 32 or more, so a 6-row × 2-vector register tile fills every lane, with no thrown-away columns or tail taps.
 *
 * <p>B is packed like {@link Gemm}'s B, in column panels NR = 2 vectors wide: {@code bp[(jp·K + k)·NR + col]},
 * columns past n zero. k is cut into blocks of KC so a block of one panel stays in L1 while every row passes.
 */
final class ImplicitGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int MR = 6;
    static final int NR = 2 * VL;
    /** Steps of k per block: a KC × NR block of B is 16 KB with AVX-512. */
    private static final int KC = 128;

    private ImplicitGemm() {
    }

    /** Rows rounded up to whole MR-row tiles: the length a row table needs. */
    static int paddedRows(int rows) {
        return (rows + MR - 1) / MR * MR;
    }

    /** Columns rounded up to whole panels: the row length of C and of B's packing. */
    static int paddedCols(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /**
     * Packs B[k][j] = src[srcOff + j·ld + k] for k in [0, count) into rows [kAt, kAt + count) of the panels of a
     * K-row packing: B is stored transposed (one row of src per column j), as weights [out][in] and gradients
     * [channel][pixel] are. Columns past n are zero.
     */
    static void packTransposed(float[] src, int srcOff, int ld, int count, int n, float[] bp, int kAt, int kTotal) {
        for (int jp = 0; jp * NR < n; jp++) {
            int j0 = jp * NR, cols = Math.min(NR, n - j0);
            int base = (jp * kTotal + kAt) * NR;
            // blocks of 16 steps keep both the NR read streams and the writes cache friendly
            for (int p0 = 0; p0 < count; p0 += 16) {
                int p1 = Math.min(count, p0 + 16);
                for (int cc = 0; cc < cols; cc++) {
                    int s = srcOff + (j0 + cc) * ld;
                    for (int p = p0, d = base + p0 * NR + cc; p < p1; p++, d += NR) {
                        bp[d] = src[s + p];
                    }
                }
                for (int cc = cols; cc < NR; cc++) {
                    for (int p = p0, d = base + p0 * NR + cc; p < p1; p++, d += NR) {
                        bp[d] = 0f;
                    }
                }
            }
        }
    }

    /**
     * C[r·ldc + j] (+)= Σ_k src[rowBase[r] + kOff[k]] · B[k][j] for rows [0, rows) and columns [0, n), with
     * {@code ldc >= paddedCols(n)}. {@code rowBase} holds paddedRows(rows) entries (the extra ones any valid
     * base: their results are thrown away); {@code kOff} holds kTotal entries and bp kTotal rows per panel.
     */
    static void multiply(float[] src, int[] rowBase, int rows, int[] kOff, int kTotal, float[] bp, int n,
                         float[] c, int ldc, boolean accumulate) {
        if (rowBase.length < paddedRows(rows) || kOff.length < kTotal || ldc < paddedCols(n)
                || bp.length < (long) paddedCols(n) * kTotal || c.length < (long) rows * ldc) {
            throw new IllegalArgumentException("implicit GEMM: tables or buffers too small for " + rows + " rows, "
                    + n + " columns, " + kTotal + " steps");
        }
        float[] tile = Scratch.get(Scratch.TILE, MR * NR);
        int panels = paddedCols(n) / NR;
        for (int k0 = 0; k0 < kTotal; k0 += KC) {
            int kc = Math.min(KC, kTotal - k0);
            boolean add = accumulate || k0 > 0;
            for (int jp = 0; jp < panels; jp++) {
                int bo = (jp * kTotal + k0) * NR, cols = Math.min(NR, n - jp * NR);
                for (int r = 0; r < rows; r += MR) {
                    kernel(src, rowBase, r, kOff, k0, kc, bp, bo, c, r * ldc + jp * NR, ldc, add,
                            Math.min(MR, rows - r), cols, tile);
                }
            }
        }
    }

    /** The 6×2-vector micro-kernel over steps [k0, k0 + kc); like {@code Gemm.kernel} with A read in place. */
    private static void kernel(float[] src, int[] rowBase, int r, int[] kOff, int k0, int kc, float[] bp, int bo,
                               float[] c, int co, int ldc, boolean add, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int r0 = rowBase[r], r1 = rowBase[r + 1], r2 = rowBase[r + 2];
        int r3 = rowBase[r + 3], r4 = rowBase[r + 4], r5 = rowBase[r + 5];
        int end = k0 + kc;
        for (int k = k0; k < end; k++, bo += NR) {
            int o = kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, src[r0 + o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, src[r1 + o]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, src[r2 + o]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, src[r3 + o]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, src[r4 + o]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, src[r5 + o]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (rows == MR && cols == NR) {
            // stores written out: a helper taking vectors is not always inlined, and then boxes every vector
            int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, co));
                c01 = c01.add(FloatVector.fromArray(S, c, co + VL));
                c10 = c10.add(FloatVector.fromArray(S, c, o1));
                c11 = c11.add(FloatVector.fromArray(S, c, o1 + VL));
                c20 = c20.add(FloatVector.fromArray(S, c, o2));
                c21 = c21.add(FloatVector.fromArray(S, c, o2 + VL));
                c30 = c30.add(FloatVector.fromArray(S, c, o3));
                c31 = c31.add(FloatVector.fromArray(S, c, o3 + VL));
                c40 = c40.add(FloatVector.fromArray(S, c, o4));
                c41 = c41.add(FloatVector.fromArray(S, c, o4 + VL));
                c50 = c50.add(FloatVector.fromArray(S, c, o5));
                c51 = c51.add(FloatVector.fromArray(S, c, o5 + VL));
            }
            c00.intoArray(c, co);
            c01.intoArray(c, co + VL);
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, VL);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        Gemm.storeEdge(tile, c, co, ldc, add, rows, cols);
    }
}
