package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** x if x > 0 else negative_slope·x ({@code torch.nn.LeakyReLU}). */
public final class LeakyReLU extends Module {
    public final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        if (!Float.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negative_slope must be a finite number, got "
                    + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + Repr.py(negativeSlope);
    }
}
