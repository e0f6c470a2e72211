package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Element-wise logistic sigmoid ({@code torch.nn.Sigmoid}). */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
