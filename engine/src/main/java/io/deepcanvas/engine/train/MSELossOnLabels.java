package io.deepcanvas.engine.train;

import io.deepcanvas.engine.nn.Functional;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.Reduction;
import io.deepcanvas.engine.tensor.Tensor;

/**
 * A project's {@code MSELoss} as DeepCanvas trains it: MNIST gives a class index per image and the network one
 * output per class, so the index is compared as a one-hot row, as PyTorch tutorials write it
 * ({@code F.mse_loss(out, F.one_hot(y, 10).float())}) and as the exported program's {@code targets_for} does.
 * Plain {@code nn.MSELoss} would fail at the first step on the shapes ([64, 10] against [64]). Targets already
 * shaped like the output are compared as they are.
 */
public final class MSELossOnLabels extends Loss {
    private final MSELoss mse = new MSELoss();

    public MSELossOnLabels() {
        super(Reduction.MEAN);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        boolean labels = input.dim() == 2 && target.dim() == 1 && target.size(0) == input.size(0);
        return mse.forward(input, labels ? Functional.oneHot(target, input.size(1)) : target);
    }

    @Override
    public String toString() {
        return "MSELoss()";
    }
}
