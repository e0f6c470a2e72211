package io.deepcanvas.engine.nn;

/** Batch normalisation of [batch, features] or [batch, features, length] ({@code torch.nn.BatchNorm1d}). */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected int[] acceptedRanks() {
        return new int[] {2, 3};
    }
}
