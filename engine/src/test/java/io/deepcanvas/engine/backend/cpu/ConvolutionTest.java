package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.backend.Conv2dGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** conv2d forward and backward against a naive direct convolution, over strides, padding, dilation and groups. */
class ConvolutionTest {
    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** Calls {@code body(n, oc, oy, ox, xIndex, wIndex)} for every valid tap of the convolution. */
    private interface Tap {
        void at(int n, int oc, int oy, int ox, int xi, int wi);
    }

    private static void forEachTap(Conv2dGeometry g, Tap tap) {
        int gic = g.groupInC(), goc = g.groupOutC();
        for (int n = 0; n < g.n(); n++) {
            for (int oc = 0; oc < g.outC(); oc++) {
                int gr = oc / goc;
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        for (int c = 0; c < gic; c++) {
                            for (int i = 0; i < g.kH(); i++) {
                                for (int j = 0; j < g.kW(); j++) {
                                    int iy = oy * g.strideH() - g.padH() + i * g.dilH();
                                    int ix = ox * g.strideW() - g.padW() + j * g.dilW();
                                    if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) {
                                        continue;
                                    }
                                    int xi = ((n * g.inC() + gr * gic + c) * g.inH() + iy) * g.inW() + ix;
                                    int wi = ((oc * gic + c) * g.kH() + i) * g.kW() + j;
                                    tap.at(n, oc, oy, ox, xi, wi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int outIndex(Conv2dGeometry g, int n, int oc, int oy, int ox) {
        return ((n * g.outC() + oc) * g.outH() + oy) * g.outW() + ox;
    }

    /** A stride-1, one-group geometry from {n, inC, inH, inW, outC, kH, kW, pH, pW, dH, dW}. */
    private static Conv2dGeometry stride1(int[] c) {
        return new Conv2dGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6], 1, 1, c[7], c[8], c[9], c[10], 1);
    }

    private static void check(Random r, Conv2dGeometry g) {
        check(r, g, null);
    }

    /** An output gradient with about {@code density} of its entries nonzero, as ReLU and max pooling leave it. */
    private static float[] sparse(Random r, int n, double density) {
        float[] a = random(r, n);
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() >= density) {
                a[i] = 0f;
            }
        }
        return a;
    }

    /** Forward and backward against the naive sums, for the given output gradient (null: a random, dense one). */
    private static void check(Random r, Conv2dGeometry g, float[] givenGOut) {
        float[] x = random(r, g.n() * g.inC() * g.inH() * g.inW());
        float[] w = random(r, g.outC() * g.patchSize());
        float[] b = random(r, g.outC());
        int outN = g.n() * g.outC() * g.outH() * g.outW();
        float[] gOut = givenGOut != null ? givenGOut : random(r, outN);
        double[] want = new double[outN];
        double[] wantGx = new double[x.length], wantGw = new double[w.length], wantGb = new double[b.length];
        forEachTap(g, (n, oc, oy, ox, xi, wi) -> {
            int o = outIndex(g, n, oc, oy, ox);
            want[o] += (double) x[xi] * w[wi];
            wantGx[xi] += (double) gOut[o] * w[wi];
            wantGw[wi] += (double) gOut[o] * x[xi];
        });
        for (int o = 0; o < outN; o++) {
            int oc = o / (g.outH() * g.outW()) % g.outC();
            want[o] += b[oc];
            wantGb[oc] += gOut[o];
        }
        float[] out = new float[outN];
        Convolution.forward(x, w, b, out, g);
        float[] gx = new float[x.length], gw = new float[w.length], gb = new float[b.length];
        Convolution.backward(x, w, gOut, gx, gw, gb, g);
        // the input gradient alone and the weight gradient alone take other paths through the chunk loop
        float[] gxOnly = new float[x.length], gwOnly = new float[w.length];
        Convolution.backward(x, w, gOut, gxOnly, null, null, g);
        Convolution.backward(x, w, gOut, null, gwOnly, null, g);
        String where = g.toString();
        float tol = 1e-4f * (g.patchSize() + g.n() * g.outH() * g.outW());
        for (int i = 0; i < outN; i++) {
            assertEquals(want[i], out[i], tol, "forward " + where + " at " + i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(wantGx[i], gx[i], tol, "grad input " + where + " at " + i);
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(wantGw[i], gw[i], tol, "grad weight " + where + " at " + i);
        }
        for (int i = 0; i < b.length; i++) {
            assertEquals(wantGb[i], gb[i], tol, "grad bias " + where + " at " + i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(gx[i], gxOnly[i], tol, "grad input alone " + where + " at " + i);
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(gw[i], gwOnly[i], tol, "grad weight alone " + where + " at " + i);
        }
    }

    @Test
    void matchesDirectConvolutionForStridesPaddingDilationAndGroups() {
        Random r = new Random(3);
        int[][] cases = {
            // n, inC, inH, inW, outC, kH, kW, sH, sW, pH, pW, dH, dW, groups
            {2, 1, 12, 12, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1},
            {3, 3, 9, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {2, 2, 10, 10, 4, 5, 5, 1, 1, 2, 2, 1, 1, 1},
            {1, 4, 11, 9, 6, 3, 2, 2, 3, 1, 0, 1, 1, 2},
            {2, 4, 13, 13, 4, 3, 3, 1, 2, 2, 1, 2, 2, 4},
            {5, 6, 6, 6, 8, 1, 1, 1, 1, 0, 0, 1, 1, 2},
            {3, 2, 5, 8, 3, 2, 3, 2, 1, 1, 2, 1, 1, 1},
            {9, 3, 14, 14, 7, 5, 5, 1, 1, 2, 2, 1, 1, 1},
            // stride 1, one group: the direct method (wide rows), with dilation, over-padding, odd channel counts
            {3, 5, 9, 11, 6, 3, 2, 1, 1, 0, 1, 2, 3, 1},
            {2, 2, 6, 6, 5, 3, 3, 1, 1, 3, 3, 1, 1, 1},
            {4, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1},
            {40, 1, 12, 12, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1},
            {2, 3, 7, 5, 2, 1, 1, 1, 1, 0, 0, 1, 1, 1},
            {2, 1, 4, 4, 3, 4, 4, 1, 1, 0, 0, 1, 1, 1},
            // rows of at least one vector with a tail (LeNet-5's 28, and 25): the tail is one overlapping vector
            {2, 1, 32, 32, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1},
            {3, 2, 20, 25, 4, 3, 3, 1, 1, 0, 1, 1, 1, 1},
            // channel counts that are multiples of 6 (blocks of six rows), forward and input gradient
            {3, 12, 8, 8, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {2, 6, 9, 9, 18, 3, 3, 1, 1, 0, 0, 1, 1, 1},
        };
        for (int[] c : cases) {
            check(r, new Conv2dGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
                    c[12], c[13]));
        }
    }

    /**
     * 32 or more channels go through the implicit GEMM (vectorised over channels): odd position counts (edge row
     * tiles), channel counts that leave idle lanes, padding, dilation, rectangular kernels, padding past the
     * kernel's reach (input gradient falls back, the rest stays), batches spanning several weight-gradient
     * chunks, and rows that read 14 consecutive addresses (the run tiles).
     */
    @Test
    void implicitGemmPathMatchesDirectConvolution() {
        Random r = new Random(11);
        int[][] cases = {
            // n, inC, inH, inW, outC, kH, kW, pH, pW, dH, dW
            {3, 32, 14, 14, 64, 5, 5, 2, 2, 1, 1},
            {2, 40, 7, 9, 48, 3, 3, 1, 1, 1, 1},
            {3, 33, 8, 6, 32, 3, 2, 1, 0, 2, 1},
            {2, 32, 5, 5, 32, 3, 3, 3, 3, 1, 1},
            {13, 32, 9, 9, 32, 3, 3, 0, 0, 1, 1},
            {2, 3, 10, 10, 32, 5, 5, 2, 2, 1, 1},
            // 14-row run tiles: a row of 17 (a run, then table tiles, a last tile past the row table's end), a
            // half panel beside a full one, and a 15-wide kernel whose taps are runs in the weight gradient's rows
            // over a batch of several chunks (the weight gradient adds to C, so they must take the table tiles)
            {2, 32, 3, 17, 48, 3, 3, 0, 1, 1, 1},
            {40, 32, 4, 40, 32, 1, 15, 0, 0, 1, 1},
        };
        for (int[] c : cases) {
            Conv2dGeometry g = stride1(c);
            assertTrue(ImplicitConvolution.appliesToWeightGradient(g), g + " should take the implicit GEMM");
            check(r, g);
        }
        Conv2dGeometry overPadded = new Conv2dGeometry(2, 32, 5, 5, 32, 3, 3, 1, 1, 3, 3, 1, 1, 1);
        assertFalse(ImplicitConvolution.appliesToInputGradient(overPadded), "padding past the kernel's reach");
        assertTrue(ImplicitConvolution.appliesToInputGradient(new Conv2dGeometry(3, 32, 14, 14, 64, 5, 5, 1, 1, 2,
                2, 1, 1, 1)), "the ConvNet's second layer");
    }

    /**
     * A batch of 64 or more with at least 64 (channel, tap) pairs goes through the batch-in-lanes method: full
     * groups of 64 images (the gathers), a last partial group (the scalar copies, zero lanes), padding (zero borders
     * forward, border tap tables for the input gradient), dilation, rectangular kernels, channel counts that leave
     * rows of a tile or taps of a quad idle, padding past the kernel's reach (input positions with no valid tap),
     * and LeNet-5's second layer.
     */
    @Test
    void batchLanePathMatchesDirectConvolution() {
        Random r = new Random(17);
        int[][] cases = {
            // n, inC, inH, inW, outC, kH, kW, pH, pW, dH, dW
            {64, 6, 14, 14, 16, 5, 5, 0, 0, 1, 1},
            {70, 8, 9, 11, 7, 3, 3, 1, 2, 1, 1},
            {130, 6, 8, 7, 5, 5, 3, 2, 0, 2, 1},
            {64, 8, 6, 6, 3, 3, 3, 3, 3, 1, 1},
            {65, 3, 12, 10, 13, 5, 5, 0, 0, 1, 1},
        };
        for (int[] c : cases) {
            Conv2dGeometry g = stride1(c);
            assertTrue(BatchLaneConvolution.applies(g), g + " should take the batch-in-lanes method");
            check(r, g);
        }
        // a group is 4 vectors: 64 images with AVX-512, 32 with AVX2
        assertFalse(BatchLaneConvolution.applies(new Conv2dGeometry(BatchLaneConvolution.LANES - 1, 6, 14, 14, 16, 5,
                5, 1, 1, 0, 0, 1, 1, 1)), "a batch smaller than a group of lanes");
        assertFalse(BatchLaneConvolution.applies(new Conv2dGeometry(64, 1, 32, 32, 6, 5, 5, 1, 1, 0, 0, 1, 1,
                1)), "LeNet-5's first layer: 25 (channel, tap) pairs");
        // wider than the input gradient's row masks (64 bits): the direct method, not a crash
        Conv2dGeometry wide = stride1(new int[] {64, 1, 2, 70, 2, 1, 65, 0, 0, 1, 1});
        assertFalse(BatchLaneConvolution.applies(wide), "a kernel 65 wide");
        check(r, wide);
    }

    /**
     * An output gradient that is mostly zeros (after ReLU and max pooling) takes the sparse method: the ConvNet's
     * second layer, strides, dilation, rectangular kernels, no padding and padding past the kernel's reach,
     * and channel counts that leave lanes of the last vector idle; each gradient alone too (inside check). The same
     * bits on one thread as split over the cores; a NaN in the output gradient spreads as in the naive sums.
     */
    @Test
    void mostlyZeroOutputGradientsTakeTheSparseMethod() {
        Random r = new Random(23);
        int vl = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        int[][] cases = {
            // n, inC, inH, inW, outC, kH, kW, sH, sW, pH, pW, dH, dW
            {3, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1},
            {2, 2 * vl, 11, 9, 7, 3, 3, 2, 1, 1, 0, 1, 2},
            {2, vl + 3, 8, 10, 5, 3, 2, 1, 2, 0, 1, 2, 1},
            {4, 3 * vl - 1, 6, 6, 9, 3, 3, 1, 1, 3, 3, 1, 1},
            {2, vl, 7, 7, 4, 1, 1, 1, 1, 0, 0, 1, 1},
        };
        for (int[] c : cases) {
            Conv2dGeometry g = new Conv2dGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10],
                    c[11], c[12], 1);
            assertTrue(SparseGradient.applies(g), g + " should take the sparse method");
            int outN = g.n() * g.outC() * g.outH() * g.outW();
            float[] gOut = sparse(r, outN, 0.05);
            float[] x = random(r, g.n() * g.inC() * g.inH() * g.inW()), w = random(r, g.outC() * g.patchSize());
            float[] gx = new float[x.length], gw = new float[w.length];
            assertTrue(SparseGradient.backward(x, w, gOut, gx, gw, g), g + ": 5% nonzero");
            float[] gxOne = new float[x.length], gwOne = new float[w.length];
            Parallel.serially(() -> SparseGradient.backward(x, w, gOut, gxOne, gwOne, g));
            assertArrayEquals(gx, gxOne, g + ": input gradient split over the cores and on one");
            assertArrayEquals(gw, gwOne, g + ": weight gradient split over the cores and on one");
            check(r, g, gOut);
        }
        Conv2dGeometry convNet = new Conv2dGeometry(2, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1, 1);
        int outN = 2 * 64 * 14 * 14;
        float[] x = random(r, 2 * 32 * 14 * 14), w = random(r, 64 * 32 * 25);
        float[] gx = new float[x.length], gw = new float[w.length];
        assertFalse(SparseGradient.backward(x, w, random(r, outN), gx, gw, convNet), "a dense output gradient");
        float[] wInf = w.clone();
        wInf[7] = Float.POSITIVE_INFINITY;
        assertFalse(SparseGradient.backward(x, wInf, sparse(r, outN, 0.05), gx, null, convNet),
                "an infinite weight (0 · ∞ must stay NaN in the input gradient)");
        float[] xNan = x.clone();
        xNan[11] = Float.NaN;
        assertFalse(SparseGradient.backward(xNan, w, sparse(r, outN, 0.05), null, gw, convNet),
                "a NaN input (0 · NaN must stay NaN in the weight gradient)");
        assertTrue(SparseGradient.backward(xNan, w, sparse(r, outN, 0.05), gx, null, convNet),
                "the input gradient does not read the inputs");
        float[] withNan = sparse(r, outN, 0.05);
        withNan[64 * 196 + 3 * 196 + 5 * 14 + 6] = Float.NaN;
        check(r, convNet, withNan);
    }

    /**
     * With loops kept on one thread, every image goes through one chunk loop: these sizes need several passes of
     * it (direct method: chunks of 4 + 1 images; im2col: 7 + 1), which reuse and re-zero the chunk buffers.
     */
    @Test
    void chunkLoopsRunSeveralPassesOnOneThread() {
        Random r = new Random(5);
        Parallel.serially(() -> {
            check(r, new Conv2dGeometry(5, 8, 64, 64, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1));
            check(r, new Conv2dGeometry(8, 16, 64, 64, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1));
        });
    }
}
