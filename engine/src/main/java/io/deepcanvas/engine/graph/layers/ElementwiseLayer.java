package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** A layer that works element by element, so its output has its input's shape (activations, dropout). */
abstract class ElementwiseLayer extends LayerType {
    ElementwiseLayer(String name, Category category, String icon, String description, ParamSpec... params) {
        super(name, name, category, icon, description, params);
    }

    @Override
    public final Shape outputShape(LayerParams p, List<Shape> inputs) {
        return inputs.get(0);
    }
}
