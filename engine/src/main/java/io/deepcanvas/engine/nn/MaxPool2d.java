package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Max pooling ({@code torch.nn.MaxPool2d}); the stride defaults to the kernel size. */
public final class MaxPool2d extends Module {
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(Layers.pair(kernelSize), Layers.pair(kernelSize), Layers.pair(0), false);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(Layers.pair(kernelSize), Layers.pair(stride), Layers.pair(0), false);
    }

    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode) {
        this.kernelSize = Layers.checkPair("MaxPool2d", "kernel_size", kernelSize, 1);
        this.stride = Layers.checkPair("MaxPool2d", "stride", stride == null ? kernelSize : stride, 1);
        this.padding = Layers.checkPair("MaxPool2d", "padding", padding, 0);
        this.ceilMode = ceilMode;
        if (padding[0] * 2 > kernelSize[0] || padding[1] * 2 > kernelSize[1]) {
            throw new IllegalArgumentException("MaxPool2d: padding " + Repr.tuple(padding)
                    + " must be at most half of kernel_size " + Repr.tuple(kernelSize));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, kernelSize, stride, padding, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding) + ", dilation=1, ceil_mode=" + Repr.py(ceilMode);
    }
}
