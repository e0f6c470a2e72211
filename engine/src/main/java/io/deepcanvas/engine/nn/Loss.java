package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** A loss criterion ({@code torch.nn.*Loss}): compares a prediction with a target. */
public abstract class Loss {
    public final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    public abstract Tensor forward(Tensor input, Tensor target);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "()";
    }
}
