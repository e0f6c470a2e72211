package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.nn.BatchNorm1d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** {@code nn.BatchNorm1d}: normalises each feature of [features] or [channels, length] samples over the batch. */
public final class BatchNorm1dLayer extends BatchNormLayer {
    public BatchNorm1dLayer() {
        super("BatchNorm1d", "batchnorm1d", "Normalises each feature over the batch, after a Linear");
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 1 || rank == 2;
    }

    @Override
    String fixFor(Shape in) {
        return "BatchNorm1d takes [features] or [channels, length]; after a Conv2d use BatchNorm2d";
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return new BatchNorm1d(inputs.get(0).dim(0), (float) p.getFloat("eps"), (float) p.getFloat("momentum"), true);
    }
}
