package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** 2-D convolution layer ({@code torch.nn.Conv2d}); weight [out, in/groups, kH, kW]. */
public final class Conv2d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final int[] dilation;
    public final int groups;
    public final Parameter weight;
    public final Parameter bias;

    /** Conv2d(in, out, kernel_size) with stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, Layers.pair(kernelSize), Layers.pair(1), Layers.pair(0), Layers.pair(1), 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, Layers.pair(kernelSize), Layers.pair(stride), Layers.pair(padding),
                Layers.pair(1), 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias) {
        Layers.checkPositive("Conv2d", "in_channels", inChannels);
        Layers.checkPositive("Conv2d", "out_channels", outChannels);
        Layers.checkPositive("Conv2d", "groups", groups);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in_channels=" + inChannels
                    + " and out_channels=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = Layers.checkPair("Conv2d", "kernel_size", kernelSize, 1);
        this.stride = Layers.checkPair("Conv2d", "stride", stride, 1);
        this.padding = Layers.checkPair("Conv2d", "padding", padding, 0);
        this.dilation = Layers.checkPair("Conv2d", "dilation", dilation, 1);
        this.groups = groups;
        this.weight = registerParameter("weight", new Parameter(Tensor.zeros(outChannels, inChannels / groups,
                this.kernelSize[0], this.kernelSize[1])));
        this.bias = registerParameter("bias", bias ? new Parameter(Tensor.zeros(outChannels)) : null);
        resetParameters();
    }

    /** PyTorch's default: weight and bias uniform in ±1/sqrt(in/groups·kH·kW). */
    public void resetParameters() {
        Init.kaimingUniform(weight, Math.sqrt(5));
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(Init.fanIn(weight)));
            Init.uniform(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(inChannels + ", " + outChannels + ", kernel_size=" + Repr.tuple(kernelSize)
                + ", stride=" + Repr.tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(Repr.tuple(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(Repr.tuple(dilation));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
