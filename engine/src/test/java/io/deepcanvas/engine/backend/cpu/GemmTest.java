package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed GEMM against a naive triple loop for odd shapes, every transpose combination and accumulation. */
class GemmTest {
    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** C (+)= op(A)·op(B) computed element by element in double. */
    private static float[] naive(boolean tA, boolean tB, int m, int n, int k, float[] a, int aOff, float[] b,
                                 int bOff, float[] c0, boolean acc) {
        float[] c = c0.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = acc ? c[i * n + j] : 0;
                for (int p = 0; p < k; p++) {
                    float x = tA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float y = tB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += (double) x * y;
                }
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    private static void check(Random r, boolean tA, boolean tB, int m, int n, int k, boolean acc, boolean par) {
        int aOff = r.nextInt(3), bOff = r.nextInt(3);
        float[] a = random(r, aOff + m * k), b = random(r, bOff + k * n), c = random(r, m * n);
        float[] want = naive(tA, tB, m, n, k, a, aOff, b, bOff, c, acc);
        Gemm.multiply(tA, tB, m, n, k, a, aOff, b, bOff, c, 0, acc, par);
        for (int i = 0; i < m * n; i++) {
            assertEquals(want[i], c[i], 1e-5f * (k + 1), "m=" + m + " n=" + n + " k=" + k + " transA=" + tA
                    + " transB=" + tB + " acc=" + acc + " at " + i);
        }
    }

    @Test
    void matchesNaiveProductForOddShapesAndAllTransposes() {
        Random r = new Random(7);
        for (int t = 0; t < 400; t++) {
            int m = 1 + r.nextInt(70), n = 1 + r.nextInt(70), k = 1 + r.nextInt(70);
            check(r, r.nextBoolean(), r.nextBoolean(), m, n, k, r.nextBoolean(), r.nextBoolean());
        }
    }

    @Test
    void matchesNaiveProductAcrossPackingBlocksInParallel() {
        Random r = new Random(11);
        int[][] shapes = {{193, 77, 300}, {7, 515, 261}, {130, 40, 600}, {97, 97, 257}, {1, 300, 700},
            // few rows and whole column panels: B read in place, nothing packed
            {33, 96, 300}, {64, 64, 17},
            // a short k into a C too big for cache: tiles computed in 6-row halves
            {1030, 1030, 20}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                check(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], t == 3, true);
            }
        }
    }

    /**
     * Inputs like normalised MNIST, where many steps of k hold one value in all rows of a panel (summed once per
     * panel on both instruction sets): the product still matches, a zero step against an infinite weight still gives NaN as 0·∞
     * does, and the result is bit for bit the same on one thread and split over several.
     */
    @Test
    void constantStepsOfAPanelGiveTheSameProduct() {
        Random r = new Random(13);
        // rows enough to be split by rows and work enough (where constant steps are looked for), the last panel
        // short, an edge column panel, k in several blocks
        int m = 520, n = 520 + 6, k = 500;
        float background = -0.42421296f;
        float[] a = new float[m * k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                // steps below 100: the background in every row; 100 and 101: zero everywhere; elsewhere mixed
                // (the first block of k, 250 steps: 102 constant)
                boolean lit = p >= 102 && r.nextFloat() < 0.4f;
                a[i * k + p] = p == 100 || p == 101 ? 0f : lit ? r.nextFloat() * 3 : background;
            }
        }
        for (boolean tB : new boolean[] {false, true}) {
            float[] b = random(r, k * n);
            // column 5 of op(B) is infinite at step 100, where every row of A is 0: that column is NaN
            b[tB ? 5 * k + 100 : 100 * n + 5] = Float.POSITIVE_INFINITY;
            float[] want = naive(false, tB, m, n, k, a, 0, b, 0, new float[m * n], false);
            float[] split = new float[m * n], serial = new float[m * n];
            Gemm.multiply(false, tB, m, n, k, a, 0, b, 0, split, 0, false, true);
            Gemm.multiply(false, tB, m, n, k, a, 0, b, 0, serial, 0, false, false);
            for (int i = 0; i < m * n; i++) {
                assertEquals(want[i], split[i], 1e-5f * k, "transB=" + tB + " at " + i);
                assertEquals(Float.floatToIntBits(serial[i]), Float.floatToIntBits(split[i]),
                        "one thread and several differ: transB=" + tB + " at " + i);
            }
            assertEquals(Float.NaN, split[5], "0 times infinity");
        }
    }

    /**
     * A batch of up to two panels times transposed weights: through ImplicitGemm as Cᵀ = B·Aᵀ from 64k weights
     * (the first five shapes, ragged ones among them), as dot products below.
     */
    @Test
    void smallBatchTimesTransposedWeightsMatchesNaiveProduct() {
        Random r = new Random(13);
        int[][] shapes = {{32, 1000, 400}, {17, 257, 300}, {64, 700, 97}, {45, 1030, 80}, {1, 64, 1024},
            {64, 130, 97}, {45, 70, 80}, {1, 64, 64}, {64, 120, 400}};
        for (int[] s : shapes) {
            for (boolean acc : new boolean[] {false, true}) {
                check(r, false, true, s[0], s[1], s[2], acc, true);
                check(r, false, true, s[0], s[1], s[2], acc, false);
            }
        }
    }

    @Test
    void emptyDepthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4};
        Gemm.multiply(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 0, true, false);
        assertEquals(1f, c[0]);
        Gemm.multiply(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, c, 0, false, false);
        assertEquals(0f, c[3]);
    }

    /**
     * A Linear layer's forward with its bias and ReLU applied as parts of C are finished, on every path of the
     * multiply: a batch times transposed weights, dot products, column and row splits, one thread, several blocks
     * of k, and k = 0.
     */
    @Test
    void biasAndReluEpilogueMatchesTheProductThenBiasThenRelu() {
        Random r = new Random(17);
        int[][] shapes = {{32, 1000, 400}, {8, 10, 512}, {128, 512, 300}, {600, 70, 650}, {1000, 40, 30}, {5, 7, 9},
            {193, 77, 300}, {33, 96, 300}, {4, 6, 0}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int mode = 0; mode < 3; mode++) {
                boolean withBias = mode != 1, relu = mode != 0;
                float[] a = random(r, m * k), b = random(r, n * k), bias = withBias ? random(r, n) : null;
                float[] want = naive(false, true, m, n, k, a, 0, b, 0, new float[m * n], false);
                for (int i = 0; i < m * n; i++) {
                    float v = want[i] + (withBias ? bias[i % n] : 0f);
                    want[i] = relu ? Math.max(0f, v) : v;
                }
                float[] c = random(r, m * n);
                Gemm.multiply(false, true, m, n, k, a, 0, b, 0, c, 0, false, true, new Gemm.Epilogue(bias, relu));
                for (int i = 0; i < m * n; i++) {
                    assertEquals(want[i], c[i], 1e-5f * (k + 1), "m=" + m + " n=" + n + " k=" + k + " bias="
                            + withBias + " relu=" + relu + " at " + i);
                }
            }
        }
    }
}
