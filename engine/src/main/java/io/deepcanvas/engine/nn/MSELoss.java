package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** The mean squared error ({@code torch.nn.MSELoss}). */
public final class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.mseLoss(input, target, reduction);
    }
}
