package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/**
 * What Add and Concat share: two or more inputs, and no module of their own, because in PyTorch a merge is an
 * expression in {@code forward} ({@code a + b}, {@code torch.cat}), not a layer in {@code __init__}.
 */
abstract class MergeLayer extends LayerType {
    MergeLayer(String name, String icon, String description, ParamSpec... params) {
        super(name, name, Category.MERGE, icon, description, params);
    }

    @Override
    public final int minInputs() {
        return 2;
    }

    @Override
    public final int maxInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public final Module createModule(LayerParams p, List<Shape> inputs) {
        return null;
    }

    @Override
    public final String pytorchModule(LayerParams p, List<Shape> inputs) {
        return null;
    }
}
