package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.Sigmoid;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** The {@code nn.Sigmoid} activation. */
public final class SigmoidLayer extends ElementwiseLayer {
    public SigmoidLayer() {
        super("Sigmoid", Category.ACTIVATION, "sigmoid", "Squashes values into (0, 1): 1 / (1 + exp(-x))");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Sigmoid();
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return "nn.Sigmoid()";
    }
}
