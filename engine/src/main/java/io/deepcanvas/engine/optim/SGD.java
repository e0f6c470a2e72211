package io.deepcanvas.engine.optim;

import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and weight decay ({@code torch.optim.SGD}).
 * PyTorch's rule: g = grad + wd·p; with momentum, buf = g at the first step, else momentum·buf + (1−dampening)·g;
 * g = nesterov ? g + momentum·buf : buf; p −= lr·g.
 */
public final class SGD extends Optimizer<SGD.State> {
    public final float momentum;
    public final float dampening;
    public final float weightDecay;
    public final boolean nesterov;

    /** Per-parameter state: the momentum buffer (null without momentum). */
    public static final class State {
        Tensor momentumBuffer;
        boolean started;

        public Tensor momentumBuffer() {
            return momentumBuffer;
        }
    }

    public SGD(List<Parameter> params, float lr) {
        this(params, lr, 0f, 0f, 0f, false);
    }

    public SGD(List<Parameter> params, float lr, float momentum) {
        this(params, lr, momentum, 0f, 0f, false);
    }

    public SGD(List<Parameter> params, float lr, float momentum, float dampening, float weightDecay,
               boolean nesterov) {
        super(params, lr);
        checkRange("SGD", "momentum", momentum, 0f, Float.MAX_VALUE, true);
        checkRange("SGD", "weight_decay", weightDecay, 0f, Float.MAX_VALUE, true);
        checkRange("SGD", "dampening", dampening, 0f, 1f, true);
        if (nesterov && (momentum <= 0f || dampening != 0f)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening (got "
                    + "momentum=" + momentum + ", dampening=" + dampening + ")");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected State newState(Parameter p) {
        State s = new State();
        if (momentum != 0f) {
            s.momentumBuffer = Tensor.zerosLike(p);
        }
        return s;
    }

    @Override
    protected void update(Parameter p, Tensor grad, State s) {
        p.backend().sgdStep(p.buffer(), grad.buffer(), s.momentumBuffer == null ? null : s.momentumBuffer.buffer(),
                p.numel(), lr, momentum, dampening, weightDecay, nesterov, !s.started);
        s.started = true;
    }
}
