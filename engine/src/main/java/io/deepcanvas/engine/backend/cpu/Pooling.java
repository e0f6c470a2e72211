package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Pool2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Max and average pooling over independent planes, spread over the cores. */
final class Pooling {
    private Pooling() {
    }

    static void max(float[] x, float[] out, float[] indices, Pool2dGeometry g) {
        final int inH = g.inH(), inW = g.inW(), oh = g.outH(), ow = g.outW();
        if (g.kH() == 2 && g.kW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0
                && 2 * oh == inH && 2 * ow == inW) {
            // a row of outputs that fills half a vector or more is read in place; shorter ones are gathered first
            boolean rows = 2 * ow >= VL;
            Parallel.forRange(g.planes(), (long) g.planes() * oh * ow * 4, (from, to) -> {
                if (rows) {
                    max2x2Rows(x, out, indices, inH, inW, oh, ow, from, to);
                } else {
                    max2x2Gathered(x, out, indices, inH, inW, oh, ow, from, to);
                }
            });
            return;
        }
        Parallel.forRange(g.planes(), (long) g.planes() * oh * ow * g.kH() * g.kW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inH * inW;
                int o = pl * oh * ow;
                for (int y = 0; y < oh; y++) {
                    int h0 = y * g.strideH() - g.padH();
                    int h1 = Math.min(h0 + g.kH(), inH);
                    h0 = Math.max(h0, 0);
                    for (int xw = 0; xw < ow; xw++, o++) {
                        int w0 = xw * g.strideW() - g.padW();
                        int w1 = Math.min(w0 + g.kW(), inW);
                        w0 = Math.max(w0, 0);
                        float best = Float.NEGATIVE_INFINITY;
                        int bestIdx = h0 * inW + w0;
                        for (int h = h0; h < h1; h++) {
                            int row = xo + h * inW;
                            for (int w = w0; w < w1; w++) {
                                float v = x[row + w];
                                // NaN propagates like PyTorch: a NaN becomes the maximum
                                if (v > best || Float.isNaN(v)) {
                                    best = v;
                                    bestIdx = h * inW + w;
                                    if (Float.isNaN(v)) {
                                        h = h1;
                                        break;
                                    }
                                }
                            }
                        }
                        out[o] = best;
                        indices[o] = bestIdx;
                    }
                }
            }
        });
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /**
     * Lanes 0, 2, 4, ... (EVEN) and 1, 3, 5, ... (ODD) of a vector, repeated in both halves; blending the halves
     * of two vectors with HIGH gives the even (odd) lanes of the pair. Single-vector rearranges with in-range
     * indices compile to one permute; the two-vector form falls back to slow Java code in JDK 17.
     */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * (i % (VL / 2)));
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * (i % (VL / 2)) + 1);
    private static final VectorMask<Float> HIGH = VectorMask.fromLong(S, -1L << (VL / 2));

    /** 0, 2, 4, ...: the offset of each lane's window from the first lane's, in input columns. */
    private static final FloatVector EVEN_COLUMNS = FloatVector.fromArray(S, evenColumns(), 0);

    private static float[] evenColumns() {
        float[] c = new float[VL];
        for (int i = 0; i < VL; i++) {
            c[i] = 2 * i;
        }
        return c;
    }

    /**
     * 2×2 stride-2 pooling of whole planes (height and width even) whose output rows fill half a vector or more, a
     * row at a time, VL outputs per step read straight from the input's two rows: lanes past the row's end compute
     * garbage that is stored into the next row's outputs and overwritten when that row is done (rows go in order),
     * so LeNet-5's first rows of 14 outputs are one step ({@link #windows}) on AVX-512. A step holding a NaN, and
     * the last outputs of the range (where a whole vector would reach past it), take the scalar path. (Gathering
     * these rows first, as {@link #max2x2Gathered} does, took 1.7× as long on two threads: two short copies per
     * row.)
     */
    private static void max2x2Rows(float[] x, float[] out, float[] indices, int inH, int inW, int oh, int ow,
                                   int from, int to) {
        final int per = oh * ow, inPlane = inH * inW, end = to * per;
        for (int pl = from; pl < to; pl++) {
            max2x2RowsPlane(x, out, indices, inW, oh, ow, pl * inPlane, pl * per, end);
        }
    }

    /**
     * One plane of {@link #max2x2Rows}, input from {@code xo}, output from {@code o0}. A method of its own so that
     * the JIT compiles it whole after a few hundred planes: with the plane loop inside one method, its inner loops
     * counted enough back-branches for the JIT to compile that method on the stack, loop by loop, before the calls
     * were enough to compile it once (C2 compiled {@code max2x2Rows} three times and {@code max2x2Gathered} six while
     * LeNet-5's first steps waited for the compiler).
     */
    private static void max2x2RowsPlane(float[] x, float[] out, float[] indices, int inW, int oh, int ow, int xo,
                                        int o0, int end) {
        for (int y = 0; y < oh; y++) {
            int o = o0 + y * ow;
            int top = xo + 2 * y * inW;
            int bot = top + inW;
            int rowBase = 2 * y * inW;
            int c = 0;
            for (; c < ow && o + c + VL <= end && bot + 2 * c + 2 * VL <= x.length; c += VL) {
                if (!windows(x, top + 2 * c, x, bot + 2 * c, EVEN_COLUMNS.add((float) (rowBase + 2 * c)), inW,
                        out, indices, o + c)) {
                    max2x2RowScalar(x, top, bot, rowBase, inW, out, indices, o, c, Math.min(ow, c + VL));
                }
            }
            if (c < ow) {
                max2x2RowScalar(x, top, bot, rowBase, inW, out, indices, o, c, ow);
            }
        }
    }

    /**
     * VL 2×2 windows whose top rows are the pairs of {@code top[t..t + 2VL)} and bottom rows those of
     * {@code bot[b..b + 2VL)}: their maxima into {@code out[at..]} and the index of each maximum (the top-left
     * element's is {@code i0}'s lane, rows {@code inW} apart) into {@code indices[at..]}. Three strict comparisons
     * in scan order pick the same element as the scalar loop (the first maximum). Stores nothing and returns false
     * when a window holds a NaN (the scalar loop's rule then decides).
     */
    private static boolean windows(float[] top, int t, float[] bot, int b, FloatVector i0, int inW, float[] out,
                                   float[] indices, int at) {
        FloatVector u0 = FloatVector.fromArray(S, top, t), u1 = FloatVector.fromArray(S, top, t + VL);
        FloatVector w0 = FloatVector.fromArray(S, bot, b), w1 = FloatVector.fromArray(S, bot, b + VL);
        FloatVector a0 = u0.rearrange(EVEN).blend(u1.rearrange(EVEN), HIGH);
        FloatVector a1 = u0.rearrange(ODD).blend(u1.rearrange(ODD), HIGH);
        FloatVector c0 = w0.rearrange(EVEN).blend(w1.rearrange(EVEN), HIGH);
        FloatVector c1 = w0.rearrange(ODD).blend(w1.rearrange(ODD), HIGH);
        FloatVector sum = a0.add(a1).add(c0).add(c1);
        if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
            return false;
        }
        FloatVector i2 = i0.add((float) inW);
        VectorMask<Float> ga = a1.compare(VectorOperators.GT, a0);
        VectorMask<Float> gc = c1.compare(VectorOperators.GT, c0);
        FloatVector m1 = a0.blend(a1, ga), m2 = c0.blend(c1, gc);
        FloatVector j1 = i0.blend(i0.add(1f), ga), j2 = i2.blend(i2.add(1f), gc);
        VectorMask<Float> g2 = m2.compare(VectorOperators.GT, m1);
        m1.blend(m2, g2).intoArray(out, at);
        j1.blend(j2, g2).intoArray(indices, at);
        return true;
    }

    /**
     * Outputs [c0, c1) of a row, the scalar way: scan order, the first maximum wins, the first NaN wins. {@code top}
     * and {@code bot} index the row's two input rows in {@code x}; {@code rowBase} is the top row's plane-local index.
     */
    private static void max2x2RowScalar(float[] x, int top, int bot, int rowBase, int inW, float[] out,
                                     float[] indices, int o, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float best = x[top + 2 * c];
            int bi = 0;
            float v = x[top + 2 * c + 1];
            if (v > best || (v != v && best == best)) {
                best = v;
                bi = 1;
            }
            v = x[bot + 2 * c];
            if (v > best || (v != v && best == best)) {
                best = v;
                bi = inW;
            }
            v = x[bot + 2 * c + 1];
            if (v > best || (v != v && best == best)) {
                best = v;
                bi = inW + 1;
            }
            out[o + c] = best;
            indices[o + c] = rowBase + 2 * c + bi;
        }
    }

    /**
     * 2×2 stride-2 pooling of whole planes (height and width even) with short rows (LeNet-5's second pooling: rows
     * of 5), VL outputs at a time. The even and odd input rows of a block of planes are first copied into two flat
     * arrays, so the four window positions of consecutive outputs are the even/odd lanes of contiguous vectors even
     * across row ends ({@link #windows}). A chunk holding a NaN, and the ragged end, take the scalar path. The
     * arrays are the thread's scratch ({@link Scratch}): allocated per call they were ~20 KB of garbage per piece
     * of every pooling.
     */
    private static void max2x2Gathered(float[] x, float[] out, float[] indices, int inH, int inW, int oh, int ow,
                                       int from, int to) {
        final int per = oh * ow, inPlane = inH * inW;
        final int block = Math.max(1, Math.min(to - from, 1024 / per));
        float[] top = Scratch.get(Scratch.POOL_TOP, block * per * 2 + 2 * VL);
        float[] bot = Scratch.get(Scratch.POOL_BOTTOM, block * per * 2 + 2 * VL);
        float[] base = Scratch.get(Scratch.POOL_BASE, block * per + VL);
        windowBases(base, block, oh, ow, inW);
        for (int pl0 = from; pl0 < to; pl0 += block) {
            max2x2Block(x, out, indices, inPlane, inW, oh, ow, pl0, Math.min(block, to - pl0), top, bot, base);
        }
    }

    /** The plane-local input index of each output's top-left window element, for {@code block} planes. */
    private static void windowBases(float[] base, int block, int oh, int ow, int inW) {
        for (int q = 0, t = 0; q < block; q++) {
            for (int y = 0; y < oh; y++) {
                for (int c = 0; c < ow; c++, t++) {
                    base[t] = 2 * y * inW + 2 * c;
                }
            }
        }
    }

    /**
     * Planes [pl0, pl0 + np) of {@link #max2x2Gathered}: their rows gathered into {@code top} and {@code bot},
     * then pooled. A method of its own for the JIT, as {@link #max2x2RowsPlane} is.
     */
    private static void max2x2Block(float[] x, float[] out, float[] indices, int inPlane, int inW, int oh, int ow,
                                    int pl0, int np, float[] top, float[] bot, float[] base) {
        final int per = oh * ow, cnt = np * per;
        for (int q = 0, d = 0; q < np; q++) {
            int xo = (pl0 + q) * inPlane;
            for (int y = 0; y < oh; y++, d += 2 * ow) {
                System.arraycopy(x, xo + 2 * y * inW, top, d, 2 * ow);
                System.arraycopy(x, xo + (2 * y + 1) * inW, bot, d, 2 * ow);
            }
        }
        int o = pl0 * per;
        int t = 0;
        for (; t + VL <= cnt; t += VL) {
            if (!windows(top, 2 * t, bot, 2 * t, FloatVector.fromArray(S, base, t), inW, out, indices, o + t)) {
                max2x2Scalar(top, bot, base, inW, out, indices, o, t, t + VL);
            }
        }
        max2x2Scalar(top, bot, base, inW, out, indices, o, t, cnt);
    }

    /** Outputs [t0, t1) of a block, the scalar way: scan order, the first maximum wins, the first NaN wins. */
    private static void max2x2Scalar(float[] top, float[] bot, float[] base, int inW, float[] out, float[] indices,
                                     int o, int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            float best = top[2 * t];
            int bi = 0;
            float v = top[2 * t + 1];
            if (v > best || (v != v && best == best)) {
                best = v;
                bi = 1;
            }
            v = bot[2 * t];
            if (v > best || (v != v && best == best)) {
                best = v;
                bi = inW;
            }
            v = bot[2 * t + 1];
            if (v > best || (v != v && best == best)) {
                best = v;
                bi = inW + 1;
            }
            out[o + t] = best;
            indices[o + t] = base[t] + bi;
        }
    }

    static void maxBackward(float[] gOut, float[] indices, float[] gx, Pool2dGeometry g) {
        final int inPlane = g.inH() * g.inW(), outPlane = g.outH() * g.outW();
        Parallel.forRange(g.planes(), (long) g.planes() * (inPlane + outPlane), (from, to) -> {
            java.util.Arrays.fill(gx, from * inPlane, to * inPlane, 0f);
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inPlane;
                int o = pl * outPlane;
                for (int i = 0; i < outPlane; i++) {
                    gx[xo + (int) indices[o + i]] += gOut[o + i];
                }
            }
        });
    }

    static void avg(float[] x, float[] out, Pool2dGeometry g) {
        final int inH = g.inH(), inW = g.inW(), oh = g.outH(), ow = g.outW();
        Parallel.forRange(g.planes(), (long) g.planes() * oh * ow * g.kH() * g.kW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inH * inW;
                int o = pl * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int xw = 0; xw < ow; xw++, o++) {
                        int h0 = y * g.strideH() - g.padH(), w0 = xw * g.strideW() - g.padW();
                        int h1 = Math.min(h0 + g.kH(), inH + g.padH()), w1 = Math.min(w0 + g.kW(), inW + g.padW());
                        int divisor = (h1 - h0) * (w1 - w0);
                        h0 = Math.max(h0, 0);
                        w0 = Math.max(w0, 0);
                        h1 = Math.min(h1, inH);
                        w1 = Math.min(w1, inW);
                        float s = 0f;
                        for (int h = h0; h < h1; h++) {
                            for (int w = w0; w < w1; w++) {
                                s += x[xo + h * inW + w];
                            }
                        }
                        out[o] = s / divisor;
                    }
                }
            }
        });
    }

    static void avgBackward(float[] gOut, float[] gx, Pool2dGeometry g) {
        final int inH = g.inH(), inW = g.inW(), oh = g.outH(), ow = g.outW();
        Parallel.forRange(g.planes(), (long) g.planes() * oh * ow * g.kH() * g.kW(), (from, to) -> {
            java.util.Arrays.fill(gx, from * inH * inW, to * inH * inW, 0f);
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inH * inW;
                int o = pl * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int xw = 0; xw < ow; xw++, o++) {
                        int h0 = y * g.strideH() - g.padH(), w0 = xw * g.strideW() - g.padW();
                        int h1 = Math.min(h0 + g.kH(), inH + g.padH()), w1 = Math.min(w0 + g.kW(), inW + g.padW());
                        float share = gOut[o] / ((h1 - h0) * (w1 - w0));
                        h0 = Math.max(h0, 0);
                        w0 = Math.max(w0, 0);
                        h1 = Math.min(h1, inH);
                        w1 = Math.min(w1, inW);
                        for (int h = h0; h < h1; h++) {
                            for (int w = w0; w < w1; w++) {
                                gx[xo + h * inW + w] += share;
                            }
                        }
                    }
                }
            }
        });
    }
}
