package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Flattens dimensions start_dim..end_dim, by default all but the batch ({@code torch.nn.Flatten}). */
public final class Flatten extends Module {
    public final int startDim;
    public final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
