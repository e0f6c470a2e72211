package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.nn.Dropout;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** {@code nn.Dropout}: zeroes random elements with probability p while training, nothing in evaluation. */
public final class DropoutLayer extends ElementwiseLayer {
    public DropoutLayer() {
        super("Dropout", Category.REGULARIZATION, "dropout", "Randomly zeroes values while training",
                ParamSpec.ofFloat("p", 0.5, 0.0, 1.0, "Probability of zeroing each value"));
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Dropout((float) p.getFloat("p"));
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn.Dropout").kw("p", p.get("p")).toString();
    }
}
