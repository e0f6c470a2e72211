package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 conv2d with many channels as an implicit GEMM ({@link ImplicitGemm}): vectorised over channels, with
 * the im2col matrix read in place from a zero-padded copy of the image through two offset tables.
 *
 * <p>{@link DirectConvolution} vectorises over pixel positions instead, which suits LeNet's 6 and 16 channels but
 * computes the thrown-away columns of its "wide" rows (29% extra for a 5×5 kernel on 14×14) and, for the weight
 * gradient, streams its operands from L2 with a lane sum per block. With 32 or more channels on the vector side
 * every lane is useful, only real positions are computed, and the accumulators stay in registers over all of k.
 * Measured on the ConvNet's 32→64 layer (batch 32, 2 cores), direct → implicit: forward 176 → 236 GFLOP/s,
 * weight gradient 94 → 223, input gradient 174 → 232.
 *
 * <p>The three passes are the same product with different tables:
 * <ul>
 * <li>forward: rows = output positions (y·Wp + x in the padded input), k = (input channel, tap) pairs,
 *     B = the weights transposed, C = [position][output channel];</li>
 * <li>weight gradient: rows = (input channel, tap) pairs, k = output positions of a chunk of images whose padded
 *     inputs lie side by side, B = the output gradient transposed, C = [(channel, tap)][output channel] summed
 *     over the batch;</li>
 * <li>input gradient: the correlation of the output gradient, padded by the kernel's reach less the forward
 *     padding, with the weights flipped and their channels swapped: rows = input positions, k = (output channel,
 *     tap) pairs, C = [position][input channel].</li>
 * </ul>
 */
