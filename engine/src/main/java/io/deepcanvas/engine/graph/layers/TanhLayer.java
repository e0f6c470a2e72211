package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.Tanh;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** The {@code nn.Tanh} activation. */
public final class TanhLayer extends ElementwiseLayer {
    public TanhLayer() {
        super("Tanh", Category.ACTIVATION, "tanh", "Squashes values into (-1, 1)");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new Tanh();
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return "nn.Tanh()";
    }
}
