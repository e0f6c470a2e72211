package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** The negative log-likelihood of log-probabilities at class targets ({@code torch.nn.NLLLoss}). */
public final class NLLLoss extends Loss {
    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.nllLoss(input, target, reduction);
    }
}
