package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 conv2d with few channels and a batch of at least 64, vectorised over the <em>images</em>: LeNet-5's
 * 6→16 layer in training and small-channel layers in batched inference.
 *
 * <p>Vectorising over output positions ({@link DirectConvolution}) wastes the lanes of the "wide" rows' thrown-away
 * columns and of the padding between images — half of them on a 10×10 output from a 14×14 input — and vectorising
 * over channels ({@link ImplicitConvolution}) needs 32 of them. Here a group of 64 images is copied into
 * [channel][y][x][image] order, so every vector holds the same position of 16 images: every lane is useful at any
 * image size and channel count, and a tile of 6 channels × 4 vectors (the 64 images) at one position keeps
 * 24 accumulators in registers over all of k, with one load of weights per 4 multiply-adds. The copies into and
 * out of that order are one gather per 16 values. Measured on LeNet-5's second layer (batch 64, 2 cores), direct →
 * here: forward 0.35 → 0.27 ms, backward 0.87 → 0.50 ms.
 *
 * <ul>
 * <li>forward: out'[oc][y][x][·] = Σ w[oc][c][ki][kj] · X'[c][y+ki][x+kj][·] over a zero-padded X';</li>
 * <li>weight gradient: gW[oc][c][ki][kj] = Σ over positions and images of G'[oc][y][x][·] · X'[c][y+ki][x+kj][·],
 *     4 output channels × 4 taps per tile, lanes summed once per tile;</li>
 * <li>input gradient: gX'[c][y][x][·] = Σ w[oc][c][ki][kj] · G'[oc][y+pad−ki][x+pad−kj][·] over only the taps
 *     that land inside the output gradient (a table per kind of border position), so none of the zero padding a
 *     full correlation would read is multiplied.</li>
 * </ul>
 */
