package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/**
 * Fully connected layer ({@code nn.Linear}); in_features is the input's length, so the classic {@code 16 * 5 * 5}
 * mistake cannot happen. It takes a flat vector: an image must pass a Flatten first.
 */
public final class LinearLayer extends LayerType {
    public LinearLayer() {
        super("Linear", "Linear", Category.LINEAR, "linear", "Connects every input feature to every output",
                ParamSpec.ofInt("out_features", 10, 1, null, "Number of outputs"),
                ParamSpec.ofBool("bias", true, "Learn an additive bias per output"));
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape in = inputs.get(0);
        if (in.rank() != 1) {
            // PyTorch would apply it to the last dimension only; in a drawn network that is almost always a mistake
            throw new ShapeError(0, "expects a flat vector of features but receives " + show(in) + " ("
                    + in.rank() + "-D): insert Flatten before '" + p.nodeId() + "'");
        }
        return Shape.of(p.getInt("out_features"));
    }

    @Override
    public long parameterCount(LayerParams p, List<Shape> inputs) {
        long in = inputs.get(0).dim(0), out = p.getInt("out_features");
        return in * out + (p.getBool("bias") ? out : 0);
    }

    @Override
    public long macs(LayerParams p, List<Shape> inputs, Shape output) {
        return (long) inputs.get(0).dim(0) * p.getInt("out_features");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Linear(inputs.get(0).dim(0), p.getInt("out_features"), p.getBool("bias"));
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn.Linear").arg(inputs.get(0).dim(0)).arg(p.getInt("out_features")).kwIfSet(p, "bias")
                .toString();
    }
}
