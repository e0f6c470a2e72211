package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.backend.Pool2dGeometry;
import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** What MaxPool2d and AvgPool2d share: the same parameters and the same shape rule. */
abstract class Pool2dLayer extends LayerType {
    Pool2dLayer(String name, String icon, String description) {
        super(name, name, Category.POOLING, icon, description,
                ParamSpec.ofIntPair("kernel_size", 2, 1, "Window size: one number or [height, width]"),
                ParamSpec.ofIntPair("stride", null, 1, "Step between windows; empty means kernel_size"),
                ParamSpec.ofIntPair("padding", 0, 0, "Padding on each side, at most half the kernel"),
                ParamSpec.ofBool("ceil_mode", false, "Round the output size up instead of down"));
    }

    /** The stride, which PyTorch defaults to the kernel size. */
    static int[] stride(LayerParams p) {
        int[] s = p.getPair("stride");
        return s != null ? s : p.getPair("kernel_size");
    }

    @Override
    public final Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape in = requireImage(inputs.get(0));
        int[] k = p.getPair("kernel_size"), s = stride(p), pad = p.getPair("padding");
        if (pad[0] * 2 > k[0] || pad[1] * 2 > k[1]) {
            throw new ShapeError("padding " + PyCall.literal(p.get("padding")) + " must be at most half of "
                    + "kernel_size " + PyCall.literal(p.get("kernel_size")) + ": lower padding or enlarge the kernel");
        }
        int padH = in.dim(1) + 2 * pad[0], padW = in.dim(2) + 2 * pad[1];
        if (k[0] > padH || k[1] > padW) {
            throw new ShapeError(0, "kernel " + k[0] + "x" + k[1] + " is larger than its input " + padH + "x" + padW
                    + " (input " + show(in) + "): use a smaller kernel_size or remove an earlier pooling layer");
        }
        // the engine's own geometry, so ceil_mode rounds exactly as the kernels (and PyTorch) do
        Pool2dGeometry g = new Pool2dGeometry(in.dim(0), in.dim(1), in.dim(2), k[0], k[1], s[0], s[1], pad[0], pad[1],
                p.getBool("ceil_mode"));
        return Shape.of(in.dim(0), g.outH(), g.outW());
    }

    @Override
    public final String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn." + name()).kw("kernel_size", p.get("kernel_size")).kwIfSet(p, "stride")
                .kwIfSet(p, "padding").kwIfSet(p, "ceil_mode").toString();
    }
}
