package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * Converts pixel values 0..255 to floats in [0, 1] in channels-first layout, like
 * {@code torchvision.transforms.ToTensor}: an {@code [H, W]} input becomes {@code [1, H, W]}, an {@code [H, W, C]}
 * input (the layout of a NumPy image) becomes {@code [C, H, W]}; every value is divided by 255.
 *
 * <p>{@link Mnist} already yields ToTensor'd samples ({@code [1, 28, 28]} floats in [0, 1]), so do not add this to
 * an MNIST pipeline: it would divide by 255 twice and misread {@code [1, 28, 28]} as H=1, W=28, C=28. Use it for
 * raw pixel tensors you build yourself, or {@link #fromBytes} for uint8 data.
 */
public final class ToTensor implements Transform {
    /**
     * {@code i / 255f} for each uint8 value {@code i}: a table lookup is faster than a division per pixel and gives
     * the very same floats as PyTorch's {@code img.float().div(255)}.
     */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = i / 255f;
        }
    }

    /** {@code i / 255f}, the float ToTensor makes of grey level {@code i} (0..255). */
    static float unit(int i) {
        return UNIT[i];
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] s = input.shape().toArray();
        float[] a = input.toArray();
        if (s.length == 2) {
            for (int i = 0; i < a.length; i++) {
                a[i] = a[i] / 255f;
            }
            return Tensor.wrap(a, 1, s[0], s[1]);
        }
        if (s.length == 3) {
            int h = s[0];
            int w = s[1];
            int c = s[2];
            float[] out = new float[a.length];
            // HWC -> CHW: walk the input in order, scatter each pixel's channels to their planes.
            int plane = h * w;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    out[ch * plane + p] = a[p * c + ch] / 255f;
                }
            }
            return Tensor.wrap(out, c, h, w);
        }
        throw new IllegalArgumentException("ToTensor: expected an image of shape [H, W] or [H, W, C] with values"
                + " 0..255, got shape " + input.shape() + "; MNIST samples are already converted, do not add ToTensor");
    }

    /**
     * {@code height * width} uint8 grey pixels starting at {@code offset} as a {@code [1, height, width]} tensor of
     * floats in [0, 1]; what ToTensor does to a greyscale PIL image.
     */
    public static Tensor fromBytes(byte[] pixels, int offset, int height, int width) {
        int n = height * width;
        if (offset < 0 || n < 0 || offset > pixels.length - n) {
            throw new IndexOutOfBoundsException("ToTensor.fromBytes: " + height + "x" + width + " pixels at offset "
                    + offset + " do not fit in an array of " + pixels.length + " bytes");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = UNIT[pixels[offset + i] & 0xFF];
        }
        return Tensor.wrap(out, 1, height, width);
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
