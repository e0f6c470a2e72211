package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Element-wise ReLU activation, max(0, x) ({@code torch.nn.ReLU}). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
