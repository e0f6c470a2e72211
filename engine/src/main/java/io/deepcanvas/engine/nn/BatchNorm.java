package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * Batch normalisation over the channel dimension; {@link BatchNorm1d} and {@link BatchNorm2d} only differ in the
 * input rank they accept ({@code torch.nn.BatchNorm1d/2d}).
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final float eps;
    public final float momentum;
    public final boolean affine;
    public final Parameter weight;
    public final Parameter bias;
    public final Tensor runningMean;
    public final Tensor runningVar;

    protected BatchNorm(int numFeatures, float eps, float momentum, boolean affine) {
        Layers.checkPositive(getClass().getSimpleName(), "num_features", numFeatures);
        if (!(eps > 0f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0, got " + eps);
        }
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must be in [0, 1], got "
                    + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.weight = registerParameter("weight", affine ? new Parameter(Tensor.ones(numFeatures)) : null);
        this.bias = registerParameter("bias", affine ? new Parameter(Tensor.zeros(numFeatures)) : null);
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
    }

    /** The input ranks this layer accepts, e.g. {2, 3} for BatchNorm1d. */
    protected abstract int[] acceptedRanks();

    @Override
    public Tensor forward(Tensor x) {
        boolean ok = false;
        for (int r : acceptedRanks()) {
            ok |= x.dim() == r;
        }
        if (!ok) {
            throw new IllegalArgumentException(moduleName() + " expects a " + describeRanks() + " input but got shape "
                    + x.shape() + (this instanceof BatchNorm1d && x.dim() == 4 ? ": use BatchNorm2d after a Conv2d"
                    : this instanceof BatchNorm2d && x.dim() == 2 ? ": use BatchNorm1d after a Linear" : ""));
        }
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }

    private String describeRanks() {
        int[] r = acceptedRanks();
        return r.length == 1 ? r[0] + "-D" : r[0] + "-D or " + r[1] + "-D";
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.py(eps) + ", momentum=" + Repr.py(momentum) + ", affine="
                + Repr.py(affine) + ", track_running_stats=True";
    }
}
