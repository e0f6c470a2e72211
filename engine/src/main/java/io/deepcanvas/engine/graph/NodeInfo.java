package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.tensor.Shape;
import java.util.List;

/**
 * What shape inference learned about one valid node: its type and resolved parameters, the shapes in and out
 * (without the batch dimension), its learnable parameter count and multiply-accumulates per sample. A snapshot:
 * later edits of the graph do not change it.
 *
 * @param label the node's label when inferred: its module's attribute name ({@code conv1})
 * @param inputs the ids of the nodes feeding ports 0, 1, ...
 */
public record NodeInfo(String id, String label, LayerType type, LayerParams params, List<String> inputs,
                       List<Shape> inputShapes, Shape outputShape, long parameters, long macs) {
    public NodeInfo {
        inputs = List.copyOf(inputs);
        inputShapes = List.copyOf(inputShapes);
    }
}
