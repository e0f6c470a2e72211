package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;

/**
 * Element-wise sum of two or more inputs of equal shape, as in a residual connection ({@code a + b} in PyTorch's
 * forward). Unlike PyTorch's {@code +} it does not broadcast: in a drawn network unequal shapes are a wiring mistake.
 */
public final class AddLayer extends MergeLayer {
    public AddLayer() {
        super("Add", "add", "Adds its inputs element by element (residual connection)");
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        Shape first = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            if (!inputs.get(i).equals(first)) {
                throw new ShapeError(i, "input " + i + " has shape " + show(inputs.get(i)) + " but input 0 has "
                        + show(first) + ": Add needs equal shapes; change the layers before input " + i
                        + " so it also gives " + show(first));
            }
        }
        return first;
    }

    @Override
    public Tensor forward(Module module, LayerParams p, List<Tensor> inputs) {
        Tensor sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            sum = sum.add(inputs.get(i));
        }
        return sum;
    }

    @Override
    public String pytorchForward(LayerParams p, String self, List<String> inputs) {
        return String.join(" + ", inputs);
    }
}
