package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * Pads the last two dimensions (H, W) with zeros, like {@code torchvision.transforms.Pad(padding)} with
 * {@code fill=0, padding_mode="constant"}: {@code new Pad(2)} turns a {@code [1, 28, 28]} MNIST image into
 * {@code [1, 32, 32]} (the LeNet-5 input size).
 */
public final class Pad implements Transform {
    private final int left;
    private final int top;
    private final int right;
    private final int bottom;

    /**
     * Padding as torchvision takes it: one value for all four borders; two for left/right then top/bottom;
     * or four for left, top, right, bottom. Values must be {@code >= 0}.
     */
    public Pad(int... padding) {
        if (padding == null) {
            throw new NullPointerException("Pad: padding is null");
        }
        switch (padding.length) {
            case 1 -> {
                left = padding[0];
                top = padding[0];
                right = padding[0];
                bottom = padding[0];
            }
            case 2 -> {
                left = padding[0];
                right = padding[0];
                top = padding[1];
                bottom = padding[1];
            }
            case 4 -> {
                left = padding[0];
                top = padding[1];
                right = padding[2];
                bottom = padding[3];
            }
            default -> throw new IllegalArgumentException("Pad: got " + padding.length + " padding values; give 1"
                    + " (all borders), 2 (left/right, top/bottom) or 4 (left, top, right, bottom)");
        }
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new IllegalArgumentException("Pad: padding must be >= 0, got left=" + left + ", top=" + top
                    + ", right=" + right + ", bottom=" + bottom);
        }
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] s = input.shape().toArray();
        if (s.length < 2) {
            throw new IllegalArgumentException("Pad: expected an image of shape [..., H, W], got shape "
                    + input.shape());
        }
        int h = s[s.length - 2];
        int w = s[s.length - 1];
        int oh = h + top + bottom;
        int ow = w + left + right;
        float[] a = input.toArray();
        int planes = 1;
        for (int i = 0; i < s.length - 2; i++) {
            planes *= s[i];
        }
        // New arrays are zero-filled, so only the image rows need copying.
        float[] out = new float[Math.multiplyExact(planes, Math.multiplyExact(oh, ow))];
        for (int p = 0; p < planes; p++) {
            int src = p * h * w;
            int dst = p * oh * ow + top * ow + left;
            for (int r = 0; r < h; r++) {
                System.arraycopy(a, src + r * w, out, dst + r * ow, w);
            }
        }
        int[] os = s.clone();
        os[s.length - 2] = oh;
        os[s.length - 1] = ow;
        return Tensor.wrap(out, os);
    }

    @Override
    public String toString() {
        return "Pad(left=" + left + ", top=" + top + ", right=" + right + ", bottom=" + bottom + ")";
    }
}
