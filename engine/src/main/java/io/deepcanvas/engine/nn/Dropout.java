package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Randomly zeroes elements with probability p while training ({@code torch.nn.Dropout}). */
public final class Dropout extends Module {
    public final float p;

    public Dropout() {
        this(0.5f);
    }

    public Dropout(float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("Dropout: probability p has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.dropout(x, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.py(p) + ", inplace=False";
    }
}
