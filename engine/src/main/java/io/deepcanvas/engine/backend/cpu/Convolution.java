package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;

/**
 * conv2d on the CPU as im2col + GEMM over a chunk of images at a time. The columns of the chunk's images sit
 * side by side ([patch, images·pixels]), so each group is one wide GEMM instead of one small GEMM per image:
 * LeNet's layers have only 6 or 16 output channels and 25–100 pixels, far too small to keep a register-blocked
 * kernel busy one image at a time. Chunks are sized so their columns stay within a few MB; chunks of images are
 * spread over the cores and each core sums its own weight gradient.
 */
final class Convolution {
    /** Upper bound on the floats of one chunk's column buffer: 1M floats, 4 MB. */
    private static final int CHUNK_FLOATS = 1 << 20;

    private Convolution() {
    }

    /** Images per chunk: as many as fit CHUNK_FLOATS, at least one. */
    private static int chunkImages(Conv2dGeometry g, int images) {
        long perImage = (long) g.patchSize() * g.outH() * g.outW();
        return (int) Math.max(1, Math.min(images, CHUNK_FLOATS / Math.max(1, perImage)));
    }

    static void forward(float[] x, float[] w, float[] bias, float[] out, Conv2dGeometry g) {
        if (ImplicitConvolution.appliesToForward(g)) {
            ImplicitConvolution.forward(x, w, bias, out, g);
            return;
        }
        if (BatchLaneConvolution.applies(g)) {
            BatchLaneConvolution.forward(x, w, bias, out, g);
            return;
        }
        if (DirectConvolution.applies(g)) {
            DirectConvolution.forward(x, w, bias, out, g);
            return;
        }
        final int p = g.outH() * g.outW();
        final int groups = g.groups(), goc = g.groupOutC(), gic = g.groupInC(), patch = g.patchSize();
        final int inPlane = g.inH() * g.inW();
        Parallel.forRange(g.n(), 2 * g.macs(), (from, to) -> {
            int nb = chunkImages(g, to - from);
            float[] col = Scratch.get(Scratch.IM2COL, patch * nb * p);
            float[] prod = Scratch.get(Scratch.COL_GRAD, goc * nb * p);
            for (int n0 = from; n0 < to; n0 += nb) {
                int cnt = Math.min(nb, to - n0), ld = cnt * p;
                for (int gr = 0; gr < groups; gr++) {
                    for (int i = 0; i < cnt; i++) {
                        im2col(x, ((n0 + i) * g.inC() + gr * gic) * inPlane, g, col, i * p, ld);
                    }
                    // prod[goc, cnt·p] = W[goc, patch] · col[patch, cnt·p]
                    Gemm.multiply(false, false, goc, ld, patch, w, gr * goc * patch, col, 0, prod, 0, false,
                            g.n() == 1);
                    for (int oc = 0; oc < goc; oc++) {
                        int c = gr * goc + oc;
                        float bv = bias == null ? 0f : bias[c];
                        for (int i = 0; i < cnt; i++) {
                            int src = oc * ld + i * p, dst = ((n0 + i) * g.outC() + c) * p;
                            for (int j = 0; j < p; j++) {
                                out[dst + j] = prod[src + j] + bv;
                            }
                        }
                    }
                }
            }
        });
    }

    static void backward(float[] x, float[] w, float[] gOut, float[] gxAll, float[] gwAll, float[] gb,
                         Conv2dGeometry g) {
        if (gb != null) {
            biasGradient(gOut, gb, g);
        }
        // a mostly-zero output gradient (ReLU and max pooling after the layer) takes the sparse method; otherwise each
        // gradient goes to the first method that applies to it: implicit GEMM, direct, im2col
        if (SparseGradient.applies(g) && SparseGradient.backward(x, w, gOut, gxAll, gwAll, g)) {
            return;
        }
        boolean implicitX = gxAll != null && ImplicitConvolution.appliesToInputGradient(g);
        boolean implicitW = gwAll != null && ImplicitConvolution.appliesToWeightGradient(g);
        if (implicitX || implicitW) {
            ImplicitConvolution.backward(x, w, gOut, implicitX ? gxAll : null, implicitW ? gwAll : null, g);
        }
        final float[] gx = implicitX ? null : gxAll, gw = implicitW ? null : gwAll;
        if (gx == null && gw == null) {
            return;
        }
        if (BatchLaneConvolution.applies(g)) {
            BatchLaneConvolution.backward(x, w, gOut, gx, gw, g);
            return;
        }
        if (DirectConvolution.applies(g)) {
            DirectConvolution.backward(x, w, gOut, gx, gw, g);
            return;
        }
        final int p = g.outH() * g.outW();
        final int groups = g.groups(), goc = g.groupOutC(), gic = g.groupInC(), patch = g.patchSize();
        final int inPlane = g.inH() * g.inW();
        final int wSize = g.outC() * patch;
        int pieces = Parallel.piecesFor(g.n(), 4 * g.macs(), 2);
        // each piece of the batch accumulates its own weight gradient; they are summed in piece order at the end, so
        // the result does not depend on which thread ran which piece
        float[][] gwParts = new float[pieces][];
        Parallel.forPieces(g.n(), pieces, (piece, from, to) -> {
            float[] gwLocal = gw == null ? null : new float[wSize];
            gwParts[piece] = gwLocal;
            int nb = chunkImages(g, to - from);
            float[] col = gw == null ? null : Scratch.get(Scratch.IM2COL, patch * nb * p);
            float[] go = Scratch.get(Scratch.PACK_X, goc * nb * p);
            float[] gcol = gx == null ? null : Scratch.get(Scratch.COL_GRAD, patch * nb * p);
            for (int n0 = from; n0 < to; n0 += nb) {
                int cnt = Math.min(nb, to - n0), ld = cnt * p;
                for (int gr = 0; gr < groups; gr++) {
                    int wOff = gr * goc * patch;
                    // gather this group's output gradient as [goc, cnt·p]
                    for (int oc = 0; oc < goc; oc++) {
                        for (int i = 0; i < cnt; i++) {
                            System.arraycopy(gOut, ((n0 + i) * g.outC() + gr * goc + oc) * p, go, oc * ld + i * p, p);
                        }
                    }
                    if (gwLocal != null) {
                        for (int i = 0; i < cnt; i++) {
                            im2col(x, ((n0 + i) * g.inC() + gr * gic) * inPlane, g, col, i * p, ld);
                        }
                        // gW[goc, patch] += gOut[goc, cnt·p] · col[patch, cnt·p]^T
                        Gemm.multiply(false, true, goc, patch, ld, go, 0, col, 0, gwLocal, wOff, true, false);
                    }
                    if (gx != null) {
                        // gcol[patch, cnt·p] = W[goc, patch]^T · gOut[goc, cnt·p], folded back onto each image
                        Gemm.multiply(true, false, patch, ld, goc, w, wOff, go, 0, gcol, 0, false, false);
                        for (int i = 0; i < cnt; i++) {
                            col2im(gcol, i * p, ld, g, gx, ((n0 + i) * g.inC() + gr * gic) * inPlane);
                        }
                    }
                }
            }
        });
        if (gw != null) {
            System.arraycopy(gwParts[0], 0, gw, 0, wSize);
            for (int c = 1; c < pieces; c++) {
                float[] part = gwParts[c];
                for (int i = 0; i < wSize; i++) {
                    gw[i] += part[i];
                }
            }
        }
    }

