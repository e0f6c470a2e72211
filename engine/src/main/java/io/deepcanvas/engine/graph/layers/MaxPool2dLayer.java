package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.MaxPool2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** Max pooling ({@code nn.MaxPool2d}): keeps the largest value of each window. */
public final class MaxPool2dLayer extends Pool2dLayer {
    public MaxPool2dLayer() {
        super("MaxPool2d", "maxpool2d", "Keeps the largest value in each window, shrinking the image");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new MaxPool2d(p.getPair("kernel_size"), stride(p), p.getPair("padding"), p.getBool("ceil_mode"));
    }
}
