package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** A tensor that is a learnable weight of a module ({@code torch.nn.Parameter}): a leaf that requires grad. */
public final class Parameter extends Tensor {
    public Parameter(Tensor data) {
        super(data);
        requiresGrad(true);
    }
}
