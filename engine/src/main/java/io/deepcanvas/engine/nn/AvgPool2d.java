package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Average pooling ({@code torch.nn.AvgPool2d}); padding counts in the divisor, as PyTorch's default. */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(int kernelSize) {
        this(Layers.pair(kernelSize), Layers.pair(kernelSize), Layers.pair(0), false);
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(Layers.pair(kernelSize), Layers.pair(stride), Layers.pair(0), false);
    }

    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode) {
        super(kernelSize, stride, padding, ceilMode);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernelSize, stride, padding, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return windowRepr();
    }
}
