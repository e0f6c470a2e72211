package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.PyCall;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/** What BatchNorm1d and BatchNorm2d share: num_features is the input's channel count (dimension 0 of a sample). */
abstract class BatchNormLayer extends LayerType {
    BatchNormLayer(String name, String icon, String description) {
        super(name, name, Category.NORMALIZATION, icon, description,
                ParamSpec.ofFloat("eps", 1e-5, 0.0, null, "Added to the variance for stability").withMinExclusive(),
                ParamSpec.ofFloat("momentum", 0.1, 0.0, 1.0, "How fast the running statistics follow the batches"));
    }

    /** Whether a sample of this rank is accepted. */
    abstract boolean acceptsRank(int rank);

    /** Which layer to use instead, for a sample of this rank. */
    abstract String fixFor(Shape in);

    @Override
    public final Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape in = inputs.get(0);
        if (!acceptsRank(in.rank())) {
            throw new ShapeError(0, "does not fit its input " + show(in) + ": " + fixFor(in));
        }
        return in;
    }

    @Override
    public final long parameterCount(LayerParams p, List<Shape> inputs) {
        return 2L * inputs.get(0).dim(0);
    }

    @Override
    public final String pytorchModule(LayerParams p, List<Shape> inputs) {
        return new PyCall("nn." + name()).arg(inputs.get(0).dim(0)).kwIfSet(p, "eps").kwIfSet(p, "momentum")
                .toString();
    }
}
