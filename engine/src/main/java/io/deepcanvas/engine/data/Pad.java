package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.Arrays;

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

    int left() {
        return left;
    }

    int top() {
        return top;
    }

    int right() {
        return right;
    }

    int bottom() {
        return bottom;
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
        int planes = 1;
        for (int i = 0; i < s.length - 2; i++) {
            planes *= s[i];
        }
        // The input goes to the start of the output array as it is, then each row moves to its place, last row
        // first (every row moves forward, so none is overwritten before it moved), and the borders are zeroed:
        // one array per image instead of a copy of the input and the output.
        float[] out = new float[Math.multiplyExact(planes, Math.multiplyExact(oh, ow))];
        if (h == 0 || w == 0) {
            return Tensor.wrap(out, padded(s, oh, ow));
        }
        input.copyInto(out, 0);
        for (int p = planes - 1; p >= 0; p--) {
            int dst = p * oh * ow + top * ow + left;
            for (int r = h - 1; r >= 0; r--) {
                System.arraycopy(out, p * h * w + r * w, out, dst + r * ow, w);
            }
        }
        for (int p = 0; p < planes; p++) {
            int plane = p * oh * ow;
            // the top border and the first row's left border, each row's right border with the next row's left
            // border, then the last row's right border and the bottom border
            Arrays.fill(out, plane, plane + top * ow + left, 0f);
            for (int r = 0; r + 1 < h; r++) {
                int rowEnd = plane + (top + r) * ow + left + w;
                Arrays.fill(out, rowEnd, rowEnd + right + left, 0f);
            }
            Arrays.fill(out, plane + (top + h - 1) * ow + left + w, plane + oh * ow, 0f);
        }
        return Tensor.wrap(out, padded(s, oh, ow));
    }

    private static int[] padded(int[] shape, int oh, int ow) {
        int[] os = shape.clone();
        os[shape.length - 2] = oh;
        os[shape.length - 1] = ow;
        return os;
    }

    @Override
    public String toString() {
        return "Pad(left=" + left + ", top=" + top + ", right=" + right + ", bottom=" + bottom + ")";
    }
}
