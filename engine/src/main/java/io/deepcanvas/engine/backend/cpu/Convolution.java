package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;

/**
 * conv2d on the CPU as one small im2col + GEMM per image and group. Unfolding one image at a time keeps the
 * column buffer small (LeNet's first layer: 25 × 784 floats) and in cache, instead of materialising the
 * whole batch's columns; images are spread over the cores.
 */
final class Convolution {
    private Convolution() {
    }

    static void forward(float[] x, float[] w, float[] bias, float[] out, Conv2dGeometry g) {
        final int oh = g.outH(), ow = g.outW(), p = oh * ow;
        final int groups = g.groups(), goc = g.groupOutC(), gic = g.groupInC(), patch = g.patchSize();
        final int inPlane = g.inH() * g.inW();
        final boolean pointwise = isPointwise(g);
        Parallel.forRange(g.n(), 2 * g.macs(), (from, to) -> {
            float[] col = pointwise ? null : Scratch.get(Scratch.IM2COL, patch * p);
            for (int n = from; n < to; n++) {
                for (int gr = 0; gr < groups; gr++) {
                    int xOff = (n * g.inC() + gr * gic) * inPlane;
                    int oOff = (n * g.outC() + gr * goc) * p;
                    float[] src = x;
                    int srcOff = xOff;
                    if (!pointwise) {
                        im2col(x, xOff, g, col);
                        src = col;
                        srcOff = 0;
                    }
                    Gemm.multiply(false, false, goc, p, patch, w, gr * goc * patch, src, srcOff, out, oOff,
                            false, g.n() == 1);
                }
                if (bias != null) {
                    for (int c = 0; c < g.outC(); c++) {
                        float bv = bias[c];
                        int o = (n * g.outC() + c) * p;
                        for (int i = 0; i < p; i++) {
                            out[o + i] += bv;
                        }
                    }
                }
            }
        });
    }

    static void backward(float[] x, float[] w, float[] gOut, float[] gx, float[] gw, float[] gb, Conv2dGeometry g) {
        final int oh = g.outH(), ow = g.outW(), p = oh * ow;
        final int groups = g.groups(), goc = g.groupOutC(), gic = g.groupInC(), patch = g.patchSize();
        final int inPlane = g.inH() * g.inW();
        final boolean pointwise = isPointwise(g);
        final int wSize = g.outC() * patch;
        int chunks = Parallel.chunksFor(g.n(), 4 * g.macs());
        // each chunk of images accumulates its own weight gradient; they are summed at the end
        float[][] gwParts = new float[chunks][];
        Parallel.forChunks(g.n(), chunks, (chunk, from, to) -> {
            float[] gwLocal = gw == null ? null : new float[wSize];
            gwParts[chunk] = gwLocal;
            float[] col = Scratch.get(Scratch.IM2COL, patch * p);
            float[] gcol = gx == null ? null : Scratch.get(Scratch.COL_GRAD, patch * p);
            for (int n = from; n < to; n++) {
                for (int gr = 0; gr < groups; gr++) {
                    int xOff = (n * g.inC() + gr * gic) * inPlane;
                    int oOff = (n * g.outC() + gr * goc) * p;
                    int wOff = gr * goc * patch;
                    if (gwLocal != null) {
                        float[] src = x;
                        int srcOff = xOff;
                        if (!pointwise) {
                            im2col(x, xOff, g, col);
                            src = col;
                            srcOff = 0;
                        }
                        // gW[goc, patch] += gOut[goc, p] · col[patch, p]^T
                        Gemm.multiply(false, true, goc, patch, p, gOut, oOff, src, srcOff, gwLocal, wOff, true,
                                false);
                    }
                    if (gx != null) {
                        if (pointwise) {
                            // gX[gic, p] = W[goc, gic]^T · gOut[goc, p]
                            Gemm.multiply(true, false, patch, p, goc, w, wOff, gOut, oOff, gx, xOff, false, false);
                        } else {
                            Gemm.multiply(true, false, patch, p, goc, w, wOff, gOut, oOff, gcol, 0, false, false);
                            col2im(gcol, g, gx, xOff);
                        }
                    }
                }
            }
        });
        if (gw != null) {
            System.arraycopy(gwParts[0], 0, gw, 0, wSize);
            for (int c = 1; c < chunks; c++) {
                float[] part = gwParts[c];
                for (int i = 0; i < wSize; i++) {
                    gw[i] += part[i];
                }
            }
        }
        if (gb != null) {
            for (int c = 0; c < g.outC(); c++) {
                double s = 0;
                for (int n = 0; n < g.n(); n++) {
                    int o = (n * g.outC() + c) * p;
                    for (int i = 0; i < p; i++) {
                        s += gOut[o + i];
                    }
                }
                gb[c] = (float) s;
            }
        }
    }

