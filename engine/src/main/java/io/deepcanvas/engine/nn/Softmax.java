package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Softmax over one dimension ({@code torch.nn.Softmax}). */
public final class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
