package io.deepcanvas.engine.nn;

/** The window hyperparameters shared by {@link MaxPool2d} and {@link AvgPool2d}, checked once here. */
public abstract class Pool2d extends Module {
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final boolean ceilMode;

    /** A null stride means "the kernel size", PyTorch's default. */
    protected Pool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode) {
        String layer = getClass().getSimpleName();
        this.kernelSize = Layers.checkPair(layer, "kernel_size", kernelSize, 1);
        this.stride = Layers.checkPair(layer, "stride", stride == null ? kernelSize : stride, 1);
        this.padding = Layers.checkPair(layer, "padding", padding, 0);
        this.ceilMode = ceilMode;
        if (padding[0] * 2 > kernelSize[0] || padding[1] * 2 > kernelSize[1]) {
            throw new IllegalArgumentException(layer + ": padding " + Repr.tuple(padding)
                    + " must be at most half of kernel_size " + Repr.tuple(kernelSize));
        }
    }

    /** {@code kernel_size=2, stride=2, padding=0} as PyTorch prints it. */
    protected String windowRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding);
    }
}