final class BatchLaneConvolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Images per group: the four vectors of a tile. */
    static final int LANES = 4 * VL;
    /** Rows of a forward / input-gradient tile: output channels, or input channels. */
    private static final int ROWS = 6;
    /** Fewest (input channel, tap) pairs for which this method is used. */
    private static final int MIN_K = 64;
    /** Widest kernel: the input gradient's tables mark a border position's valid kernel rows in one long. */
    private static final int MAX_KERNEL = Long.SIZE;
    /** Plans by geometry with n = 0: the input gradient's tap tables are worth building once. */
    private static final Map<Conv2dGeometry, Plan> PLANS = new ConcurrentHashMap<>();

    private BatchLaneConvolution() {
    }

    /**
     * Stride 1, one group, a batch that fills a group of lanes, and enough (channel, tap) pairs. With LeNet-5's 25
     * (one input channel) a forward tile has only 25 steps of k to share out its 24 stores, and the direct method's
     * wide rows lose little on a 28-wide output: measured there, the direct method was faster both ways (forward
     * 0.28 against 0.35 ms, backward 0.29 against 0.31).
     */
    static boolean applies(Conv2dGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.groups() == 1 && g.n() >= LANES && VL >= 4
                && g.outH() > 0 && g.outW() > 0 && g.patchSize() >= MIN_K
                && g.kH() <= MAX_KERNEL && g.kW() <= MAX_KERNEL;
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** Sizes and offset tables of one geometry (any batch size). */
    private static final class Plan {
        final Conv2dGeometry g;
        final int hp, wp, oh, ow, taps, k, tapsPadded;
        /** Floats per channel of X' (padded), of G' and out', of gX'. */
        final int inPlane, outPlane, imagePlane;
        /** Forward: offset of each (channel, tap) pair in X' from the output position; identity weight index. */
        final int[] forwardOff, identity;
        /** Weight gradient: offset of each tap in X', padded with zeros to a multiple of 4 taps. */
        final int[] tapOff;
        /** Input gradient: each input position's table, [start, end) into gxOff / gxW, and its base in G'. */
        final int[] gxStart, gxEnd, gxBase;
        /** Input gradient: offset in G' from the position's base and weight index (oc·taps + t) of each valid tap. */
        final int[] gxOff, gxW;

        Plan(Conv2dGeometry g) {
            this.g = g;
            hp = g.inH() + 2 * g.padH();
            wp = g.inW() + 2 * g.padW();
            oh = g.outH();
            ow = g.outW();
            taps = g.kH() * g.kW();
            k = g.inC() * taps;
            tapsPadded = roundUp(taps, 4);
            inPlane = hp * wp * LANES;
            outPlane = oh * ow * LANES;
            imagePlane = g.inH() * g.inW() * LANES;
            tapOff = new int[tapsPadded];
            for (int ki = 0; ki < g.kH(); ki++) {
                for (int kj = 0; kj < g.kW(); kj++) {
                    tapOff[ki * g.kW() + kj] = (ki * g.dilH() * wp + kj * g.dilW()) * LANES;
                }
            }
            forwardOff = new int[k];
            identity = new int[k];
            for (int c = 0; c < g.inC(); c++) {
                for (int t = 0; t < taps; t++) {
                    forwardOff[c * taps + t] = c * inPlane + tapOff[t];
                    identity[c * taps + t] = c * taps + t;
                }
            }
            // input gradient: positions whose valid taps are the same rows and columns of the kernel share a table
            int positions = g.inH() * g.inW();
            gxStart = new int[positions];
            gxEnd = new int[positions];
            gxBase = new int[positions];
            Map<String, int[]> tables = new HashMap<>();
            int[] offs = new int[16];
            int[] ws = new int[16];
            int used = 0;
            for (int y = 0; y < g.inH(); y++) {
                long rowsMask = validMask(y + g.padH(), g.kH(), g.dilH(), oh);
                for (int x = 0; x < g.inW(); x++) {
                    long colsMask = validMask(x + g.padW(), g.kW(), g.dilW(), ow);
                    int pos = y * g.inW() + x;
                    gxBase[pos] = ((y + g.padH()) * ow + x + g.padW()) * LANES;
                    String key = rowsMask + "," + colsMask;
                    int[] range = tables.get(key);
                    if (range == null) {
                        int start = used;
                        for (int oc = 0; oc < g.outC(); oc++) {
                            for (int ki = 0; ki < g.kH(); ki++) {
                                for (int kj = 0; kj < g.kW(); kj++) {
                                    if ((rowsMask >>> ki & 1) == 0 || (colsMask >>> kj & 1) == 0) {
                                        continue;
                                    }
                                    if (used == offs.length) {
                                        offs = java.util.Arrays.copyOf(offs, 2 * used);
                                        ws = java.util.Arrays.copyOf(ws, 2 * used);
                                    }
                                    offs[used] = ((oc * oh - ki * g.dilH()) * ow - kj * g.dilW()) * LANES;
                                    ws[used++] = oc * taps + ki * g.kW() + kj;
                                }
                            }
                        }
                        range = new int[] {start, used};
                        tables.put(key, range);
                    }
                    gxStart[pos] = range[0];
                    gxEnd[pos] = range[1];
                }
            }
            gxOff = java.util.Arrays.copyOf(offs, used);
            gxW = java.util.Arrays.copyOf(ws, used);
        }

        /**
         * Which kernel rows (or columns) i put input row (column) {@code at}, counted in the padded input, inside an
         * output of {@code out} rows: 0 ≤ at − i·dil &lt; out (kernel ≤ MAX_KERNEL).
         */
        private static long validMask(int at, int kernel, int dil, int out) {
            long mask = 0;
            for (int i = 0; i < kernel; i++) {
                int o = at - i * dil;
                if (o >= 0 && o < out) {
                    mask |= 1L << i;
                }
            }
            return mask;
        }
    }

    private static Plan plan(Conv2dGeometry g) {
        Conv2dGeometry key = new Conv2dGeometry(0, g.inC(), g.inH(), g.inW(), g.outC(), g.kH(), g.kW(), 1, 1,
                g.padH(), g.padW(), g.dilH(), g.dilW(), 1);
        return PLANS.computeIfAbsent(key, Plan::new);
    }

    /**
     * Weights packed for the 6-row tile: packed[(block·cols + q)·6 + r] = src[(block·6 + r)·cols + q], zero rows
     * past {@code rows}; the tile then reads the six row values of one step of k from one place.
     */
    private static float[] packRows(float[] src, int rows, int cols) {
        int blocks = (rows + ROWS - 1) / ROWS;
        float[] packed = new float[blocks * cols * ROWS];
        for (int r = 0; r < rows; r++) {
            int b = r / ROWS, lane = r % ROWS;
            for (int q = 0; q < cols; q++) {
                packed[(b * cols + q) * ROWS + lane] = src[r * cols + q];
            }
        }
        return packed;
    }

    static void forward(float[] x, float[] w, float[] bias, float[] out, Conv2dGeometry g) {
        Plan p = plan(g);
        int blocks = (g.outC() + ROWS - 1) / ROWS;
        float[] wp = packRows(w, g.outC(), p.k);
        float[] xs = Scratch.get(Scratch.LANE_INPUT, g.inC() * p.inPlane);
        float[] os = Scratch.get(Scratch.LANE_OUTPUT, blocks * ROWS * p.outPlane);
        int positions = p.oh * p.ow;
        for (int n0 = 0; n0 < g.n(); n0 += LANES) {
            int cnt = Math.min(LANES, g.n() - n0), first = n0;
            packInput(x, first, cnt, p, xs);
            Parallel.forRange(positions * blocks, 2L * positions * blocks * ROWS * LANES * p.k, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int pos = i / blocks, b = i % blocks;
                    int y = pos / p.ow, xo = pos % p.ow;
                    tile(xs, (y * p.wp + xo) * LANES, p.forwardOff, p.identity, 0, p.k, wp, b * p.k * ROWS,
                            os, b * ROWS * p.outPlane + pos * LANES, p.outPlane);
                }
            });
            unpack(os, p.oh * p.ow, g.outC(), first, cnt, bias, out);
        }
    }

    /** Input and weight gradients ({@code gx} or {@code gw} may be null); the caller sums the bias gradient. */
    static void backward(float[] x, float[] w, float[] gOut, float[] gx, float[] gw, Conv2dGeometry g) {
        Plan p = plan(g);
        int quads = roundUp(g.outC(), 4);
        float[] gs = Scratch.get(Scratch.LANE_GRAD, quads * p.outPlane);
        float[] xs = gw == null ? null : Scratch.get(Scratch.LANE_INPUT, g.inC() * p.inPlane);
        int blocks = (g.inC() + ROWS - 1) / ROWS;
        float[] gxs = gx == null ? null : Scratch.get(Scratch.LANE_OUTPUT, blocks * ROWS * p.imagePlane);
        float[] wt = gx == null ? null : inputGradientWeights(w, p);
        int wRows = g.outC() * p.taps;
        // weight gradient items: 4 output channels × one input channel × a range of tap quads; each sums into its
        // own entries, so the result does not depend on the split. Enough items for the cores even when there are
        // few channels (LeNet-5's first layer: 2 channel pairs, so its 7 tap quads are shared out too).
        int tapQuads = p.tapsPadded / 4, pairs = quads / 4 * g.inC();
        int splits = Math.min(tapQuads, (4 * Parallel.THREADS + pairs - 1) / pairs);
        int perItem = (tapQuads + splits - 1) / splits;
        float[] acc = gw == null ? null : new float[quads * g.inC() * p.tapsPadded];
        int positions = g.inH() * g.inW();
        for (int n0 = 0; n0 < g.n(); n0 += LANES) {
            int cnt = Math.min(LANES, g.n() - n0), first = n0;
            pack(gOut, first, cnt, g.outC(), quads, p.oh * p.ow, gs);
            if (acc != null) {
                packInput(x, first, cnt, p, xs);
                Parallel.forRange(pairs * splits, 2L * quads * g.inC() * p.tapsPadded * p.outPlane, (from, to) -> {
                    float[] part = Scratch.get(Scratch.LANE_PARTIAL, perItem * 16 * VL);
                    for (int i = from; i < to; i++) {
                        int pair = i / splits, c = pair % g.inC(), q = pair / g.inC();
                        int tq0 = i % splits * perItem, tq1 = Math.min(tapQuads, tq0 + perItem);
                        weightItem(gs, q, xs, c, tq0, tq1, p, part,
                                acc, (4 * q * g.inC() + c) * p.tapsPadded, g.inC() * p.tapsPadded);
                    }
                });
            }
            if (gxs != null) {
                Parallel.forRange(positions * blocks, 2L * positions * blocks * ROWS * LANES * wRows / 2,
                        (from, to) -> {
                            for (int i = from; i < to; i++) {
                                int pos = i / blocks, b = i % blocks;
                                tile(gs, p.gxBase[pos], p.gxOff, p.gxW, p.gxStart[pos], p.gxEnd[pos], wt,
                                        b * wRows * ROWS, gxs, b * ROWS * p.imagePlane + pos * LANES, p.imagePlane);
                            }
                        });
                unpack(gxs, positions, g.inC(), first, cnt, null, gx);
            }
        }
        if (gw != null) {
            for (int oc = 0; oc < g.outC(); oc++) {
                for (int c = 0; c < g.inC(); c++) {
                    System.arraycopy(acc, (oc * g.inC() + c) * p.tapsPadded, gw, (oc * g.inC() + c) * p.taps,
                            p.taps);
                }
            }
        }
    }

    /** The input gradient's weights wt[c][oc·taps + t] = w[oc][c][t], packed for the 6-row tile. */
    private static float[] inputGradientWeights(float[] w, Plan p) {
        Conv2dGeometry g = p.g;
        float[] t = new float[g.inC() * g.outC() * p.taps];
        for (int oc = 0; oc < g.outC(); oc++) {
            for (int c = 0; c < g.inC(); c++) {
                System.arraycopy(w, (oc * g.inC() + c) * p.taps, t, (c * g.outC() + oc) * p.taps, p.taps);
            }
        }
        return packRows(t, g.inC(), g.outC() * p.taps);
    }

    /** Gather indices of consecutive lanes of one position in the [..][position][image] order. */
    private static final int[] POSITION_MAP = new int[VL];

    static {
        for (int i = 0; i < VL; i++) {
            POSITION_MAP[i] = i * LANES;
        }
    }

    /** Gather indices of one value in VL consecutive images of {@code imageSize} floats. */
    private static int[] imageMap(int imageSize) {
        int[] map = new int[VL];
        for (int i = 0; i < VL; i++) {
            map[i] = i * imageSize;
        }
        return map;
    }

    /**
     * Images [n0, n0+cnt) of x into X'[c][y+padH][x+padW][image − n0], zeros in the padding and in the lanes
     * past cnt.
     */
    private static void packInput(float[] x, int n0, int cnt, Plan p, float[] xs) {
        Conv2dGeometry g = p.g;
        int h = g.inH(), w = g.inW(), image = g.inC() * h * w;
        int[] map = imageMap(image);
        Parallel.forRange(g.inC() * p.hp, (long) g.inC() * p.inPlane, (from, to) -> {
            for (int r = from; r < to; r++) {
                int c = r / p.hp, yp = r % p.hp, y = yp - g.padH();
                int row = (c * p.hp + yp) * p.wp * LANES;
                if (y < 0 || y >= h) {
                    java.util.Arrays.fill(xs, row, row + p.wp * LANES, 0f);
                    continue;
                }
                java.util.Arrays.fill(xs, row, row + g.padW() * LANES, 0f);
                java.util.Arrays.fill(xs, row + (g.padW() + w) * LANES, row + p.wp * LANES, 0f);
                toLanes(x, n0 * image + (c * h + y) * w, image, map, w, cnt, xs, row + g.padW() * LANES);
            }
        });
    }

    /**
     * Planes [image][channel][plane] of images [n0, n0+cnt) into dst[channel][plane][image − n0], channels up to
     * {@code paddedChannels} and lanes past cnt zero.
     */
    private static void pack(float[] src, int n0, int cnt, int channels, int paddedChannels, int plane,
                             float[] dst) {
        int size = plane * LANES, image = channels * plane;
        int[] map = imageMap(image);
        Parallel.forRange(paddedChannels, (long) paddedChannels * size, (from, to) -> {
            for (int c = from; c < to; c++) {
                if (c >= channels) {
                    java.util.Arrays.fill(dst, c * size, (c + 1) * size, 0f);
                } else {
                    toLanes(src, n0 * image + c * plane, image, map, plane, cnt, dst, c * size);
                }
            }
        });
    }

    /**
     * dst[d + i·LANES + l] = src[s + l·imageStride + i] for i in [0, len) and l in [0, cnt), zero for l ≥ cnt: one
     * run of len values from each of cnt images into lane order. A full group takes one gather (through
     * {@code map}, the image stride's) per VL images.
     */
    private static void toLanes(float[] src, int s, int imageStride, int[] map, int len, int cnt, float[] dst,
                                int d) {
        if (cnt == LANES) {
            for (int v = 0; v < LANES; v += VL) {
                int from = s + v * imageStride;
                for (int i = 0, at = d + v; i < len; i++, at += LANES) {
                    FloatVector.fromArray(S, src, from + i, map, 0).intoArray(dst, at);
                }
            }
            return;
        }
        for (int l = 0; l < cnt; l++) {
            int from = s + l * imageStride;
            for (int i = 0, at = d + l; i < len; i++, at += LANES) {
                dst[at] = src[from + i];
            }
        }
        for (int i = 0, at = d; i < len; i++, at += LANES) {
            java.util.Arrays.fill(dst, at + cnt, at + LANES, 0f);
        }
    }

    /** The inverse of {@link #pack} for the first cnt lanes, adding bias[c] when there is a bias. */
    private static void unpack(float[] src, int plane, int channels, int n0, int cnt, float[] bias, float[] dst) {
        int size = plane * LANES;
        Parallel.forRange(channels, (long) channels * size, (from, to) -> {
            for (int c = from; c < to; c++) {
                float b = bias == null ? 0f : bias[c];
                int base = c * size;
                FloatVector bv = FloatVector.broadcast(S, b);
                int q = 0;
                // VL positions of every image at a time: one gather (LANES floats apart) per image, all from the
                // same 4 KB of src, which stays in L1 (a whole row of positions per image would not)
                for (; q + VL <= plane; q += VL) {
                    for (int l = 0; l < cnt; l++) {
                        FloatVector.fromArray(S, src, base + q * LANES + l, POSITION_MAP, 0).add(bv)
                                .intoArray(dst, ((n0 + l) * channels + c) * plane + q);
                    }
                }
                for (int l = 0; l < cnt; l++) {
                    int d = ((n0 + l) * channels + c) * plane;
                    for (int r = q, s = base + q * LANES + l; r < plane; r++, s += LANES) {
                        dst[d + r] = src[s] + b;
                    }
                }
            }
        });
    }

    /**
     * dst[r][·] = Σ_j w[r][wj[j]] · src[base + off[j] + ·] for the 6 rows of one block of packed weights (from
     * w0) and the 4 vectors of one position's lanes, j in [j0, j1).
     */
    private static void tile(float[] src, int base, int[] off, int[] wj, int j0, int j1, float[] w, int w0,
                             float[] dst, int d0, int dRow) {
        if (VectorRegisters.FEW) {
            // 16 vector registers (AVX2): the 24 accumulators would spill, so two 6 × 2-vector halves of the lanes
            tileHalf(src, base, off, wj, j0, j1, w, w0, dst, d0, dRow);
            tileHalf(src, base + 2 * VL, off, wj, j0, j1, w, w0, dst, d0 + 2 * VL, dRow);
        } else {
            tileWhole(src, base, off, wj, j0, j1, w, w0, dst, d0, dRow);
        }
    }

    private static void tileWhole(float[] src, int base, int[] off, int[] wj, int j0, int j1, float[] w, int w0,
                                  float[] dst, int d0, int dRow) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        for (int j = j0; j < j1; j++) {
            int s = base + off[j], q = w0 + wj[j] * ROWS;
            FloatVector x0 = FloatVector.fromArray(S, src, s);
            FloatVector x1 = FloatVector.fromArray(S, src, s + VL);
            FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * VL);
            FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * VL);
            FloatVector v = FloatVector.broadcast(S, w[q]);
            a00 = x0.fma(v, a00);
            a01 = x1.fma(v, a01);
            a02 = x2.fma(v, a02);
            a03 = x3.fma(v, a03);
            v = FloatVector.broadcast(S, w[q + 1]);
            a10 = x0.fma(v, a10);
            a11 = x1.fma(v, a11);
            a12 = x2.fma(v, a12);
            a13 = x3.fma(v, a13);
            v = FloatVector.broadcast(S, w[q + 2]);
            a20 = x0.fma(v, a20);
            a21 = x1.fma(v, a21);
            a22 = x2.fma(v, a22);
            a23 = x3.fma(v, a23);
            v = FloatVector.broadcast(S, w[q + 3]);
            a30 = x0.fma(v, a30);
            a31 = x1.fma(v, a31);
            a32 = x2.fma(v, a32);
            a33 = x3.fma(v, a33);
            v = FloatVector.broadcast(S, w[q + 4]);
            a40 = x0.fma(v, a40);
            a41 = x1.fma(v, a41);
            a42 = x2.fma(v, a42);
            a43 = x3.fma(v, a43);
            v = FloatVector.broadcast(S, w[q + 5]);
            a50 = x0.fma(v, a50);
            a51 = x1.fma(v, a51);
            a52 = x2.fma(v, a52);
            a53 = x3.fma(v, a53);
        }
        a00.intoArray(dst, d0);
        a01.intoArray(dst, d0 + VL);
        a02.intoArray(dst, d0 + 2 * VL);
        a03.intoArray(dst, d0 + 3 * VL);
        d0 += dRow;
        a10.intoArray(dst, d0);
        a11.intoArray(dst, d0 + VL);
        a12.intoArray(dst, d0 + 2 * VL);
        a13.intoArray(dst, d0 + 3 * VL);
        d0 += dRow;
        a20.intoArray(dst, d0);
        a21.intoArray(dst, d0 + VL);
        a22.intoArray(dst, d0 + 2 * VL);
        a23.intoArray(dst, d0 + 3 * VL);
        d0 += dRow;
        a30.intoArray(dst, d0);
        a31.intoArray(dst, d0 + VL);
        a32.intoArray(dst, d0 + 2 * VL);
        a33.intoArray(dst, d0 + 3 * VL);
        d0 += dRow;
        a40.intoArray(dst, d0);
        a41.intoArray(dst, d0 + VL);
        a42.intoArray(dst, d0 + 2 * VL);
        a43.intoArray(dst, d0 + 3 * VL);
        d0 += dRow;
        a50.intoArray(dst, d0);
        a51.intoArray(dst, d0 + VL);
        a52.intoArray(dst, d0 + 2 * VL);
        a53.intoArray(dst, d0 + 3 * VL);
    }

    /** Two of the four vectors of lanes of {@link #tile}: 12 accumulators, two loads and a broadcast. */
    private static void tileHalf(float[] src, int base, int[] off, int[] wj, int j0, int j1, float[] w, int w0,
                                 float[] dst, int d0, int dRow) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00;
        FloatVector a50 = a00, a51 = a00;
        for (int j = j0; j < j1; j++) {
            int s = base + off[j], q = w0 + wj[j] * ROWS;
            FloatVector x0 = FloatVector.fromArray(S, src, s);
            FloatVector x1 = FloatVector.fromArray(S, src, s + VL);
            FloatVector v = FloatVector.broadcast(S, w[q]);
            a00 = x0.fma(v, a00);
            a01 = x1.fma(v, a01);
            v = FloatVector.broadcast(S, w[q + 1]);
            a10 = x0.fma(v, a10);
            a11 = x1.fma(v, a11);
            v = FloatVector.broadcast(S, w[q + 2]);
            a20 = x0.fma(v, a20);
            a21 = x1.fma(v, a21);
            v = FloatVector.broadcast(S, w[q + 3]);
            a30 = x0.fma(v, a30);
            a31 = x1.fma(v, a31);
            v = FloatVector.broadcast(S, w[q + 4]);
            a40 = x0.fma(v, a40);
            a41 = x1.fma(v, a41);
            v = FloatVector.broadcast(S, w[q + 5]);
            a50 = x0.fma(v, a50);
            a51 = x1.fma(v, a51);
        }
        a00.intoArray(dst, d0);
        a01.intoArray(dst, d0 + VL);
        d0 += dRow;
        a10.intoArray(dst, d0);
        a11.intoArray(dst, d0 + VL);
        d0 += dRow;
        a20.intoArray(dst, d0);
        a21.intoArray(dst, d0 + VL);
        d0 += dRow;
        a30.intoArray(dst, d0);
        a31.intoArray(dst, d0 + VL);
        d0 += dRow;
        a40.intoArray(dst, d0);
        a41.intoArray(dst, d0 + VL);
        d0 += dRow;
        a50.intoArray(dst, d0);
        a51.intoArray(dst, d0 + VL);
    }

    /**
     * acc[r0 + oc·step + t] += Σ over output positions and lanes of G'[4q + oc][y][x][·] · X'[c][(y, x) + tap t][·]
     * for oc in 0..3 and the taps of quads [tq0, tq1). One output row at a time, every tap quad in turn, so that
     * row's G' (4 channels × ow·LANES floats) is read from L2 once and then from L1; the tiles' accumulators wait
     * in {@code part} (16 vectors per quad, also in L1) between rows, and their lanes are summed at the end.
     */
    private static void weightItem(float[] gs, int q, float[] xs, int c, int tq0, int tq1, Plan p, float[] part,
                                   float[] acc, int r0, int step) {
        int quads = tq1 - tq0, block = 16 * VL;
        java.util.Arrays.fill(part, 0, quads * block, 0f);
        int gRow = p.outPlane, rowLen = p.ow * LANES;
        for (int y = 0; y < p.oh; y++) {
            int gb = 4 * q * p.outPlane + y * rowLen, xb = c * p.inPlane + y * p.wp * LANES;
            for (int tq = tq0; tq < tq1; tq++) {
                weightTile(gs, gb, gRow, xs, xb, p.tapOff, 4 * tq, rowLen, part, (tq - tq0) * block);
            }
        }
        for (int tq = tq0; tq < tq1; tq++) {
            int at = (tq - tq0) * block;
            for (int oc = 0; oc < 4; oc++) {
                for (int i = 0; i < 4; i++, at += VL) {
                    acc[r0 + oc * step + 4 * tq + i] += FloatVector.fromArray(S, part, at)
                            .reduceLanes(VectorOperators.ADD);
                }
            }
        }
    }

    /**
     * part[at + (oc·4 + i)·VL ..] += Σ over u in [0, len) of G'[gb + oc·gRow + u] · X'[xb + tapOff[t + i] + u]:
     * 4 output channels × 4 taps over one output row, 16 accumulators.
     */
    private static void weightTile(float[] gs, int gb, int gRow, float[] xs, int xb, int[] tapOff, int t, int len,
                                   float[] part, int at) {
        if (VectorRegisters.FEW) {
            // 16 vector registers (AVX2): 16 accumulators and 5 loads would spill, so two taps at a time
            weightTileHalf(gs, gb, gRow, xs, xb, tapOff, t, len, part, at);
            weightTileHalf(gs, gb, gRow, xs, xb, tapOff, t + 2, len, part, at + 2 * VL);
        } else {
            weightTileWhole(gs, gb, gRow, xs, xb, tapOff, t, len, part, at);
        }
    }

    /**
     * Taps t and t + 1 of {@link #weightTile}, into the accumulators at part[at + (oc·4 + i)·VL] for i = 0, 1:
     * 8 accumulators, four loads of G' and one of X'.
     */
    private static void weightTileHalf(float[] gs, int gb, int gRow, float[] xs, int xb, int[] tapOff, int t,
                                       int len, float[] part, int at) {
        int p0 = at, p1 = at + 4 * VL, p2 = at + 8 * VL, p3 = at + 12 * VL;
        FloatVector a00 = FloatVector.fromArray(S, part, p0), a01 = FloatVector.fromArray(S, part, p0 + VL);
        FloatVector a10 = FloatVector.fromArray(S, part, p1), a11 = FloatVector.fromArray(S, part, p1 + VL);
        FloatVector a20 = FloatVector.fromArray(S, part, p2), a21 = FloatVector.fromArray(S, part, p2 + VL);
        FloatVector a30 = FloatVector.fromArray(S, part, p3), a31 = FloatVector.fromArray(S, part, p3 + VL);
        int g1 = gb + gRow, g2 = g1 + gRow, g3 = g2 + gRow;
        int x0 = xb + tapOff[t], x1 = xb + tapOff[t + 1];
        for (int u = 0; u < len; u += VL) {
            FloatVector v0 = FloatVector.fromArray(S, gs, gb + u);
            FloatVector v1 = FloatVector.fromArray(S, gs, g1 + u);
            FloatVector v2 = FloatVector.fromArray(S, gs, g2 + u);
            FloatVector v3 = FloatVector.fromArray(S, gs, g3 + u);
            FloatVector v = FloatVector.fromArray(S, xs, x0 + u);
            a00 = v0.fma(v, a00);
            a10 = v1.fma(v, a10);
            a20 = v2.fma(v, a20);
            a30 = v3.fma(v, a30);
            v = FloatVector.fromArray(S, xs, x1 + u);
            a01 = v0.fma(v, a01);
            a11 = v1.fma(v, a11);
            a21 = v2.fma(v, a21);
            a31 = v3.fma(v, a31);
        }
        a00.intoArray(part, p0);
        a01.intoArray(part, p0 + VL);
        a10.intoArray(part, p1);
        a11.intoArray(part, p1 + VL);
        a20.intoArray(part, p2);
        a21.intoArray(part, p2 + VL);
        a30.intoArray(part, p3);
        a31.intoArray(part, p3 + VL);
    }

    private static void weightTileWhole(float[] gs, int gb, int gRow, float[] xs, int xb, int[] tapOff, int t,
                                        int len, float[] part, int at) {
        FloatVector a00 = FloatVector.fromArray(S, part, at), a01 = FloatVector.fromArray(S, part, at + VL);
        FloatVector a02 = FloatVector.fromArray(S, part, at + 2 * VL);
        FloatVector a03 = FloatVector.fromArray(S, part, at + 3 * VL);
        FloatVector a10 = FloatVector.fromArray(S, part, at + 4 * VL);
        FloatVector a11 = FloatVector.fromArray(S, part, at + 5 * VL);
        FloatVector a12 = FloatVector.fromArray(S, part, at + 6 * VL);
        FloatVector a13 = FloatVector.fromArray(S, part, at + 7 * VL);
        FloatVector a20 = FloatVector.fromArray(S, part, at + 8 * VL);
        FloatVector a21 = FloatVector.fromArray(S, part, at + 9 * VL);
        FloatVector a22 = FloatVector.fromArray(S, part, at + 10 * VL);
        FloatVector a23 = FloatVector.fromArray(S, part, at + 11 * VL);
        FloatVector a30 = FloatVector.fromArray(S, part, at + 12 * VL);
        FloatVector a31 = FloatVector.fromArray(S, part, at + 13 * VL);
        FloatVector a32 = FloatVector.fromArray(S, part, at + 14 * VL);
        FloatVector a33 = FloatVector.fromArray(S, part, at + 15 * VL);
        int g1 = gb + gRow, g2 = g1 + gRow, g3 = g2 + gRow;
        int x0 = xb + tapOff[t], x1 = xb + tapOff[t + 1], x2 = xb + tapOff[t + 2], x3 = xb + tapOff[t + 3];
        for (int u = 0; u < len; u += VL) {
            FloatVector v0 = FloatVector.fromArray(S, gs, gb + u);
            FloatVector v1 = FloatVector.fromArray(S, gs, g1 + u);
            FloatVector v2 = FloatVector.fromArray(S, gs, g2 + u);
            FloatVector v3 = FloatVector.fromArray(S, gs, g3 + u);
            FloatVector v = FloatVector.fromArray(S, xs, x0 + u);
            a00 = v0.fma(v, a00);
            a10 = v1.fma(v, a10);
            a20 = v2.fma(v, a20);
            a30 = v3.fma(v, a30);
            v = FloatVector.fromArray(S, xs, x1 + u);
            a01 = v0.fma(v, a01);
            a11 = v1.fma(v, a11);
            a21 = v2.fma(v, a21);
            a31 = v3.fma(v, a31);
            v = FloatVector.fromArray(S, xs, x2 + u);
            a02 = v0.fma(v, a02);
            a12 = v1.fma(v, a12);
            a22 = v2.fma(v, a22);
            a32 = v3.fma(v, a32);
            v = FloatVector.fromArray(S, xs, x3 + u);
            a03 = v0.fma(v, a03);
            a13 = v1.fma(v, a13);
            a23 = v2.fma(v, a23);
            a33 = v3.fma(v, a33);
        }
        a00.intoArray(part, at);
        a01.intoArray(part, at + VL);
        a02.intoArray(part, at + 2 * VL);
        a03.intoArray(part, at + 3 * VL);
        a10.intoArray(part, at + 4 * VL);
        a11.intoArray(part, at + 5 * VL);
        a12.intoArray(part, at + 6 * VL);
        a13.intoArray(part, at + 7 * VL);
        a20.intoArray(part, at + 8 * VL);
        a21.intoArray(part, at + 9 * VL);
        a22.intoArray(part, at + 10 * VL);
        a23.intoArray(part, at + 11 * VL);
        a30.intoArray(part, at + 12 * VL);
        a31.intoArray(part, at + 13 * VL);
        a32.intoArray(part, at + 14 * VL);
        a33.intoArray(part, at + 15 * VL);
    }
}
