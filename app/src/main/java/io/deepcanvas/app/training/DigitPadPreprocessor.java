package io.deepcanvas.app.training;

import io.deepcanvas.engine.data.Pad;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;

/**
 * Turns a drawing into what an MNIST network was trained on, the way LeCun made MNIST: the ink's bounding box is
 * scaled (area averaging, aspect ratio kept) so its longer side is 20 px, then placed in a 28×28 frame with its
 * centre of mass at (14, 14). Values are in [0, 1] like {@code ToTensor} gives; the project's transform (Pad,
 * Normalize) then makes the network's sample. Pure Java: runs on the pad's background thread and in plain tests.
 */
public final class DigitPadPreprocessor {
    /** The side of an MNIST image. */
    public static final int SIZE = 28;
    /** The side of the box the digit is scaled into. */
    public static final int BOX = 20;
    /** Below this a pixel is background: the soft edge of a brush should not widen the bounding box. */
    static final float INK = 0.05f;

    private DigitPadPreprocessor() {
    }

    /**
     * The 28×28 MNIST-like image (row by row, values 0..1) of a {@code width × height} drawing (0 background,
     * 1 ink), or null when nothing is drawn.
     */
    public static float[] toMnist(float[] pixels, int width, int height) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("DigitPadPreprocessor: a " + width + "×" + height + " drawing needs "
                    + width * height + " pixels, got " + pixels.length);
        }
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (pixels[y * width + x] > INK) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) {
            return null;
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        double scale = (double) BOX / Math.max(bw, bh);
        int nw = Math.max(1, Math.min(BOX, (int) Math.round(bw * scale)));
        int nh = Math.max(1, Math.min(BOX, (int) Math.round(bh * scale)));
        float[] small = resize(pixels, width, x0, y0, bw, bh, nw, nh);
        return centreByMass(small, nw, nh);
    }

    /**
     * Area-averaging resize of the {@code bw × bh} box at (x0, y0) to {@code nw × nh}: each output pixel is the
     * mean of the source area it covers, partial pixels weighted by their overlap (what anti-aliased scaling does).
     */
    static float[] resize(float[] src, int stride, int x0, int y0, int bw, int bh, int nw, int nh) {
        double[][] wx = coverage(bw, nw);
        double[][] wy = coverage(bh, nh);
        float[] out = new float[nw * nh];
        for (int i = 0; i < nh; i++) {
            for (int j = 0; j < nw; j++) {
                double sum = 0;
                for (int y = 0; y < bh; y++) {
                    if (wy[i][y] == 0) {
                        continue;
                    }
                    int row = (y0 + y) * stride + x0;
                    double acc = 0;
                    for (int x = 0; x < bw; x++) {
                        acc += wx[j][x] * src[row + x];
                    }
                    sum += wy[i][y] * acc;
                }
                out[i * nw + j] = (float) Math.max(0, Math.min(1, sum));
            }
        }
        return out;
    }

    /**
     * For each of {@code dst} output pixels along one axis, the share of each of {@code src} input pixels in its
     * area: the overlap of [k, k+1) with the output pixel's span, divided by the span, so each row sums to 1.
     */
    private static double[][] coverage(int src, int dst) {
        double span = (double) src / dst;
        double[][] w = new double[dst][src];
        for (int d = 0; d < dst; d++) {
            double a = d * span;
            double b = a + span;
            for (int k = (int) a; k < Math.min(src, (int) Math.ceil(b)); k++) {
                w[d][k] = Math.max(0, Math.min(b, k + 1) - Math.max(a, k)) / span;
            }
        }
        return w;
    }

    /**
     * Places the {@code w × h} image in a 28×28 frame, shifted by whole pixels (no resampling blur) so its centre
     * of mass lands within half a pixel of (14, 14), kept inside the frame.
     */
    static float[] centreByMass(float[] img, int w, int h) {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = img[y * w + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        // index coordinates like scipy's center_of_mass; an all-faint image falls back to its middle
        double cx = mass > 0 ? mx / mass : (w - 1) / 2.0;
        double cy = mass > 0 ? my / mass : (h - 1) / 2.0;
        int left = clamp((int) Math.round(SIZE / 2.0 - cx), 0, SIZE - w);
        int top = clamp((int) Math.round(SIZE / 2.0 - cy), 0, SIZE - h);
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img, y * w, out, (top + y) * SIZE + left, w);
        }
        return out;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The centre of mass {x, y} of a 28×28 image in index coordinates, or null for an empty image. */
    public static double[] centreOfMass(float[] image) {
        double mass = 0, mx = 0, my = 0;
        for (int i = 0; i < image.length; i++) {
            mass += image[i];
            mx += image[i] * (i % SIZE);
            my += image[i] * (i / SIZE);
        }
        return mass > 0 ? new double[] {mx / mass, my / mass} : null;
    }

    /**
     * The network's batch of one for a 28×28 image: {@code [1, 28, 28]} through {@code transform} (may be null),
     * then shaped {@code [1, ...inputShape]}; an Input larger than the transformed image (e.g. 32×32 without a Pad)
     * gets the image centred in zeros, a flat Input ({@code [784]}) gets it flattened.
     */
    public static Tensor toSample(float[] image, Transform transform, Shape inputShape) {
        if (image.length != SIZE * SIZE) {
            throw new IllegalArgumentException("DigitPadPreprocessor: expected a 28×28 image (784 values), got "
                    + image.length);
        }
        Tensor t = Tensor.wrap(image.clone(), 1, SIZE, SIZE);
        if (transform != null) {
            t = transform.apply(t);
        }
        int[] in = inputShape.toArray();
        int[] s = t.shape().toArray();
        if (in.length == 3 && in[0] == 1 && s.length == 3 && t.numel() != inputShape.numel()
                && in[1] >= s[1] && in[2] >= s[2] && (in[1] - s[1]) % 2 == 0 && (in[2] - s[2]) % 2 == 0) {
            t = new Pad((in[2] - s[2]) / 2, (in[1] - s[1]) / 2).apply(t);
        }
        if (t.numel() != inputShape.numel()) {
            throw new IllegalArgumentException("the network's Input expects " + inputShape + " but a drawn digit is "
                    + t.shape() + " after the project's transforms; the drawing pad needs an MNIST-shaped Input"
                    + " ([1, 28, 28], [1, 32, 32] or [784])");
        }
        int[] batch = new int[in.length + 1];
        batch[0] = 1;
        System.arraycopy(in, 0, batch, 1, in.length);
        return Tensor.wrap(t.toArray(), batch);
    }
}
