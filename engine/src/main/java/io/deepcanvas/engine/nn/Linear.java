package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Fully connected layer y = x·Wᵀ + b ({@code torch.nn.Linear}); W is [out_features, in_features]. */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Parameter weight;
    public final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        Layers.checkPositive("Linear", "in_features", inFeatures);
        Layers.checkPositive("Linear", "out_features", outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Tensor.zeros(outFeatures, inFeatures)));
        this.bias = registerParameter("bias", bias ? new Parameter(Tensor.zeros(outFeatures)) : null);
        resetParameters();
    }

    /** PyTorch's default: weight and bias uniform in ±1/sqrt(in_features). */
    public void resetParameters() {
        Init.kaimingUniform(weight, Math.sqrt(5));
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(inFeatures));
            Init.uniform(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.py(bias != null);
    }
}
