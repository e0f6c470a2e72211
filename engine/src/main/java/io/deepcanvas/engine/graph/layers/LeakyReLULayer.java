package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.nn.LeakyReLU;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** The {@code nn.LeakyReLU} activation: x if x > 0 else negative_slope·x. */
public final class LeakyReLULayer extends ElementwiseLayer {
    public LeakyReLULayer() {
        super("LeakyReLU", Category.ACTIVATION, "leakyrelu", "Like ReLU but lets a small slope through for x < 0",
                ParamSpec.ofFloat("negative_slope", 0.01, null, null, "Slope for negative inputs"));
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new LeakyReLU((float) p.getFloat("negative_slope"));
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn.LeakyReLU").kwIfSet(p, "negative_slope").toString();
    }
}
