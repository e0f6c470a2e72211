package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.tensor.Tensor;

/** Weight initialisation ({@code torch.nn.init}); every function fills the tensor in place without grad. */
public final class Init {
    private Init() {
    }

    /** Number of inputs feeding one output unit: in_features, or in_channels/groups · kH · kW. */
    public static int fanIn(Tensor w) {
        if (w.dim() < 2) {
            throw new IllegalArgumentException("Fan in can not be computed for tensor with fewer than 2 dimensions "
                    + "(shape " + w.shape() + ")");
        }
        int receptive = 1;
        for (int i = 2; i < w.dim(); i++) {
            receptive *= w.size(i);
        }
        return w.size(1) * receptive;
    }

    public static int fanOut(Tensor w) {
        int receptive = 1;
        for (int i = 2; i < w.dim(); i++) {
            receptive *= w.size(i);
        }
        return w.size(0) * receptive;
    }

    public static Tensor uniform(Tensor t, float lo, float hi) {
        try (NoGrad ignored = GradMode.noGrad()) {
            return t.uniform_(lo, hi);
        }
    }

    public static Tensor normal(Tensor t, float mean, float std) {
        try (NoGrad ignored = GradMode.noGrad()) {
            return t.normal_(mean, std);
        }
    }

    public static Tensor constant(Tensor t, float value) {
        try (NoGrad ignored = GradMode.noGrad()) {
            return t.fill_(value);
        }
    }

    /**
     * Kaiming (He) uniform with leaky-relu slope {@code a} ({@code kaiming_uniform_}): bound = gain·sqrt(3/fan_in),
     * gain = sqrt(2/(1+a²)). PyTorch's Linear and Conv2d use a = sqrt(5), which gives bound = 1/sqrt(fan_in).
     */
    public static Tensor kaimingUniform(Tensor w, double a) {
        double gain = Math.sqrt(2.0 / (1 + a * a));
        float bound = (float) (gain * Math.sqrt(3.0 / fanIn(w)));
        return uniform(w, -bound, bound);
    }

    /** Glorot uniform ({@code xavier_uniform_}): bound = gain·sqrt(6/(fan_in+fan_out)). */
    public static Tensor xavierUniform(Tensor w, double gain) {
        float bound = (float) (gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w))));
        return uniform(w, -bound, bound);
    }
}
