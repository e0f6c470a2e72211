package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.AvgPool2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** Average pooling ({@code nn.AvgPool2d}): the mean of each window, padding counted in the divisor. */
public final class AvgPool2dLayer extends Pool2dLayer {
    public AvgPool2dLayer() {
        super("AvgPool2d", "avgpool2d", "Averages each window, shrinking the image");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new AvgPool2d(p.getPair("kernel_size"), stride(p), p.getPair("padding"), p.getBool("ceil_mode"));
    }
}
