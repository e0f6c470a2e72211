package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.Softmax;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/**
 * {@code nn.Softmax(dim)}: turns scores into probabilities along {@code dim}, counted on the batched tensor as in
 * PyTorch (dim=1 is the classes of a [N, classes] output).
 */
public final class SoftmaxLayer extends LayerType {
    public SoftmaxLayer() {
        super("Softmax", "Softmax", Category.ACTIVATION, "softmax", "Turns scores into probabilities that sum to 1",
                ParamSpec.ofInt("dim", 1, null, null, "Dimension of the batched tensor to normalise (0 is the batch)"));
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        BatchedDim.normalize("dim", p.getInt("dim"), inputs.get(0), "use dim=1 to normalise each sample's values");
        return inputs.get(0);
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Softmax(p.getInt("dim"));
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn.Softmax").kw("dim", p.getInt("dim")).toString();
    }
}
