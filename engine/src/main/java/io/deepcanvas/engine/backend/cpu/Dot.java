package io.deepcanvas.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * C[m,n] (+)= A[m,k] · B[n,k]ᵀ as dot products of rows, for products with few outputs and a long k (a weight
 * gradient summed over a batch of pixels, a thin layer). Both operands are read in place along k, so nothing is
 * packed: a 4×4 block of rows keeps 16 vector accumulators and reduces them once at the end (in two 4×2 passes with
 * AVX2's 16 registers, {@link VectorRegisters}).
 */
final class Dot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private Dot() {
    }

    /**
     * Rows [i0, i1) and columns [j0, j1) of C. The larger operand is walked once, in the outer loop, while the
     * four rows of it in use meet every row of the smaller one (which stays in cache): for a Linear layer at a
     * small batch the weight matrix is streamed from memory once instead of once per four batch rows.
     */
    static void rows(int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                     boolean acc, int i0, int i1, int j0, int j1) {
        int iFull = i0 + (i1 - i0) / 4 * 4, jFull = j0 + (j1 - j0) / 4 * 4;
        if (j1 - j0 > i1 - i0) {
            for (int j = j0; j < jFull; j += 4) {
                for (int i = i0; i < iFull; i += 4) {
                    block4x4(n, k, a, aOff + i * k, b, bOff + j * k, c, cOff + i * n + j, acc);
                }
            }
        } else {
            for (int i = i0; i < iFull; i += 4) {
                for (int j = j0; j < jFull; j += 4) {
                    block4x4(n, k, a, aOff + i * k, b, bOff + j * k, c, cOff + i * n + j, acc);
                }
            }
        }
        // the ragged right columns of the full row blocks, then the ragged bottom rows
        for (int i = i0; i < iFull; i++) {
            for (int j = jFull; j < j1; j++) {
                single(k, a, aOff + i * k, b, bOff + j * k, c, cOff + i * n + j, acc);
            }
        }
        for (int i = iFull; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                single(k, a, aOff + i * k, b, bOff + j * k, c, cOff + i * n + j, acc);
            }
        }
    }

    private static void block4x4(int n, int k, float[] a, int a0, float[] b, int b0, float[] c, int co,
                                 boolean acc) {
        if (VectorRegisters.FEW) {
            // 16 accumulators and five live loads need 21 registers: with AVX2's 16, two passes of 4 × 2
            float[] r = new float[16];
            int p = half4x2(k, a, a0, b, b0, r, 0);
            half4x2(k, a, a0, b, b0 + 2 * k, r, 2);
            tail(n, k, p, a, a0, b, b0, c, co, acc, r);
            return;
        }
        int a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S);
        FloatVector s03 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S), s20 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S);
        FloatVector s33 = FloatVector.zero(S);
        int p = 0;
        for (; p + VL <= k; p += VL) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p), y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        // reductions written out: a helper taking vectors may not inline, and would then box them
        float[] r = {
            s00.reduceLanes(VectorOperators.ADD), s01.reduceLanes(VectorOperators.ADD),
            s02.reduceLanes(VectorOperators.ADD), s03.reduceLanes(VectorOperators.ADD),
            s10.reduceLanes(VectorOperators.ADD), s11.reduceLanes(VectorOperators.ADD),
            s12.reduceLanes(VectorOperators.ADD), s13.reduceLanes(VectorOperators.ADD),
            s20.reduceLanes(VectorOperators.ADD), s21.reduceLanes(VectorOperators.ADD),
            s22.reduceLanes(VectorOperators.ADD), s23.reduceLanes(VectorOperators.ADD),
            s30.reduceLanes(VectorOperators.ADD), s31.reduceLanes(VectorOperators.ADD),
            s32.reduceLanes(VectorOperators.ADD), s33.reduceLanes(VectorOperators.ADD)};
        tail(n, k, p, a, a0, b, b0, c, co, acc, r);
    }

    /**
     * Rows 0–3 of A against rows 0–1 of B (from {@code b0}) over the whole vectors of k: 8 accumulators, reduced
     * into {@code r[i·4 + j0 + j]}. Returns where the scalar tail of k starts.
     */
    private static int half4x2(int k, float[] a, int a0, float[] b, int b0, float[] r, int j0) {
        int a1 = a0 + k, a2 = a1 + k, a3 = a2 + k, b1 = b0 + k;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int p = 0;
        for (; p + VL <= k; p += VL) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
        }
        r[j0] = s00.reduceLanes(VectorOperators.ADD);
        r[j0 + 1] = s01.reduceLanes(VectorOperators.ADD);
        r[4 + j0] = s10.reduceLanes(VectorOperators.ADD);
        r[4 + j0 + 1] = s11.reduceLanes(VectorOperators.ADD);
        r[8 + j0] = s20.reduceLanes(VectorOperators.ADD);
        r[8 + j0 + 1] = s21.reduceLanes(VectorOperators.ADD);
        r[12 + j0] = s30.reduceLanes(VectorOperators.ADD);
        r[12 + j0 + 1] = s31.reduceLanes(VectorOperators.ADD);
        return p;
    }

    /** Adds the scalar tail of k (p..k) to the 4×4 sums and writes them to C. */
    private static void tail(int n, int k, int p0, float[] a, int a0, float[] b, int b0, float[] c, int co,
                             boolean acc, float[] r) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                float s = r[i * 4 + j];
                int ai = a0 + i * k, bj = b0 + j * k;
                for (int p = p0; p < k; p++) {
                    s = Math.fma(a[ai + p], b[bj + p], s);
                }
                int o = co + i * n + j;
                c[o] = acc ? c[o] + s : s;
            }
        }
    }

    private static void single(int k, float[] a, int ai, float[] b, int bj, float[] c, int o, boolean acc) {
        FloatVector v = FloatVector.zero(S);
        int p = 0;
        for (; p + VL <= k; p += VL) {
            v = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), v);
        }
        float s = v.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            s = Math.fma(a[ai + p], b[bj + p], s);
        }
        c[o] = acc ? c[o] + s : s;
    }
}
