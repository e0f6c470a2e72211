package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.BatchNorm2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** {@code nn.BatchNorm2d}: normalises each channel of [channels, height, width] samples over the batch. */
public final class BatchNorm2dLayer extends BatchNormLayer {
    public BatchNorm2dLayer() {
        super("BatchNorm2d", "batchnorm2d", "Normalises each channel over the batch, after a Conv2d");
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 3;
    }

    @Override
    String fixFor(Shape in) {
        return "BatchNorm2d takes images [channels, height, width]" + (in.rank() < 3 ? "; after a Linear use "
                + "BatchNorm1d" : "");
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new BatchNorm2d(inputs.get(0).dim(0), (float) p.getFloat("eps"), (float) p.getFloat("momentum"), true);
    }
}