    /**
     * Copies one image ([inC, inH, inW] at xOff) into zero-padded [inH + 2·padH, inW + 2·padW] planes at
     * {@code dst[at]}, clearing all {@code len} floats there first (len ≥ the padded planes; the direct method
     * keeps read-ahead slack behind them). Shared by the direct and implicit-GEMM methods.
     */
    static void padImage(float[] x, int xOff, Conv2dGeometry g, float[] dst, int at, int len) {
        int wp = g.inW() + 2 * g.padW();
        padPlanes(x, xOff, g.inC(), g.inH(), g.inW(), dst, at, len, (g.inH() + 2 * g.padH()) * wp, wp, g.padH(),
                g.padW());
    }

    /**
     * Copies {@code planes} planes of h × w floats at {@code src[srcOff]} into larger zero-filled planes at
     * {@code dst[at]}, {@code plane} floats apart with rows {@code wp} long, each source row starting {@code top}
     * rows down and {@code left} columns in; all {@code len} floats at dst[at] are cleared first.
     */
    static void padPlanes(float[] src, int srcOff, int planes, int h, int w, float[] dst, int at, int len, int plane,
                          int wp, int top, int left) {
        if (top == 0 && left == 0 && wp == w && plane == h * w) {
            // nothing to pad around: one copy, then the slack behind it
            int n = planes * plane;
            System.arraycopy(src, srcOff, dst, at, n);
            java.util.Arrays.fill(dst, at + n, at + len, 0f);
            return;
        }
        java.util.Arrays.fill(dst, at, at + len, 0f);
        for (int c = 0; c < planes; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, srcOff + (c * h + y) * w, dst, at + c * plane + (y + top) * wp + left, w);
            }
        }
    }

    /**
     * gb[c] = the sum of the output gradient over images and pixels of channel c; channels split over the cores
     * (each sum is one thread's, in the same order, so the result does not depend on the split).
     */
    private static void biasGradient(float[] gOut, float[] gb, Conv2dGeometry g) {
        int p = g.outH() * g.outW();
        Parallel.forRange(g.outC(), (long) g.n() * g.outC() * p, (from, to) -> {
            for (int c = from; c < to; c++) {
                double s = 0;
                for (int n = 0; n < g.n(); n++) {
                    s += Elementwise.sum(gOut, (n * g.outC() + c) * p, p);
                }
                gb[c] = (float) s;
            }
        });
    }

    /**
     * Unfolds one group of one image into col[(c·kH + i)·kW + j][colOff + oh·OW + ow], rows {@code ld} apart (the
     * columns of several images sit side by side).
     */
    static void im2col(float[] x, int xOff, Conv2dGeometry g, float[] col, int colOff, int ld) {
        final int inH = g.inH(), inW = g.inW(), kH = g.kH(), kW = g.kW();
        final int oh = g.outH(), ow = g.outW();
        final int sH = g.strideH(), sW = g.strideW(), pH = g.padH(), pW = g.padW(), dH = g.dilH(), dW = g.dilW();
        int row = 0;
        for (int c = 0; c < g.groupInC(); c++) {
            int plane = xOff + c * inH * inW;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++, row++) {
                    int dst = row * ld + colOff;
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

    /** Writes the columns (at colOff, rows ld apart) back onto the image positions they were unfolded from. */
    static void col2im(float[] col, int colOff, int ld, Conv2dGeometry g, float[] gx, int xOff) {
        final int inH = g.inH(), inW = g.inW(), kH = g.kH(), kW = g.kW();
        final int oh = g.outH(), ow = g.outW();
        final int sH = g.strideH(), sW = g.strideW(), pH = g.padH(), pW = g.padW(), dH = g.dilH(), dW = g.dilW();
        java.util.Arrays.fill(gx, xOff, xOff + g.groupInC() * inH * inW, 0f);
        int row = 0;
        for (int c = 0; c < g.groupInC(); c++) {
            int plane = xOff + c * inH * inW;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++, row++) {
                    int src = row * ld + colOff;
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