final class ImplicitConvolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Output positions per weight-gradient chunk (k of one product): enough to amortise C's loads and stores. */
    private static final int CHUNK_POSITIONS = 1024;
    /** Fewest (input channel, tap) pairs for which the forward pass is done here. */
    private static final int MIN_FORWARD_K = 64;

    private ImplicitConvolution() {
    }

    /** Whether the channel count fills the vector panels well enough (at most a quarter of the lanes idle). */
    private static boolean wide(int channels) {
        return channels >= ImplicitGemm.NR && ImplicitGemm.paddedCols(channels) * 3 <= channels * 4;
    }

    private static boolean stride1(Conv2dGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.groups() == 1;
    }

    /** Weight gradient: vectorised over output channels. */
    static boolean appliesToWeightGradient(Conv2dGeometry g) {
        return stride1(g) && wide(g.outC());
    }

    /**
     * Forward pass: vectorised over output channels, when there are enough (channel, tap) pairs. With few of them
     * (a 5×5 kernel on one input channel: 25) each tile's stores of C cost as much as its multiply-adds, and the
     * direct method's wide rows are faster (measured 1→32 channels, 28×28: 81 against 110 GFLOP/s).
     */
    static boolean appliesToForward(Conv2dGeometry g) {
        return appliesToWeightGradient(g) && g.patchSize() >= MIN_FORWARD_K;
    }

    /**
     * Input gradient: vectorised over input channels; the padding must not exceed the kernel's reach, so that
     * the output gradient's own padding is not negative.
     */
    static boolean appliesToInputGradient(Conv2dGeometry g) {
        return stride1(g) && wide(g.inC()) && g.padH() <= (g.kH() - 1) * g.dilH()
                && g.padW() <= (g.kW() - 1) * g.dilW();
    }

    /** Sizes and tables shared by the passes. */
    private static final class Plan {
        final Conv2dGeometry g;
        final int hp, wp, inPlane, inImage, oh, ow, positions, taps, k;
        /** Flat offset of each tap (ki, kj) in a padded input plane. */
        final int[] tapOff;

        Plan(Conv2dGeometry g) {
            this.g = g;
            hp = g.inH() + 2 * g.padH();
            wp = g.inW() + 2 * g.padW();
            inPlane = hp * wp;
            inImage = g.inC() * inPlane;
            oh = g.outH();
            ow = g.outW();
            positions = oh * ow;
            taps = g.kH() * g.kW();
            k = g.inC() * taps;
            tapOff = new int[taps];
            for (int ki = 0; ki < g.kH(); ki++) {
                for (int kj = 0; kj < g.kW(); kj++) {
                    tapOff[ki * g.kW() + kj] = ki * g.dilH() * wp + kj * g.dilW();
                }
            }
        }

        /** (input channel, tap) pairs as offsets in a padded image: the forward pass's k, the weight gradient's rows. */
        int[] channelTaps(int length) {
            int[] t = new int[length];
            for (int c = 0; c < g.inC(); c++) {
                for (int j = 0; j < taps; j++) {
                    t[c * taps + j] = c * inPlane + tapOff[j];
                }
            }
            return t;
        }

        /** Output positions (y, x) of {@code images} padded images lying inImage apart, as offsets. */
        int[] outputPositions(int images, int length) {
            int[] t = new int[length];
            for (int i = 0, r = 0; i < images; i++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        t[r++] = i * inImage + y * wp + x;
                    }
                }
            }
            return t;
        }
    }

    /**
     * The forward pass. Its k runs over (kernel row, input channel, kernel column), so the taps of one kernel row
     * are one stretch of k: an output row whose kernel rows fall partly in the padding (the top and bottom rows of
     * a padded convolution) multiplies only the stretch that reads the image. A 5×5 kernel with padding 2 on the
     * ConvNet's 14 × 14 second layer: 64 of 70 kernel rows per image column are real, 9% of the multiply-adds
     * skipped; PyTorch's oneDNN skips the same taps (and the columns' too).
     */
    static void forward(float[] x, float[] w, float[] bias, float[] out, Conv2dGeometry g) {
        Plan p = new Plan(g);
        int ldc = ImplicitGemm.paddedCols(g.outC());
        int perRow = g.inC() * g.kW();
        // the weights in that order: wk[oc][ki·perRow + ci·kW + kj] = w[oc][ci][ki][kj]
        float[] wk = new float[g.outC() * p.k];
        int[] kOff = new int[p.k];
        for (int ki = 0; ki < g.kH(); ki++) {
            for (int ci = 0; ci < g.inC(); ci++) {
                int at = ki * perRow + ci * g.kW();
                for (int oc = 0; oc < g.outC(); oc++) {
                    System.arraycopy(w, oc * p.k + ci * p.taps + ki * g.kW(), wk, oc * p.k + at, g.kW());
                }
                for (int kj = 0; kj < g.kW(); kj++) {
                    kOff[at + kj] = ci * p.inPlane + p.tapOff[ki * g.kW() + kj];
                }
            }
        }
        float[] bp = new float[ldc * p.k];
        ImplicitGemm.packTransposed(wk, 0, p.k, p.k, g.outC(), bp, 0, p.k);
        int padded = ImplicitGemm.paddedRows(p.positions);
        int[] rows = p.outputPositions(1, padded);
        // each output row's stretch of k: its kernel rows that land in the image
        int[] kFrom = new int[padded], kTo = new int[padded];
        for (int r = 0; r < padded; r++) {
            int y = Math.min(r, p.positions - 1) / p.ow, lo = g.kH(), hi = -1;
            for (int ki = 0; ki < g.kH(); ki++) {
                int iy = y - g.padH() + ki * g.dilH();
                if (iy >= 0 && iy < g.inH()) {
                    lo = Math.min(lo, ki);
                    hi = ki;
                }
            }
            // a row no kernel row reaches (padding past the kernel's reach) still has its zeros computed
            kFrom[r] = hi < 0 ? 0 : lo * perRow;
            kTo[r] = hi < 0 ? p.k : (hi + 1) * perRow;
        }
        int inSize = g.inC() * g.inH() * g.inW();
        int[] lanes = rowLanes(ldc);
        Parallel.forRange(g.n(), 2 * g.macs(), (from, to) -> {
            float[] xp = Scratch.get(Scratch.DIRECT_INPUT, p.inImage);
            float[] c = Scratch.get(Scratch.IMPLICIT_C, p.positions * ldc);
            for (int n = from; n < to; n++) {
                Convolution.padImage(x, n * inSize, g, xp, 0, p.inImage);
                ImplicitGemm.multiplyRanges(xp, rows, p.positions, kOff, p.k, kFrom, kTo, bp, g.outC(), c, ldc);
                transposeOut(c, 0, ldc, lanes, p.positions, g.outC(), bias, out, n * g.outC() * p.positions);
            }
        });
    }

    /**
     * Input gradient (when {@link #appliesToInputGradient}) and weight gradient (when
     * {@link #appliesToWeightGradient});
     * either output may be null. The caller computes the bias gradient and whatever this class does not apply to.
     */
    static void backward(float[] x, float[] w, float[] gOut, float[] gx, float[] gw, Conv2dGeometry g) {
        Plan p = new Plan(g);
        InputGradient ig = gx == null ? null : new InputGradient(p, w);
        int ldc = ImplicitGemm.paddedCols(g.outC());
        int nb = Math.max(1, Math.min(g.n(), CHUNK_POSITIONS / Math.max(1, p.positions)));
        int[] wgRows = gw == null ? null : p.channelTaps(ImplicitGemm.paddedRows(p.k));
        int[] wgK = gw == null ? null : p.outputPositions(nb, nb * p.positions);
        int pieces = Parallel.piecesFor(g.n(), 4 * g.macs(), 2);
        float[][] parts = new float[pieces][];
        int inSize = g.inC() * g.inH() * g.inW(), outSize = g.outC() * p.positions;
        // each piece of the batch sums its own weight gradient; they are added up in piece order at the end, so the
        // result does not depend on which thread ran which piece
        Parallel.forPieces(g.n(), pieces, (piece, from, to) -> {
            if (gw != null) {
                float[] part = BufferPool.zeros(p.k * ldc);
                parts[piece] = part;
                float[] xs = Scratch.get(Scratch.DIRECT_INPUT, nb * p.inImage);
                float[] bp = Scratch.get(Scratch.IMPLICIT_B, ldc * nb * p.positions);
                // chunks of equal size (8 images in chunks of 5: 4 + 4, not 5 + 3): a short chunk runs slower
                int chunks = (to - from + nb - 1) / nb, step = (to - from + chunks - 1) / chunks;
                for (int n0 = from; n0 < to; n0 += step) {
                    int cnt = Math.min(step, to - n0), kTotal = cnt * p.positions;
                    for (int i = 0; i < cnt; i++) {
                        Convolution.padImage(x, (n0 + i) * inSize, g, xs, i * p.inImage, p.inImage);
                        ImplicitGemm.packTransposed(gOut, (n0 + i) * outSize, p.positions, p.positions, g.outC(),
                                bp, i * p.positions, kTotal);
                    }
                    ImplicitGemm.multiply(xs, wgRows, p.k, wgK, kTotal, bp, g.outC(), part, ldc, true);
                }
            }
            if (ig != null) {
                ig.images(gOut, gx, from, to);
            }
        });
        if (gw != null) {
            // gw[oc][(c, tap)] = the chunks' [(c, tap)][oc] sums, transposed; rows split over the cores, each sum
            // still taken in piece order
            Parallel.forRange(p.k, (long) p.k * g.outC() * pieces, (from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int oc = 0; oc < g.outC(); oc++) {
                        float s = 0f;
                        for (float[] part : parts) {
                            s += part[r * ldc + oc];
                        }
                        gw[oc * p.k + r] = s;
                    }
                }
            });
            for (float[] part : parts) {
                BufferPool.give(part);
            }
        }
    }

    /** The input gradient's tables and packed flipped weights, built once per backward pass. */
    private static final class InputGradient {
        final Plan p;
        final Conv2dGeometry g;
        /** The output gradient's padding: the kernel's reach less the forward padding. */
        final int top, left, hq, wq, plane;
        final int ldc, k;
        final float[] bp;
        final int[] rows, kOff, lanes;

        InputGradient(Plan p, float[] w) {
            this.p = p;
            g = p.g;
            top = (g.kH() - 1) * g.dilH() - g.padH();
            left = (g.kW() - 1) * g.dilW() - g.padW();
            hq = g.inH() + (g.kH() - 1) * g.dilH();
            wq = g.inW() + (g.kW() - 1) * g.dilW();
            plane = hq * wq;
            ldc = ImplicitGemm.paddedCols(g.inC());
            lanes = rowLanes(ldc);
            k = g.outC() * p.taps;
            // flipped[c][oc·taps + t] = w[oc][c][taps−1−t]: B transposed, one row per input channel
            float[] flipped = new float[g.inC() * k];
            for (int oc = 0; oc < g.outC(); oc++) {
                for (int c = 0; c < g.inC(); c++) {
                    for (int t = 0; t < p.taps; t++) {
                        flipped[c * k + oc * p.taps + t] = w[(oc * g.inC() + c) * p.taps + (p.taps - 1 - t)];
                    }
                }
            }
            bp = new float[ldc * k];
            ImplicitGemm.packTransposed(flipped, 0, k, k, g.inC(), bp, 0, k);
            int inPositions = g.inH() * g.inW();
            rows = new int[ImplicitGemm.paddedRows(inPositions)];
            for (int y = 0, r = 0; y < g.inH(); y++) {
                for (int x = 0; x < g.inW(); x++) {
                    rows[r++] = y * wq + x;
                }
            }
            kOff = new int[k];
            for (int oc = 0; oc < g.outC(); oc++) {
                for (int ki = 0; ki < g.kH(); ki++) {
                    for (int kj = 0; kj < g.kW(); kj++) {
                        kOff[oc * p.taps + ki * g.kW() + kj] = oc * plane + ki * g.dilH() * wq + kj * g.dilW();
                    }
                }
            }
        }

        /** The input gradient of images [from, to), two at a time through {@link ImplicitGemm#multiplyPair}. */
        void images(float[] gOut, float[] gx, int from, int to) {
            int inPositions = g.inH() * g.inW(), padded = g.outC() * plane, outSize = g.outC() * p.positions;
            int inSize = g.inC() * inPositions, cSize = inPositions * ldc;
            float[] gq = Scratch.get(Scratch.DIRECT_GRAD, 2 * padded);
            float[] c = Scratch.get(Scratch.IMPLICIT_C, 2 * cSize);
            int n = from;
            for (; n + 1 < to; n += 2) {
                pad(gOut, n * outSize, gq, 0);
                pad(gOut, (n + 1) * outSize, gq, padded);
                ImplicitGemm.multiplyPair(gq, padded, rows, inPositions, kOff, k, bp, g.inC(), c, cSize, ldc);
                transposeOut(c, 0, ldc, lanes, inPositions, g.inC(), null, gx, n * inSize);
                transposeOut(c, cSize, ldc, lanes, inPositions, g.inC(), null, gx, (n + 1) * inSize);
            }
            if (n < to) {
                pad(gOut, n * outSize, gq, 0);
                ImplicitGemm.multiply(gq, rows, inPositions, kOff, k, bp, g.inC(), c, ldc, false);
                transposeOut(c, 0, ldc, lanes, inPositions, g.inC(), null, gx, n * inSize);
            }
        }

        /** One image's output gradient into gq[at..], zero-padded by (top, left) to hq × wq planes. */
        private void pad(float[] gOut, int gOff, float[] gq, int at) {
            Convolution.padPlanes(gOut, gOff, g.outC(), p.oh, p.ow, gq, at, g.outC() * plane, plane, wq, top, left);
        }
    }

    /** Gather offsets of VL consecutive rows of a [position][channel] product with rows ldc apart. */
    private static int[] rowLanes(int ldc) {
        int[] lanes = new int[VL];
        for (int l = 0; l < VL; l++) {
            lanes[l] = l * ldc;
        }
        return lanes;
    }

    /**
     * dst[dstOff + ch·positions + q] = c[cOff + q·ldc + ch] (+ bias[ch]): [position][channel] back to NCHW, VL positions
     * of a channel per gather ({@code lanes} from {@link #rowLanes}).
     */
    private static void transposeOut(float[] c, int cOff, int ldc, int[] lanes, int positions, int channels,
                                     float[] bias, float[] dst, int dstOff) {
        int full = positions / VL * VL;
        for (int ch = 0; ch < channels; ch++) {
            float b = bias == null ? 0f : bias[ch];
            FloatVector bv = FloatVector.broadcast(S, b);
            int d = dstOff + ch * positions;
            for (int q = 0; q < full; q += VL) {
                FloatVector.fromArray(S, c, cOff + q * ldc + ch, lanes, 0).add(bv).intoArray(dst, d + q);
            }
            for (int q = full; q < positions; q++) {
                dst[d + q] = c[cOff + q * ldc + ch] + b;
            }
        }
    }
}
