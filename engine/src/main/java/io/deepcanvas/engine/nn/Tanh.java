package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Element-wise hyperbolic tangent ({@code torch.nn.Tanh}). */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
