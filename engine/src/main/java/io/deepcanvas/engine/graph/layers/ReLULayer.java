package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** The {@code nn.ReLU} activation. */
public final class ReLULayer extends ElementwiseLayer {
    public ReLULayer() {
        super("ReLU", Category.ACTIVATION, "relu", "Keeps positive values, zeroes negative ones: max(0, x)");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new ReLU();
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return "nn.ReLU()";
    }
}
