package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** LogSoftmax over one dimension ({@code torch.nn.LogSoftmax}). */
public final class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
