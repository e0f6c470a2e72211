package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 conv2d computed directly, without an im2col matrix: the classic MNIST networks' convolutions (LeNet's
 * 1→6 and 6→16, the ConvNet's 1→32 and 32→64) are all stride 1, and their im2col matrices are 25–800 rows tall
 * but only 10–28 pixels wide per image row, so building, packing and streaming them cost more than the
 * multiply-adds.
 *
 * <p>The trick is a "wide" output row. Each input plane is copied once into a zero-padded [Hp, Wp] plane
 * (padding applied, so no bounds checks remain). For stride 1, output (y, x) reads padded input (y + ki·dH,
 * x + kj·dW), that is flat index {@code q + tapOffset} with {@code q = y·Wp + x}: every tap of the kernel is one
 * contiguous shifted copy of the flat plane. The kernel therefore computes outputs at all flat positions
 * q in [0, oh·Wp), vectorised over q; the (kW−1)·dW positions at the end of each row that wrap into the next row
 * are computed and thrown away (14–40% extra work on these networks, far less than im2col costs).
 *
 * <p>The same kernel computes the input gradient: it is the correlation of the output gradient — laid out wide,
 * with zeros in the thrown-away columns and a zero margin in front — with the weights flipped and their in/out
 * channels swapped. The weight gradient is a dot product of the wide output gradient with each shifted input
 * plane, accumulated over all images of a chunk before the lanes are summed.
 *
 * <p>Register blocking: 4 output channels × 4 vectors of positions (16 accumulators) per step, so each weight
 * broadcast and each input vector load feeds four multiply-adds; with 16 vector registers (AVX2), 4 × 2 vectors
 * ({@link VectorRegisters}).
 */
