package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * conv2d's input and weight gradients from the nonzero entries of the output gradient alone.
 *
 * <p>A convolution followed by ReLU and 2×2 max pooling — LeNet's and every tutorial ConvNet's pattern — gets an
 * output gradient that is mostly zeros: pooling passes each window's gradient to one of its four positions, and
 * ReLU stops it where the convolution's output was negative. In the ConvNet's second layer 18% of the entries are
 * nonzero in the first steps and 4–9% after a few hundred (measured with PyTorch's hooks on the same network). The
 * dense methods multiply every zero; this one visits each nonzero entry once and adds its share to the 25 input
 * positions (or weights) it reaches: for the input gradient,
 * {@code gx[c][y+ki][x+kj] += g[oc][y][x] · w[oc][c][ki][kj]}, for the weight gradient
 * {@code gw[oc][c][ki][kj] += g[oc][y][x] · x[c][y+ki][x+kj]} (padded coordinates, stride and dilation folded into the
 * offsets), vectorised over the input channels.
 *
 * <p>Both work in padded, channels-last layouts ({@code [row][column][channel]}, channels rounded up to whole
 * vectors), so an entry's taps need no bounds checks: an input-gradient contribution that lands in the padding is
 * computed and dropped, as the dense methods compute the taps that read padding. The sums skip only exact zeros, whose
 * products add nothing (a weight or input that is infinite or NaN would make them NaN, so those keep the dense path).
 * Each image's input gradient and each output channel's weight gradient is summed by one thread in a fixed order:
 * the same bits however the work is split.
 */
final class SparseGradient {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /**
     * Largest share of nonzero output-gradient entries for which this method is used: where it and the dense kernels
     * take the same time on the ConvNet's second layer ({@code ConvNetOpTiming}, alternating; input and weight
     * gradient):
     * with AVX2 at 10% nonzero 2.42 and 2.37 ms against 4.35 and 4.89, at 20% 3.86 and 3.93 against 4.47 and 4.19;
     * with AVX-512, whose dense kernels keep 28 accumulators in registers, at 10% 1.92 and 2.22 against 2.37 and
     * 2.71, at 14% 2.93 and 2.98 against 2.40 and 2.66.
     */
    static final double MAX_DENSITY = VectorRegisters.FEW ? 0.2 : 0.1;
    /** {@code -Ddeepcanvas.sparseGradient=false} keeps the dense methods (to measure what this one buys). */
    private static final boolean ENABLED = !"false".equals(System.getProperty("deepcanvas.sparseGradient"));

    private SparseGradient() {
    }

    /** Ungrouped convolutions whose input channels fill at least one vector. */
    static boolean applies(Conv2dGeometry g) {
        return ENABLED && g.groups() == 1 && g.inC() >= VL;
    }

    /**
     * Computes gx and gw (either may be null), for a geometry that {@link #applies} (the caller checks), when at most
     * {@link #MAX_DENSITY} of the first image's output gradient is nonzero and the weights (for gx) and inputs (for gw)
     * are finite; returns false, having written nothing, otherwise.
     */
    static boolean backward(float[] x, float[] w, float[] gOut, float[] gx, float[] gw, Conv2dGeometry g) {
        int outSize = g.outC() * g.outH() * g.outW();
        if ((gx == null && gw == null) || nonzeros(gOut, outSize) > MAX_DENSITY * outSize) {
            return false;
        }
        Plan p = new Plan(g);
        // the operands laid out channels-last, their finiteness checked in the same pass (null: one is not finite)
        float[] wt = gx == null ? null : p.weightsChannelsLast(w);
        float[] xt = gw == null ? null : p.inputsChannelsLast(x);
        if ((gx != null && wt == null) || (gw != null && xt == null)) {
            return false;
        }
        Entries e = p.entries(gOut);
        if (gx != null) {
            p.inputGradient(e, wt, gx);
        }
        if (gw != null) {
            p.weightGradient(e, xt, gw);
        }
        return true;
    }

    /** Nonzero floats in a[0, n) (NaN counts). */
    private static int nonzeros(float[] a, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += a[i] != 0f ? 1 : 0;
        }
        return count;
    }

    /**
     * The nonzero entries of the output gradient, image by image and within an image channel by channel: entry j
     * holds its value and its offset in a padded channels-last image ({@code (y·strideH·wp + x·strideW)·cp}); those
     * of image i and output channel oc are [start[i·(outC+1) + oc], start[i·(outC+1) + oc + 1]).
     */
    private record Entries(float[] value, int[] offset, int[] start) {
    }

    /** Sizes and offsets of the padded channels-last layout. */
    private static final class Plan {
        final Conv2dGeometry g;
        /** Padded width; channels rounded up to whole vectors; floats of one padded image. */
        final int wp, cp, image, taps, outPlane;
        /**
         * The taps in runs that are contiguous in both channels-last layouts: a kernel row's kW taps (kW·cp floats)
         * without dilation along the width, else each tap alone; each run's offset from an entry's offset.
         */
        final int[] runOff;
        final int runLen;

        Plan(Conv2dGeometry g) {
            this.g = g;
            wp = g.inW() + 2 * g.padW();
            cp = (g.inC() + VL - 1) / VL * VL;
            image = (g.inH() + 2 * g.padH()) * wp * cp;
            taps = g.kH() * g.kW();
            outPlane = g.outH() * g.outW();
            boolean rows = g.dilW() == 1;
            runLen = rows ? g.kW() * cp : cp;
            runOff = new int[rows ? g.kH() : taps];
            for (int ki = 0; ki < g.kH(); ki++) {
                for (int kj = 0; kj < (rows ? 1 : g.kW()); kj++) {
                    runOff[rows ? ki : ki * g.kW() + kj] = (ki * g.dilH() * wp + kj * g.dilW()) * cp;
                }
            }
        }

        Entries entries(float[] gOut) {
            int n = g.n(), outC = g.outC(), outSize = outC * outPlane;
            float[] value = Scratch.get(Scratch.SPARSE_VALUES, n * outSize);
            int[] offset = Scratch.ints(Scratch.SPARSE_OFFSETS, n * outSize);
            int[] start = Scratch.ints(Scratch.SPARSE_STARTS, n * (outC + 1));
            // where each position's entry goes in the padded image: the same for every channel and image
            int[] at = new int[outPlane];
            for (int y = 0, q = 0; y < g.outH(); y++) {
                for (int x = 0; x < g.outW(); x++) {
                    at[q++] = (y * g.strideH() * wp + x * g.strideW()) * cp;
                }
            }
            Parallel.forRange(n, (long) n * outSize, (from, to) -> {
                for (int i = from; i < to; i++) {
                    // image i's entries from i·outSize on, written for every position and kept when nonzero
                    int j = i * outSize, src = i * outSize;
                    for (int oc = 0; oc < outC; oc++) {
                        start[i * (outC + 1) + oc] = j;
                        for (int q = 0; q < outPlane; q++) {
                            float v = gOut[src++];
                            value[j] = v;
                            offset[j] = at[q];
                            j += v != 0f ? 1 : 0;
                        }
                    }
                    start[i * (outC + 1) + outC] = j;
                }
            });
            return new Entries(value, offset, start);
        }

        /**
         * wt[oc][t][c] = w[oc][c][t], channels padded with zeros; null when a weight is infinite or NaN (v · 0 is NaN
         * exactly for those, and a sum of the others' is 0).
         */
        float[] weightsChannelsLast(float[] w) {
            int inC = g.inC(), outC = g.outC();
            float[] wt = Scratch.get(Scratch.SPARSE_WEIGHTS, outC * taps * cp);
            if (cp != inC) {
                java.util.Arrays.fill(wt, 0, outC * taps * cp, 0f);
            }
            float probe = 0f;
            for (int oc = 0; oc < outC; oc++) {
                for (int c = 0; c < inC; c++) {
                    for (int t = 0; t < taps; t++) {
                        float v = w[(oc * inC + c) * taps + t];
                        wt[(oc * taps + t) * cp + c] = v;
                        probe += v * 0f;
                    }
                }
            }
            return Float.isNaN(probe) ? null : wt;
        }

        /**
         * The batch's inputs padded and channels-last, xt[i][row][column][c]; null when one is infinite or NaN (as
         * {@link #weightsChannelsLast}).
         */
        float[] inputsChannelsLast(float[] x) {
            int n = g.n(), inC = g.inC(), inPlane = g.inH() * g.inW();
            float[] xt = Scratch.get(Scratch.SPARSE_INPUTS, n * image);
            float[] probes = new float[n];
            Parallel.forRange(n, (long) n * inC * inPlane, (from, to) -> {
                java.util.Arrays.fill(xt, from * image, to * image, 0f);
                for (int i = from; i < to; i++) {
                    int src = i * inC * inPlane;
                    float probe = 0f;
                    for (int c = 0; c < inC; c++) {
                        for (int y = 0; y < g.inH(); y++) {
                            int a = i * image + ((y + g.padH()) * wp + g.padW()) * cp + c;
                            for (int xx = 0; xx < g.inW(); xx++, a += cp) {
                                float v = x[src++];
                                xt[a] = v;
                                probe += v * 0f;
                            }
                        }
                    }
                    probes[i] = probe;
                }
            });
            for (float probe : probes) {
                if (Float.isNaN(probe)) {
                    return null;
                }
            }
            return xt;
        }

        /** gx, image by image: contributions added in a padded channels-last image, then its interior copied out. */
        void inputGradient(Entries e, float[] wt, float[] gx) {
            int inC = g.inC(), outC = g.outC(), inPlane = g.inH() * g.inW();
            Parallel.forRange(g.n(), (long) (2 * g.macs() * MAX_DENSITY), (from, to) -> {
                float[] acc = Scratch.get(Scratch.SPARSE_ACCUMULATOR, image);
                for (int i = from; i < to; i++) {
                    java.util.Arrays.fill(acc, 0, image, 0f);
                    for (int oc = 0; oc < outC; oc++) {
                        int s = i * (outC + 1) + oc;
                        for (int j = e.start[s]; j < e.start[s + 1]; j++) {
                            // the weights of (oc, t) into the positions the entry reaches
                            scatter(e.value[j], wt, oc * taps * cp, acc, e.offset[j], runOff, runLen);
                        }
                    }
                    int dst = i * inC * inPlane;
                    for (int c = 0; c < inC; c++) {
                        for (int y = 0; y < g.inH(); y++) {
                            int a = ((y + g.padH()) * wp + g.padW()) * cp + c;
                            for (int x = 0; x < g.inW(); x++, a += cp) {
                                gx[dst++] = acc[a];
                            }
                        }
                    }
                }
            });
        }

        /** gw, every output channel on its own, summed over the images in order. */
        void weightGradient(Entries e, float[] xt, float[] gw) {
            int n = g.n(), inC = g.inC(), outC = g.outC();
            Parallel.forRange(outC, (long) (2 * g.macs() * MAX_DENSITY), (from, to) -> {
                float[] acc = Scratch.get(Scratch.SPARSE_ACCUMULATOR, taps * cp);
                for (int oc = from; oc < to; oc++) {
                    // entry by entry, each adding to all the channel's taps: neighbouring entries read neighbouring
                    // inputs, which stay in L1 (summing a tap over all entries in registers instead swept the whole
                    // batch's inputs from L2 per tap: 7× slower)
                    java.util.Arrays.fill(acc, 0, taps * cp, 0f);
                    for (int i = 0; i < n; i++) {
                        int s = i * (outC + 1) + oc;
                        for (int j = e.start[s]; j < e.start[s + 1]; j++) {
                            gather(e.value[j], xt, i * image + e.offset[j], runOff, runLen, acc);
                        }
                    }
                    for (int c = 0; c < inC; c++) {
                        for (int t = 0; t < taps; t++) {
                            gw[(oc * inC + c) * taps + t] = acc[t * cp + c];
                        }
                    }
                }
            });
        }
    }

    /** acc[at + runOff[r] + i] += v · src[from + r·len + i] for every run r and i < len: weights into the input. */
    private static void scatter(float v, float[] src, int from, float[] acc, int at, int[] runOff, int len) {
        for (int r = 0; r < runOff.length; r++) {
            axpy(v, src, from + r * len, acc, at + runOff[r], len);
        }
    }

    /** acc[r·len + i] += v · src[at + runOff[r] + i] for every run r and i < len: the inputs into the weights. */
    private static void gather(float v, float[] src, int at, int[] runOff, int len, float[] acc) {
        for (int r = 0; r < runOff.length; r++) {
            axpy(v, src, at + runOff[r], acc, r * len, len);
        }
    }

    /** dst[d + i] += v · src[s + i] for i < len (a whole number of vectors): four vectors a step, then one. */
    private static void axpy(float v, float[] src, int s, float[] dst, int d, int len) {
        FloatVector vv = FloatVector.broadcast(S, v);
        int i = 0;
        for (; i <= len - 4 * VL; i += 4 * VL) {
            int di = d + i, si = s + i;
            FloatVector a0 = FloatVector.fromArray(S, dst, di), a1 = FloatVector.fromArray(S, dst, di + VL);
            FloatVector a2 = FloatVector.fromArray(S, dst, di + 2 * VL);
            FloatVector a3 = FloatVector.fromArray(S, dst, di + 3 * VL);
            vv.fma(FloatVector.fromArray(S, src, si), a0).intoArray(dst, di);
            vv.fma(FloatVector.fromArray(S, src, si + VL), a1).intoArray(dst, di + VL);
            vv.fma(FloatVector.fromArray(S, src, si + 2 * VL), a2).intoArray(dst, di + 2 * VL);
            vv.fma(FloatVector.fromArray(S, src, si + 3 * VL), a3).intoArray(dst, di + 3 * VL);
        }
        for (; i < len; i += VL) {
            vv.fma(FloatVector.fromArray(S, src, s + i), FloatVector.fromArray(S, dst, d + i)).intoArray(dst, d + i);
        }
    }
}
