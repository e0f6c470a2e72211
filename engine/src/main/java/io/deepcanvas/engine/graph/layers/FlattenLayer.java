package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/**
 * {@code nn.Flatten(start_dim, end_dim)}: merges dimensions into one, by default every dimension but the batch, as
 * before the first Linear. The dims count on the batched tensor, as in PyTorch.
 */
public final class FlattenLayer extends LayerType {
    public FlattenLayer() {
        super("Flatten", "Flatten", Category.RESHAPE, "flatten", "Turns an image into a flat vector of features",
                ParamSpec.ofInt("start_dim", 1, null, null, "First dimension to merge (0 is the batch)"),
                ParamSpec.ofInt("end_dim", -1, null, null, "Last dimension to merge; -1 is the last"));
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape in = inputs.get(0);
        String fix = "use 1 so each sample stays separate";
        int s = BatchedDim.normalize("start_dim", p.getInt("start_dim"), in, fix);
        int e = BatchedDim.normalize("end_dim", p.getInt("end_dim"), in, fix);
        if (s > e) {
            throw new ShapeError("start_dim=" + p.getInt("start_dim") + " comes after end_dim=" + p.getInt("end_dim")
                    + " for the batched input " + BatchedDim.batched(in) + ": swap them");
        }
        // sample dims are batched dims minus one
        int[] dims = in.toArray();
        int[] out = new int[dims.length - (e - s)];
        int j = 0;
        for (int i = 0; i < s - 1; i++) {
            out[j++] = dims[i];
        }
        int prod = 1;
        for (int i = s - 1; i <= e - 1; i++) {
            prod *= dims[i];
        }
        out[j++] = prod;
        for (int i = e; i < dims.length; i++) {
            out[j++] = dims[i];
        }
        return Shape.of(out);
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Flatten(p.getInt("start_dim"), p.getInt("end_dim"));
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn.Flatten").kwIfSet(p, "start_dim").kwIfSet(p, "end_dim").toString();
    }
}