    private static boolean isPointwise(Conv2dGeometry g) {
        return g.kH() == 1 && g.kW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0
                && g.padW() == 0;
    }

    /** Unfolds one group of one image into col[(c·kH + i)·kW + j][oh·OW + ow]. */
    static void im2col(float[] x, int xOff, Conv2dGeometry g, float[] col) {
        final int inH = g.inH(), inW = g.inW(), kH = g.kH(), kW = g.kW();
        final int oh = g.outH(), ow = g.outW(), p = oh * ow;
        final int sH = g.strideH(), sW = g.strideW(), pH = g.padH(), pW = g.padW(), dH = g.dilH(), dW = g.dilW();
        int row = 0;
        for (int c = 0; c < g.groupInC(); c++) {
            int plane = xOff + c * inH * inW;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++, row++) {
                    int dst = row * p;
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sH - pH + ki * dH;
                        if (ih < 0 || ih >= inH) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            dst += ow;
                            continue;
                        }
                        int srcRow = plane + ih * inW;
                        int iw = kj * dW - pW;
                        if (sW == 1) {
                            // zeros where the window hangs over the left/right padding, one copy in between
                            int lo = Math.min(ow, Math.max(0, -iw)), hi = Math.max(lo, Math.min(ow, inW - iw));
                            for (int xo = 0; xo < lo; xo++) {
                                col[dst + xo] = 0f;
                            }
                            System.arraycopy(x, srcRow + iw + lo, col, dst + lo, hi - lo);
                            for (int xo = hi; xo < ow; xo++) {
                                col[dst + xo] = 0f;
                            }
                            dst += ow;
                        } else {
                            for (int xo = 0; xo < ow; xo++, iw += sW) {
                                col[dst++] = iw >= 0 && iw < inW ? x[srcRow + iw] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds the columns back onto the image positions they were unfolded from (the adjoint of im2col). */
    static void col2im(float[] col, Conv2dGeometry g, float[] gx, int xOff) {
        final int inH = g.inH(), inW = g.inW(), kH = g.kH(), kW = g.kW();
        final int oh = g.outH(), ow = g.outW(), p = oh * ow;
        final int sH = g.strideH(), sW = g.strideW(), pH = g.padH(), pW = g.padW(), dH = g.dilH(), dW = g.dilW();
        java.util.Arrays.fill(gx, xOff, xOff + g.groupInC() * inH * inW, 0f);
        int row = 0;
        for (int c = 0; c < g.groupInC(); c++) {
            int plane = xOff + c * inH * inW;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++, row++) {
                    int src = row * p;
                    for (int y = 0; y < oh; y++) {
                        int ih = y * sH - pH + ki * dH;
                        if (ih < 0 || ih >= inH) {
                            src += ow;
                            continue;
                        }
                        int dstRow = plane + ih * inW;
                        int iw = kj * dW - pW;
                        if (sW == 1) {
                            // only the part of the row inside the image receives gradient: a plain add
                            int lo = Math.min(ow, Math.max(0, -iw)), hi = Math.max(lo, Math.min(ow, inW - iw));
                            for (int xo = lo, d = dstRow + iw; xo < hi; xo++) {
                                gx[d + xo] += col[src + xo];
                            }
                            src += ow;
                            continue;
                        }
                        for (int xo = 0; xo < ow; xo++, iw += sW, src++) {
                            if (iw >= 0 && iw < inW) {
                                gx[dstRow + iw] += col[src];
                            }
                        }
                    }
                }
            }
        }
    }
}
