package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Pool2dGeometry;

/** Max and average pooling over independent planes, spread over the cores. */
final class Pooling {
    private Pooling() {
    }

    static void max(float[] x, float[] out, float[] indices, Pool2dGeometry g) {
        final int inH = g.inH(), inW = g.inW(), oh = g.outH(), ow = g.outW();
        if (g.kH() == 2 && g.kW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0
                && 2 * oh <= inH && 2 * ow <= inW) {
            Parallel.forRange(g.planes(), (long) g.planes() * oh * ow * 4, (from, to) ->
                    max2x2(x, out, indices, inH, inW, oh, ow, from, to));
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

    /**
     * The common 2×2 stride-2 window without padding, unrolled: same scan order and tie/NaN rule as the general
     * loop (the first maximum wins; the first NaN wins and stays).
     */
    private static void max2x2(float[] x, float[] out, float[] indices, int inH, int inW, int oh, int ow, int from,
                               int to) {
        for (int pl = from; pl < to; pl++) {
            int xo = pl * inH * inW;
            int o = pl * oh * ow;
            for (int y = 0; y < oh; y++) {
                int r0 = 2 * y * inW, r1 = r0 + inW;
                for (int xw = 0; xw < ow; xw++, o++) {
                    int i0 = r0 + 2 * xw, i2 = r1 + 2 * xw;
                    float best = x[xo + i0];
                    int bi = i0;
                    float v = x[xo + i0 + 1];
                    if (v > best || (v != v && best == best)) {
                        best = v;
                        bi = i0 + 1;
                    }
                    v = x[xo + i2];
                    if (v > best || (v != v && best == best)) {
                        best = v;
                        bi = i2;
                    }
                    v = x[xo + i2 + 1];
                    if (v > best || (v != v && best == best)) {
                        best = v;
                        bi = i2 + 1;
                    }
                    out[o] = best;
                    indices[o] = bi;
                }
            }
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
