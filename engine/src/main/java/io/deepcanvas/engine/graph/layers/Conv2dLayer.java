package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/** 2-D convolution ({@code nn.Conv2d}); in_channels comes from the input's channels. */
public final class Conv2dLayer extends LayerType {
    public Conv2dLayer() {
        super("Conv2d", "Conv2d", Category.CONVOLUTION, "conv2d", "Slides learned filters over an image",
                ParamSpec.ofInt("out_channels", 8, 1, null, "Number of filters, i.e. output channels"),
                ParamSpec.ofIntPair("kernel_size", 3, 1, "Filter size: one number or [height, width]"),
                ParamSpec.ofIntPair("stride", 1, 1, "Step between filter positions"),
                ParamSpec.ofIntPair("padding", 0, 0, "Zeros added on each side of the input"),
                ParamSpec.ofIntPair("dilation", 1, 1, "Spacing between filter taps"),
                ParamSpec.ofInt("groups", 1, 1, null, "Split channels into groups convolved separately"),
                ParamSpec.ofBool("bias", true, "Learn an additive bias per output channel"));
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape in = requireImage(inputs.get(0));
        int inC = in.dim(0), outC = p.getInt("out_channels"), groups = p.getInt("groups");
        if (inC % groups != 0 || outC % groups != 0) {
            throw new ShapeError("groups=" + groups + " must divide in_channels (" + inC + ", from the input) and "
                    + "out_channels (" + outC + "): use groups from " + commonDivisors(inC, outC));
        }
        int[] k = p.getPair("kernel_size"), s = p.getPair("stride"), pad = p.getPair("padding");
        int[] d = p.getPair("dilation");
        int effH = d[0] * (k[0] - 1) + 1, effW = d[1] * (k[1] - 1) + 1;
        int padH = in.dim(1) + 2 * pad[0], padW = in.dim(2) + 2 * pad[1];
        if (effH > padH || effW > padW) {
            throw new ShapeError(0, "kernel " + effH + "x" + effW + " is larger than its "
                    + (pad[0] + pad[1] > 0 ? "padded " : "") + "input " + padH + "x" + padW + " (input " + show(in)
                    + "): use a smaller kernel_size, add padding, or remove a pooling layer before it");
        }
        return Shape.of(outC, (padH - effH) / s[0] + 1, (padW - effW) / s[1] + 1);
    }

    private static String commonDivisors(int a, int b) {
        List<String> out = new ArrayList<>();
        for (int g = 1; g <= Math.min(a, b); g++) {
            if (a % g == 0 && b % g == 0) {
                out.add(Integer.toString(g));
            }
        }
        return String.join(", ", out);
    }

    @Override
    public long parameterCount(LayerParams p, List<Shape> inputs) {
        int[] k = p.getPair("kernel_size");
        long outC = p.getInt("out_channels");
        long weights = outC * (inputs.get(0).dim(0) / p.getInt("groups")) * k[0] * k[1];
        return weights + (p.getBool("bias") ? outC : 0);
    }

    @Override
    public long macs(LayerParams p, List<Shape> inputs, Shape output) {
        int[] k = p.getPair("kernel_size");
        return (long) output.numel() * (inputs.get(0).dim(0) / p.getInt("groups")) * k[0] * k[1];
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Conv2d(inputs.get(0).dim(0), p.getInt("out_channels"), p.getPair("kernel_size"),
                p.getPair("stride"), p.getPair("padding"), p.getPair("dilation"), p.getInt("groups"),
                p.getBool("bias"));
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn.Conv2d").arg(inputs.get(0).dim(0)).arg(p.getInt("out_channels"))
                .kw("kernel_size", p.get("kernel_size")).kwIfSet(p, "stride").kwIfSet(p, "padding")
                .kwIfSet(p, "dilation").kwIfSet(p, "groups").kwIfSet(p, "bias").toString();
    }
}
