package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Max pooling ({@code torch.nn.MaxPool2d}); the stride defaults to the kernel size. */
public final class MaxPool2d extends Pool2d {
    public MaxPool2d(int kernelSize) {
        this(Layers.pair(kernelSize), Layers.pair(kernelSize), Layers.pair(0), false);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(Layers.pair(kernelSize), Layers.pair(stride), Layers.pair(0), false);
    }

    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode) {
        super(kernelSize, stride, padding, ceilMode);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, kernelSize, stride, padding, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return windowRepr() + ", dilation=1, ceil_mode=" + Repr.py(ceilMode);
    }
}
