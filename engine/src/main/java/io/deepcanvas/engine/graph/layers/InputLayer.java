package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/**
 * Where the batch enters the network: {@code shape} is one sample's shape without the batch dimension
 * ({@code [1, 28, 28]} for MNIST, {@code [1, 32, 32]} after padding by 2). In PyTorch it is the {@code x} argument
 * of {@code forward}.
 */
public final class InputLayer extends LayerType {
    public InputLayer() {
        super("Input", "Input", Category.INPUT, "input", "The data entering the network, one sample's shape",
                ParamSpec.ofChoice("dataset", "mnist", List.of("mnist"), "The dataset the samples come from"),
                ParamSpec.ofIntList("shape", List.of(1, 28, 28), 1,
                        "One sample's shape without the batch: [channels, height, width] or [features]"));
    }

    @Override
    public int minInputs() {
        return 0;
    }

    @Override
    public int maxInputs() {
        return 0;
    }

    @Override
    public boolean isInput() {
        return true;
    }

    @Override
    public Shape outputShape(LayerParams p, List<Shape> inputs) {
        int[] shape = p.getIntList("shape");
        if (shape.length < 1 || shape.length > 3) {
            throw new ShapeError("shape must have 1 to 3 dimensions ([channels, height, width] for images, "
                    + "[features] for vectors), got " + java.util.Arrays.toString(shape));
        }
        return Shape.of(shape);
    }

    @Override
    public Module createModule(LayerParams p, List<Shape> inputs) {
        return null;
    }

    @Override
    public String pytorchModule(LayerParams p, List<Shape> inputs) {
        return null;
    }

    @Override
    public String pytorchForward(LayerParams p, String self, List<String> inputs) {
        return "x";
    }
}
