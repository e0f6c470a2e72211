package io.deepcanvas.engine.autograd;

import io.deepcanvas.engine.tensor.Tensor;

/** The graph node of a leaf tensor that requires grad: it adds arriving gradients into {@code tensor.grad()}. */
public final class AccumulateGrad extends Function {
    private final Tensor variable;

    public AccumulateGrad(Tensor variable) {
        super("AccumulateGrad", null);
        this.variable = variable;
    }

    /** The leaf tensor whose {@code grad} this node fills. */
    public Tensor variable() {
        return variable;
    }
}
