package io.deepcanvas.engine.nn;

/** Batch normalisation of [batch, channels, h, w] per channel ({@code torch.nn.BatchNorm2d}). */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected int[] acceptedRanks() {
        return new int[] {4};
    }
}
