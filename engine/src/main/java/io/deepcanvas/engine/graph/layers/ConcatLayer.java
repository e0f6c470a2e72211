package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;

/**
 * Joins two or more inputs along {@code dim} ({@code torch.cat}). Unlike Softmax and Flatten, {@code dim} counts in
 * the sample's shape: 0 is the channels of an image, so the exported code is {@code torch.cat([a, b], dim=1)}.
 */
public final class ConcatLayer extends MergeLayer {
    public ConcatLayer() {
        super("Concat", "concat", "Joins its inputs side by side, e.g. stacking channels",
                ParamSpec.ofInt("dim", 0, null, null, "Sample dimension to join along: 0 is the channels"));
    }

    /** {@code dim} as an index into the sample shape. */
    private static int sampleDim(LayerParams p, Shape first) {
        int dim = p.getInt("dim"), rank = first.rank();
        if (dim < -rank || dim >= rank) {
            throw new ShapeError("dim=" + dim + " is out of range for inputs of shape " + show(first) + ": use a value "
                    + "from " + (-rank) + " to " + (rank - 1) + " (0 is the channels)");
        }
        return dim < 0 ? dim + rank : dim;
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape first = inputs.get(0);
        int d = sampleDim(p, first);
        int total = first.dim(d);
        for (int i = 1; i < inputs.size(); i++) {
            Shape s = inputs.get(i);
            boolean fits = s.rank() == first.rank();
            for (int k = 0; fits && k < s.rank(); k++) {
                fits = k == d || s.dim(k) == first.dim(k);
            }
            if (!fits) {
                throw new ShapeError(i, "input " + i + " has shape " + show(s) + " but input 0 has " + show(first)
                        + ": Concat along dim=" + p.getInt("dim") + " needs the other dimensions equal; change the "
                        + "layers before input " + i + " or pick another dim");
            }
            total += s.dim(d);
        }
        return first.with(d, total);
    }

    @Override
    public Tensor forward(Module module, LayerParams p, List<Tensor> inputs) {
        // +1: the tensors carry the batch in front of the sample dimensions
        int d = sampleDim(p, inputs.get(0).shape().without(0));
        return Tensor.cat(d + 1, inputs.toArray(new Tensor[0]));
    }

    @Override
    public String pytorchForward(LayerParams p, String self, List<String> inputs) {
        // the sample rank is not known here, but a negative dim means the same on the batched tensor
        int dim = p.getInt("dim");
        return "torch.cat([" + String.join(", ", inputs) + "], dim=" + (dim < 0 ? dim : dim + 1) + ")";
    }
}
