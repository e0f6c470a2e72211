package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * {@code (x - mean[c]) / std[c]} per channel, like {@code torchvision.transforms.Normalize(mean, std)}.
 * Channels are dimension -3 of a {@code [..., C, H, W]} input. A single mean/std applies to every value of an
 * input of any shape. For MNIST the usual values are {@code new Normalize(0.1307f, 0.3081f)}.
 */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    /** The same mean and std for every channel. */
    public Normalize(float mean, float std) {
        this(new float[] {mean}, new float[] {std});
    }

    /** One mean and std per channel, or a single value of each for all channels. */
    public Normalize(float[] mean, float[] std) {
        if (mean == null || std == null) {
            throw new NullPointerException("Normalize: " + (mean == null ? "mean" : "std") + " is null");
        }
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean has " + mean.length + " values and std has "
                    + std.length + "; give the same number (one per channel, or one for all), at least one");
        }
        for (int i = 0; i < std.length; i++) {
            if (std[i] == 0 || !Float.isFinite(std[i])) {
                throw new IllegalArgumentException("Normalize: std[" + i + "] is " + std[i] + "; every value is"
                        + " divided by std, so it must be finite and non-zero (for MNIST use 0.3081)");
            }
            if (!Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Normalize: mean[" + i + "] is " + mean[i] + "; it must be finite");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** One mean and std for every value (what {@link #normalize} needs). */
    boolean single() {
        return mean.length == 1;
    }

    /** One value normalized with the single mean and std, for {@link GreyLevels}: the same floats as {@code apply}. */
    float normalize(float x) {
        return normalize(x, mean[0], std[0]);
    }

    /**
     * The one expression every normalized value goes through. Divides rather than multiplies by 1/std: bit for bit
     * what PyTorch's {@code sub_(mean).div_(std)} computes.
     */
    private static float normalize(float x, float mean, float std) {
        return (x - mean) / std;
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] s = input.shape().toArray();
        float[] a = input.toArray();
        if (single()) {
            // mean and std in locals: a load of mean[0] in the loop could alias the stores to a
            float m = mean[0];
            float sd = std[0];
            for (int i = 0; i < a.length; i++) {
                a[i] = normalize(a[i], m, sd);
            }
            return Tensor.wrap(a, s);
        }
        if (s.length < 3 || s[s.length - 3] != mean.length) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " per-channel means need an input of"
                    + " shape [..., " + mean.length + ", H, W] (channels are dimension -3), got shape "
                    + input.shape() + "; give one mean/std per channel or a single value for all");
        }
        int channels = mean.length;
        int plane = s[s.length - 2] * s[s.length - 1];
        int planes = plane == 0 ? 0 : a.length / plane;
        for (int p = 0; p < planes; p++) {
            float m = mean[p % channels];
            float sd = std[p % channels];
            int end = (p + 1) * plane;
            for (int i = p * plane; i < end; i++) {
                a[i] = normalize(a[i], m, sd);
            }
        }
        return Tensor.wrap(a, s);
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
