package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** The log_softmax then negative log-likelihood of class targets ({@code torch.nn.CrossEntropyLoss}). */
public final class CrossEntropyLoss extends Loss {
    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    public CrossEntropyLoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.crossEntropy(input, target, reduction);
    }
}
