package io.deepcanvas.engine.optim;

import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;

/**
 * Adam ({@code torch.optim.Adam}), PyTorch's rule: g = grad + wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * with amsgrad v̂ = max(v̂, v) replaces v; p −= lr/(1−β1ᵗ) · m / (sqrt(v)/sqrt(1−β2ᵗ) + eps).
 */
public final class Adam extends Optimizer<Adam.State> {
    public final float beta1;
    public final float beta2;
    public final float eps;
    public final float weightDecay;
    public final boolean amsgrad;

    /** Per-parameter state: step count and the moment estimates. */
    public static final class State {
        int step;
        Tensor expAvg;
        Tensor expAvgSq;
        Tensor maxExpAvgSq;

        public int step() {
            return step;
        }

        public Tensor expAvg() {
            return expAvg;
        }

        public Tensor expAvgSq() {
            return expAvgSq;
        }
    }

    public Adam(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay,
                boolean amsgrad) {
        super(params, lr);
        checkRange("Adam", "beta parameter at index 0", beta1, 0f, 1f, false);
        checkRange("Adam", "beta parameter at index 1", beta2, 0f, 1f, false);
        checkRange("Adam", "epsilon", eps, 0f, Float.MAX_VALUE, true);
        checkRange("Adam", "weight_decay", weightDecay, 0f, Float.MAX_VALUE, true);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
    }

    @Override
    protected State newState(Parameter p) {
        State s = new State();
        s.expAvg = Tensor.zerosLike(p);
        s.expAvgSq = Tensor.zerosLike(p);
        if (amsgrad) {
            s.maxExpAvgSq = Tensor.zerosLike(p);
        }
        return s;
    }

    @Override
    protected void update(Parameter p, Tensor grad, State s) {
        s.step++;
        p.backend().adamStep(p.buffer(), grad.buffer(), s.expAvg.buffer(), s.expAvgSq.buffer(),
                s.maxExpAvgSq == null ? null : s.maxExpAvgSq.buffer(), p.numel(), lr, beta1, beta2, eps,
                weightDecay, s.step);
    }
}
