package io.deepcanvas.engine.optim;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;

/**
 * RMSprop ({@code torch.optim.RMSprop}), PyTorch's rule: g = grad + wd·p; sq = α·sq + (1−α)·g²; avg = sqrt(sq) + eps
 * (centered: sqrt(sq − ḡ²) + eps with ḡ = α·ḡ + (1−α)·g); with momentum buf = m·buf + g/avg and p −= lr·buf,
 * else p −= lr·g/avg. Composed from tensor ops, so it runs on any backend.
 */
public final class RMSprop extends Optimizer<RMSprop.State> {
    public final float alpha;
    public final float eps;
    public final float weightDecay;
    public final float momentum;
    public final boolean centered;

    /** Per-parameter state: the running square average and optional buffers. */
    public static final class State {
        Tensor squareAvg;
        Tensor gradAvg;
        Tensor momentumBuffer;
    }

    public RMSprop(List<Parameter> params, float lr) {
        this(params, lr, 0.99f, 1e-8f, 0f, 0f, false);
    }

    public RMSprop(List<Parameter> params, float lr, float alpha, float eps, float weightDecay, float momentum,
                   boolean centered) {
        super(params, lr);
        checkRange("RMSprop", "alpha", alpha, 0f, Float.MAX_VALUE, true);
        checkRange("RMSprop", "epsilon", eps, 0f, Float.MAX_VALUE, true);
        checkRange("RMSprop", "momentum", momentum, 0f, Float.MAX_VALUE, true);
        checkRange("RMSprop", "weight_decay", weightDecay, 0f, Float.MAX_VALUE, true);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    @Override
    protected State newState(Parameter p) {
        State s = new State();
        s.squareAvg = Tensor.zerosLike(p);
        if (centered) {
            s.gradAvg = Tensor.zerosLike(p);
        }
        if (momentum > 0f) {
            s.momentumBuffer = Tensor.zerosLike(p);
        }
        return s;
    }

    @Override
    protected void update(Parameter p, Tensor grad, State s) {
        try (NoGrad ignored = GradMode.noGrad()) {
            Tensor data = p.data();
            Tensor g = weightDecay != 0f ? grad.add(data.mul(weightDecay)) : grad;
            s.squareAvg.mul_(alpha).add_(g.mul(g), 1f - alpha);
            Tensor avg;
            if (centered) {
                s.gradAvg.mul_(alpha).add_(g, 1f - alpha);
                avg = s.squareAvg.sub(s.gradAvg.mul(s.gradAvg)).sqrt().add(eps);
            } else {
                avg = s.squareAvg.sqrt().add(eps);
            }
            if (momentum > 0f) {
                s.momentumBuffer.mul_(momentum).add_(g.div(avg));
                data.add_(s.momentumBuffer, -lr);
            } else {
                data.add_(g.div(avg), -lr);
            }
        }
    }
}