final class DirectConvolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Flat positions per kernel block: 4 vectors. */
    private static final int BLOCK = 4 * VL;
    /** Output channels per kernel block. */
    private static final int ROWS = 4;
    /** Upper bound on the floats of one chunk's buffers in the backward pass (1.5 MB: stays in a 2 MB L2). */
    private static final int CHUNK_FLOATS = 384 * 1024;

    private DirectConvolution() {
    }

    /** Whether the direct method handles this geometry: stride 1, one group. */
    static boolean applies(Conv2dGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.groups() == 1 && VL >= 4;
    }

    /**
     * Sizes and tap offsets of one geometry. The forward pass works one image at a time on a padded copy
     * ([inC][Hp·Wp] plus read-ahead slack). The backward pass lays a chunk of images side by side per channel,
     * {@code stride} floats apart, so each kernel runs one loop over the whole chunk.
     */
    private static final class Plan {
        final Conv2dGeometry g;
        final int hp, wp, oh, ow, taps, tapsPadded;
        /** Flat offset of each tap (ki, kj) in a padded plane; padded with zeros to a multiple of 4 taps. */
        final int[] tapOff;
        /** The largest tap offset: how far a position reads ahead of itself. */
        final int maxOff;
        /** Padded input plane size, and the floats per image of the forward pass's padded input. */
        final int inPlane, inImage;
        /** Output positions computed per plane in the forward pass (oh·Wp rounded up to whole blocks). */
        final int outLen;
        /** Distance between images in the backward pass's side-by-side rows: at least one padded plane. */
        final int stride;
        /** Positions covering the unpadded rows of one padded input plane, in whole blocks. */
        final int inputRowsLen;
        final int outCPadded, inCPadded;

        Plan(Conv2dGeometry g) {
            this.g = g;
            hp = g.inH() + 2 * g.padH();
            wp = g.inW() + 2 * g.padW();
            oh = g.outH();
            ow = g.outW();
            taps = g.kH() * g.kW();
            tapsPadded = roundUp(taps, 4);
            tapOff = new int[tapsPadded];
            for (int ki = 0; ki < g.kH(); ki++) {
                for (int kj = 0; kj < g.kW(); kj++) {
                    tapOff[ki * g.kW() + kj] = ki * g.dilH() * wp + kj * g.dilW();
                }
            }
            maxOff = (g.kH() - 1) * g.dilH() * wp + (g.kW() - 1) * g.dilW();
            inPlane = hp * wp;
            outLen = roundUp(oh * wp, BLOCK);
            // the last plane's last block reads up to outLen - 1 + maxOff
            inImage = g.inC() * inPlane + Math.max(0, outLen + maxOff - inPlane);
            // an image's output gradient plus the margin its input gradient reads ahead is exactly Hp·Wp, so
            // images this far apart never see each other's values
            stride = roundUp(inPlane, VL);
            inputRowsLen = roundUp(g.inH() * wp, BLOCK);
            outCPadded = roundUp(g.outC(), ROWS);
            inCPadded = roundUp(g.inC(), ROWS);
        }

        /** Images per backward chunk: as many as keep the chunk's buffers within CHUNK_FLOATS. */
        int chunkImages(int images) {
            long perImage = (long) stride * (g.inC() + outCPadded + inCPadded);
            return (int) Math.max(1, Math.min(images, CHUNK_FLOATS / perImage));
        }
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    static void forward(float[] x, float[] w, float[] bias, float[] out, Conv2dGeometry g) {
        Plan p = new Plan(g);
        int k = g.inC() * p.taps;
        // weights with rows padded to a multiple of 4 output channels (zero rows, results thrown away)
        float[] wPad = g.outC() == p.outCPadded ? w : java.util.Arrays.copyOf(w, p.outCPadded * k);
        int outPlane = p.oh * p.ow;
        int[] offsets = offsets(g.inC(), p.inPlane, p.tapOff, p.taps);
        Parallel.forRange(g.n(), 2 * g.macs(), (from, to) -> {
            float[] xp = Scratch.get(Scratch.DIRECT_INPUT, p.inImage);
            float[] wide = Scratch.get(Scratch.DIRECT_OUTPUT, p.outCPadded * p.outLen);
            for (int n = from; n < to; n++) {
                Convolution.padImage(x, n * g.inC() * g.inH() * g.inW(), g, xp, 0, p.inImage);
                correlate(xp, 0, offsets, wPad, p.outCPadded, g.outC(), wide, p.outLen);
                for (int oc = 0; oc < g.outC(); oc++) {
                    float b = bias == null ? 0f : bias[oc];
                    int dst = (n * g.outC() + oc) * outPlane;
                    FloatVector bv = FloatVector.broadcast(S, b);
                    for (int y = 0; y < p.oh; y++, dst += p.ow) {
                        int src = oc * p.outLen + y * p.wp, xo = 0;
                        for (; xo + VL <= p.ow; xo += VL) {
                            FloatVector.fromArray(S, wide, src + xo).add(bv).intoArray(out, dst + xo);
                        }
                        if (xo < p.ow && p.ow >= VL) {
                            // the tail as one vector ending at the row's end, overlapping the last one (the same
                            // values written twice) instead of up to 15 scalar steps (LeNet-5's 28-wide rows)
                            xo = p.ow - VL;
                            FloatVector.fromArray(S, wide, src + xo).add(bv).intoArray(out, dst + xo);
                            continue;
                        }
                        for (; xo < p.ow; xo++) {
                            out[dst + xo] = wide[src + xo] + b;
                        }
                    }
                }
            }
        });
    }

    /** Input and weight gradients ({@code gx} or {@code gw} may be null); the caller sums the bias gradient. */
    static void backward(float[] x, float[] w, float[] gOut, float[] gx, float[] gw, Conv2dGeometry g) {
        Plan p = new Plan(g);
        int k = g.inC() * p.taps;
        // input gradient weights: wFlip[c][oc·taps + t] = w[oc][c·taps + (taps−1−t)], rows padded to 4
        float[] wFlip = null;
        if (gx != null) {
            wFlip = new float[p.inCPadded * g.outC() * p.taps];
            for (int oc = 0; oc < g.outC(); oc++) {
                for (int c = 0; c < g.inC(); c++) {
                    for (int t = 0; t < p.taps; t++) {
                        wFlip[(c * g.outC() + oc) * p.taps + t] = w[oc * k + c * p.taps + (p.taps - 1 - t)];
                    }
                }
            }
        }
        float[] flipped = wFlip;
        int wGradSize = p.outCPadded * g.inC() * p.tapsPadded;
        // four pieces per thread, not two: a LeNet-5 backward's pieces are ~0.1 ms, and with two per thread a worker
        // that starts late left the caller three of the four (measured 4% faster backward)
        int pieces = Parallel.piecesFor(g.n(), 4 * g.macs(), 4);
        float[][] parts = new float[pieces][];
        // each piece of the batch sums its own weight gradient; they are added up in piece order at the end, so the
        // result does not depend on which thread ran which piece
        Parallel.forPieces(g.n(), pieces, (piece, from, to) -> {
            float[] acc = gw == null ? null : new float[wGradSize];
            parts[piece] = acc;
            int nb = p.chunkImages(to - from);
            int len = roundUp(nb * p.stride, BLOCK);
            // rows of the side-by-side buffers, with room for reading ahead by maxOff (and a front margin for
            // the output gradient, which the input gradient reads behind as well)
            int gradRow = p.maxOff + len + p.maxOff + BLOCK;
            int inputRow = len + p.maxOff + VL;
            float[] grad = Scratch.get(Scratch.DIRECT_GRAD, p.outCPadded * gradRow);
            float[] xs = acc == null ? null : Scratch.get(Scratch.DIRECT_INPUT, g.inC() * inputRow);
            float[] gxs = gx == null ? null
                    : Scratch.get(Scratch.DIRECT_OUTPUT, p.inCPadded * Math.max(len, p.inputRowsLen));
            int[] gradOff = gx == null ? null : offsets(g.outC(), gradRow, p.tapOff, p.taps);
            for (int n0 = from; n0 < to; n0 += nb) {
                int cnt = Math.min(nb, to - n0);
                sideBySideGradient(gOut, n0, cnt, p, grad, gradRow);
                if (acc != null) {
                    sideBySideInput(x, n0, cnt, p, xs, inputRow);
                    weightGradient(grad, p.maxOff, gradRow, xs, inputRow, cnt * p.stride, p, acc);
                }
                if (gxs != null) {
                    inputGradient(grad, gradOff, flipped, n0, cnt, p, gxs, gx);
                }
            }
        });
        if (gw != null) {
            for (int oc = 0; oc < g.outC(); oc++) {
                for (int c = 0; c < g.inC(); c++) {
                    for (int t = 0; t < p.taps; t++) {
                        int a = (oc * g.inC() + c) * p.tapsPadded + t;
                        float s = 0f;
                        for (float[] part : parts) {
                            s += part[a];
                        }
                        gw[oc * k + c * p.taps + t] = s;
                    }
                }
            }
        }
    }

    /**
     * Input gradients of images [n0, n0+cnt) from their side-by-side output gradient: the correlation with the
     * flipped weights, over the whole chunk at once or, when the padding rows make that wasteful, one image at a
     * time over just the rows inside the image.
     */
    private static void inputGradient(float[] grad, int[] gradOff, float[] flipped, int n0, int cnt, Plan p,
                                      float[] gxs, float[] gx) {
        Conv2dGeometry g = p.g;
        int whole = roundUp(cnt * p.stride, BLOCK);
        int dst = n0 * g.inC() * g.inH() * g.inW();
        if (whole <= cnt * p.inputRowsLen) {
            correlate(grad, 0, gradOff, flipped, p.inCPadded, g.inC(), gxs, whole);
            for (int i = 0; i < cnt; i++) {
                for (int c = 0; c < g.inC(); c++) {
                    int src = c * whole + i * p.stride + g.padH() * p.wp + g.padW();
                    for (int y = 0; y < g.inH(); y++, src += p.wp, dst += g.inW()) {
                        System.arraycopy(gxs, src, gx, dst, g.inW());
                    }
                }
            }
            return;
        }
        for (int i = 0; i < cnt; i++) {
            correlate(grad, i * p.stride + g.padH() * p.wp, gradOff, flipped, p.inCPadded, g.inC(), gxs,
                    p.inputRowsLen);
            for (int c = 0; c < g.inC(); c++) {
                int src = c * p.inputRowsLen + g.padW();
                for (int y = 0; y < g.inH(); y++, src += p.wp, dst += g.inW()) {
                    System.arraycopy(gxs, src, gx, dst, g.inW());
                }
            }
        }
    }

    /**
     * The padded input planes of images [n0, n0+cnt) side by side: xs[c][i·stride + (y+padH)·Wp + x+padW], zeros
     * elsewhere.
     */
    private static void sideBySideInput(float[] x, int n0, int cnt, Plan p, float[] xs, int row) {
        Conv2dGeometry g = p.g;
        java.util.Arrays.fill(xs, 0, g.inC() * row, 0f);
        for (int i = 0; i < cnt; i++) {
            int src = (n0 + i) * g.inC() * g.inH() * g.inW();
            for (int c = 0; c < g.inC(); c++) {
                int dst = c * row + i * p.stride + g.padH() * p.wp + g.padW();
                for (int y = 0; y < g.inH(); y++, src += g.inW(), dst += p.wp) {
                    System.arraycopy(x, src, xs, dst, g.inW());
                }
            }
        }
    }

    /**
     * The output gradients of images [n0, n0+cnt) side by side behind a zero margin of maxOff:
     * grad[oc][maxOff + i·stride + y·Wp + x] for x &lt; ow, zeros in the thrown-away columns and elsewhere.
     */
    private static void sideBySideGradient(float[] gOut, int n0, int cnt, Plan p, float[] grad, int row) {
        Conv2dGeometry g = p.g;
        java.util.Arrays.fill(grad, 0, p.outCPadded * row, 0f);
        for (int i = 0; i < cnt; i++) {
            int src = (n0 + i) * g.outC() * p.oh * p.ow;
            for (int oc = 0; oc < g.outC(); oc++) {
                int dst = oc * row + p.maxOff + i * p.stride;
                for (int y = 0; y < p.oh; y++, src += p.ow, dst += p.wp) {
                    System.arraycopy(gOut, src, grad, dst, p.ow);
                }
            }
        }
    }

    /**
     * Flat offsets of every (channel, tap) pair of a source with the given plane size: the inner loop of the
     * kernels walks this one table instead of nesting a channel loop around a tap loop (C2 keeps the
     * accumulators in registers only across a single loop).
     */
    private static int[] offsets(int channels, int plane, int[] tapOff, int taps) {
        int[] off = new int[channels * taps];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < taps; t++) {
                off[c * taps + t] = c * plane + tapOff[t];
            }
        }
        return off;
    }

    /**
     * dst[r][q] = Σ_j w[r][j] · src[srcOff + q + off[j]] for r in [0, rows) (a multiple of 4) and q in [0, len)
     * (a multiple of BLOCK), j over the (channel, tap) pairs of {@code off}. Only rows [0, used) are read
     * afterwards: when that is a multiple of 6 (LeNet-5's first convolution), blocks of 6 rows compute just those
     * (in blocks of 4, a quarter of the work went to the two padding rows).
     */
    private static void correlate(float[] src, int srcOff, int[] off, float[] w, int rows, int used, float[] dst,
                                  int len) {
        int k = off.length;
        if (used % 6 == 0) {
            for (int r = 0; r < used; r += 6) {
                for (int q = 0; q < len; q += 2 * VL) {
                    correlateSix(src, srcOff + q, off, w, r * k, k, dst, r * len + q, len);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r += ROWS) {
            for (int q = 0; q < len; q += BLOCK) {
                if (VectorRegisters.FEW) {
                    correlateHalf(src, srcOff + q, off, w, r * k, k, dst, r * len + q, len);
                    correlateHalf(src, srcOff + q + BLOCK / 2, off, w, r * k, k, dst, r * len + q + BLOCK / 2, len);
                } else {
                    correlateBlock(src, srcOff + q, off, w, r * k, k, dst, r * len + q, len);
                }
            }
        }
    }

    /** One block of {@link #correlate}: 4 rows × 4 vectors of positions. */
    private static void correlateBlock(float[] src, int base, int[] off, float[] w, int w0, int k, float[] dst,
                                       int d0, int len) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        for (int j = 0; j < k; j++) {
            int s = base + off[j];
            FloatVector x0 = FloatVector.fromArray(S, src, s);
            FloatVector x1 = FloatVector.fromArray(S, src, s + VL);
            FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * VL);
            FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * VL);
            FloatVector v = FloatVector.broadcast(S, w[w0 + j]);
            a00 = x0.fma(v, a00);
            a01 = x1.fma(v, a01);
            a02 = x2.fma(v, a02);
            a03 = x3.fma(v, a03);
            v = FloatVector.broadcast(S, w[w1 + j]);
            a10 = x0.fma(v, a10);
            a11 = x1.fma(v, a11);
            a12 = x2.fma(v, a12);
            a13 = x3.fma(v, a13);
            v = FloatVector.broadcast(S, w[w2 + j]);
            a20 = x0.fma(v, a20);
            a21 = x1.fma(v, a21);
            a22 = x2.fma(v, a22);
            a23 = x3.fma(v, a23);
            v = FloatVector.broadcast(S, w[w3 + j]);
            a30 = x0.fma(v, a30);
            a31 = x1.fma(v, a31);
            a32 = x2.fma(v, a32);
            a33 = x3.fma(v, a33);
        }
        int d1 = d0 + len, d2 = d1 + len, d3 = d2 + len;
        a00.intoArray(dst, d0);
        a01.intoArray(dst, d0 + VL);
        a02.intoArray(dst, d0 + 2 * VL);
        a03.intoArray(dst, d0 + 3 * VL);
        a10.intoArray(dst, d1);
        a11.intoArray(dst, d1 + VL);
        a12.intoArray(dst, d1 + 2 * VL);
        a13.intoArray(dst, d1 + 3 * VL);
        a20.intoArray(dst, d2);
        a21.intoArray(dst, d2 + VL);
        a22.intoArray(dst, d2 + 2 * VL);
        a23.intoArray(dst, d2 + 3 * VL);
        a30.intoArray(dst, d3);
        a31.intoArray(dst, d3 + VL);
        a32.intoArray(dst, d3 + 2 * VL);
        a33.intoArray(dst, d3 + 3 * VL);
    }

    /**
     * Six rows × 2 vectors of {@link #correlate}: 12 accumulators, two loads and a broadcast (15 registers, so
     * AVX2 too); each input vector feeds six multiply-adds.
     */
    private static void correlateSix(float[] src, int base, int[] off, float[] w, int w0, int k, float[] dst,
                                     int d0, int len) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00;
        FloatVector a50 = a00, a51 = a00;
        int w1 = w0 + k, w2 = w1 + k, w3 = w2 + k, w4 = w3 + k, w5 = w4 + k;
        for (int j = 0; j < k; j++) {
            int s = base + off[j];
            FloatVector x0 = FloatVector.fromArray(S, src, s);
            FloatVector x1 = FloatVector.fromArray(S, src, s + VL);
            FloatVector v = FloatVector.broadcast(S, w[w0 + j]);
            a00 = x0.fma(v, a00);
            a01 = x1.fma(v, a01);
            v = FloatVector.broadcast(S, w[w1 + j]);
            a10 = x0.fma(v, a10);
            a11 = x1.fma(v, a11);
            v = FloatVector.broadcast(S, w[w2 + j]);
            a20 = x0.fma(v, a20);
            a21 = x1.fma(v, a21);
            v = FloatVector.broadcast(S, w[w3 + j]);
            a30 = x0.fma(v, a30);
            a31 = x1.fma(v, a31);
            v = FloatVector.broadcast(S, w[w4 + j]);
            a40 = x0.fma(v, a40);
            a41 = x1.fma(v, a41);
            v = FloatVector.broadcast(S, w[w5 + j]);
            a50 = x0.fma(v, a50);
            a51 = x1.fma(v, a51);
        }
        int d1 = d0 + len, d2 = d1 + len, d3 = d2 + len, d4 = d3 + len, d5 = d4 + len;
        a00.intoArray(dst, d0);
        a01.intoArray(dst, d0 + VL);
        a10.intoArray(dst, d1);
        a11.intoArray(dst, d1 + VL);
        a20.intoArray(dst, d2);
        a21.intoArray(dst, d2 + VL);
        a30.intoArray(dst, d3);
        a31.intoArray(dst, d3 + VL);
        a40.intoArray(dst, d4);
        a41.intoArray(dst, d4 + VL);
        a50.intoArray(dst, d5);
        a51.intoArray(dst, d5 + VL);
    }

    /**
     * Half a block of {@link #correlate} for 16 vector registers (AVX2): 4 rows × 2 vectors, 8 accumulators, two
     * loads and a broadcast (the 4 × 4 block needs 21 registers).
     */
    private static void correlateHalf(float[] src, int base, int[] off, float[] w, int w0, int k, float[] dst,
                                      int d0, int len) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        int w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        for (int j = 0; j < k; j++) {
            int s = base + off[j];
            FloatVector x0 = FloatVector.fromArray(S, src, s);
            FloatVector x1 = FloatVector.fromArray(S, src, s + VL);
            FloatVector v = FloatVector.broadcast(S, w[w0 + j]);
            a00 = x0.fma(v, a00);
            a01 = x1.fma(v, a01);
            v = FloatVector.broadcast(S, w[w1 + j]);
            a10 = x0.fma(v, a10);
            a11 = x1.fma(v, a11);
            v = FloatVector.broadcast(S, w[w2 + j]);
            a20 = x0.fma(v, a20);
            a21 = x1.fma(v, a21);
            v = FloatVector.broadcast(S, w[w3 + j]);
            a30 = x0.fma(v, a30);
            a31 = x1.fma(v, a31);
        }
        int d1 = d0 + len, d2 = d1 + len, d3 = d2 + len;
        a00.intoArray(dst, d0);
        a01.intoArray(dst, d0 + VL);
        a10.intoArray(dst, d1);
        a11.intoArray(dst, d1 + VL);
        a20.intoArray(dst, d2);
        a21.intoArray(dst, d2 + VL);
        a30.intoArray(dst, d3);
        a31.intoArray(dst, d3 + VL);
    }

    /**
     * acc[oc][c·tapsPadded + t] += Σ_u grad[oc][gradBase + u] · xs[c][u + tapOff[t]] over u in [0, len), for 4 output channels ×
     * 4 taps at a time. {@code grad} and {@code xs} hold a chunk of images side by side ([channel][image·stride]),
     * so one loop runs over all of them and the lanes are summed once per chunk.
     */
    private static void weightGradient(float[] grad, int gradBase, int gradRow, float[] xs, int xsRow, int len,
                                       Plan p, float[] acc) {
        Conv2dGeometry g = p.g;
        if ((g.outC() % ROWS != 0 || VectorRegisters.FEW) && g.outC() % 3 == 0) {
            // 6 output channels (LeNet-5's first convolution): blocks of 3, not 4 over rows padded to 8; with 16
            // registers, any multiple of 3 (3 × 4 taps loads 7 vectors per 12 multiply-adds, 4 × 2 taps 6 per 8)
            for (int oc = 0; oc < g.outC(); oc += 3) {
                for (int c = 0; c < g.inC(); c++) {
                    for (int t = 0; t < p.taps; t += 4) {
                        weightGradientThree(grad, gradBase + oc * gradRow, gradRow, xs, c * xsRow, p.tapOff, t, len,
                                acc, (oc * g.inC() + c) * p.tapsPadded + t, g.inC() * p.tapsPadded);
                    }
                }
            }
            return;
        }
        for (int oc = 0; oc < g.outC(); oc += ROWS) {
            for (int c = 0; c < g.inC(); c++) {
                for (int t = 0; t < p.taps; t += 4) {
                    int gb = gradBase + oc * gradRow, at = (oc * g.inC() + c) * p.tapsPadded + t;
                    if (VectorRegisters.FEW) {
                        weightGradientHalf(grad, gb, gradRow, xs, c * xsRow, p.tapOff, t, len, acc, at,
                                g.inC() * p.tapsPadded);
                        weightGradientHalf(grad, gb, gradRow, xs, c * xsRow, p.tapOff, t + 2, len, acc, at + 2,
                                g.inC() * p.tapsPadded);
                    } else {
                        weightGradientBlock(grad, gb, gradRow, xs, c * xsRow, p.tapOff, t, len, acc, at,
                                g.inC() * p.tapsPadded);
                    }
                }
            }
        }
    }

    private static void weightGradientBlock(float[] grad, int gb, int gradRow, float[] xs, int xb, int[] tapOff,
                                            int t, int len, float[] acc, int r0, int step) {
        int o0 = xb + tapOff[t], o1 = xb + tapOff[t + 1], o2 = xb + tapOff[t + 2], o3 = xb + tapOff[t + 3];
        int gb1 = gb + gradRow, gb2 = gb1 + gradRow, gb3 = gb2 + gradRow;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int u = 0; u < len; u += VL) {
            FloatVector g0 = FloatVector.fromArray(S, grad, gb + u);
            FloatVector g1 = FloatVector.fromArray(S, grad, gb1 + u);
            FloatVector g2 = FloatVector.fromArray(S, grad, gb2 + u);
            FloatVector g3 = FloatVector.fromArray(S, grad, gb3 + u);
            FloatVector v = FloatVector.fromArray(S, xs, o0 + u);
            a00 = g0.fma(v, a00);
            a10 = g1.fma(v, a10);
            a20 = g2.fma(v, a20);
            a30 = g3.fma(v, a30);
            v = FloatVector.fromArray(S, xs, o1 + u);
            a01 = g0.fma(v, a01);
            a11 = g1.fma(v, a11);
            a21 = g2.fma(v, a21);
            a31 = g3.fma(v, a31);
            v = FloatVector.fromArray(S, xs, o2 + u);
            a02 = g0.fma(v, a02);
            a12 = g1.fma(v, a12);
            a22 = g2.fma(v, a22);
            a32 = g3.fma(v, a32);
            v = FloatVector.fromArray(S, xs, o3 + u);
            a03 = g0.fma(v, a03);
            a13 = g1.fma(v, a13);
            a23 = g2.fma(v, a23);
            a33 = g3.fma(v, a33);
        }
        // lane sums written out: a helper taking vectors is not always inlined, and then boxes every vector
        acc[r0] += a00.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a01.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a02.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a03.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a10.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a11.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a12.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a13.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a20.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a21.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a22.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a23.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a30.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a31.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a32.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a33.reduceLanes(VectorOperators.ADD);
    }

    /**
     * 3 output channels × 4 taps of {@link #weightGradient}: 12 accumulators, three loads of the gradient and one
     * of the input per tap (16 registers, so AVX2 too).
     */
    private static void weightGradientThree(float[] grad, int gb, int gradRow, float[] xs, int xb, int[] tapOff,
                                            int t, int len, float[] acc, int r0, int step) {
        int o0 = xb + tapOff[t], o1 = xb + tapOff[t + 1], o2 = xb + tapOff[t + 2], o3 = xb + tapOff[t + 3];
        int gb1 = gb + gradRow, gb2 = gb1 + gradRow;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        for (int u = 0; u < len; u += VL) {
            FloatVector g0 = FloatVector.fromArray(S, grad, gb + u);
            FloatVector g1 = FloatVector.fromArray(S, grad, gb1 + u);
            FloatVector g2 = FloatVector.fromArray(S, grad, gb2 + u);
            FloatVector v = FloatVector.fromArray(S, xs, o0 + u);
            a00 = g0.fma(v, a00);
            a10 = g1.fma(v, a10);
            a20 = g2.fma(v, a20);
            v = FloatVector.fromArray(S, xs, o1 + u);
            a01 = g0.fma(v, a01);
            a11 = g1.fma(v, a11);
            a21 = g2.fma(v, a21);
            v = FloatVector.fromArray(S, xs, o2 + u);
            a02 = g0.fma(v, a02);
            a12 = g1.fma(v, a12);
            a22 = g2.fma(v, a22);
            v = FloatVector.fromArray(S, xs, o3 + u);
            a03 = g0.fma(v, a03);
            a13 = g1.fma(v, a13);
            a23 = g2.fma(v, a23);
        }
        acc[r0] += a00.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a01.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a02.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a03.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a10.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a11.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a12.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a13.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a20.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a21.reduceLanes(VectorOperators.ADD);
        acc[r0 + 2] += a22.reduceLanes(VectorOperators.ADD);
        acc[r0 + 3] += a23.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Two taps of {@link #weightGradientBlock} for 16 vector registers (AVX2): 4 output channels × 2 taps, 8
     * accumulators, four loads of the gradient and one of the input (the 4 × 4 block needs 21 registers).
     */
    private static void weightGradientHalf(float[] grad, int gb, int gradRow, float[] xs, int xb, int[] tapOff,
                                           int t, int len, float[] acc, int r0, int step) {
        int o0 = xb + tapOff[t], o1 = xb + tapOff[t + 1];
        int gb1 = gb + gradRow, gb2 = gb1 + gradRow, gb3 = gb2 + gradRow;
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        for (int u = 0; u < len; u += VL) {
            FloatVector g0 = FloatVector.fromArray(S, grad, gb + u);
            FloatVector g1 = FloatVector.fromArray(S, grad, gb1 + u);
            FloatVector g2 = FloatVector.fromArray(S, grad, gb2 + u);
            FloatVector g3 = FloatVector.fromArray(S, grad, gb3 + u);
            FloatVector v = FloatVector.fromArray(S, xs, o0 + u);
            a00 = g0.fma(v, a00);
            a10 = g1.fma(v, a10);
            a20 = g2.fma(v, a20);
            a30 = g3.fma(v, a30);
            v = FloatVector.fromArray(S, xs, o1 + u);
            a01 = g0.fma(v, a01);
            a11 = g1.fma(v, a11);
            a21 = g2.fma(v, a21);
            a31 = g3.fma(v, a31);
        }
        acc[r0] += a00.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a01.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a10.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a11.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a20.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a21.reduceLanes(VectorOperators.ADD);
        r0 += step;
        acc[r0] += a30.reduceLanes(VectorOperators.ADD);
        acc[r0 + 1] += a31.reduceLanes(VectorOperators.ADD);
    }
}
