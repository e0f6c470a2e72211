package io.deepcanvas.engine.graph;

/**
 * One thing that keeps a graph from being a runnable network, tied to the node (and input port) it is about so the
 * editor can mark it. The message names the node, the value and the fix:
 * {@code Conv2d 'conv1': kernel_size must be >= 1, got 0}.
 *
 * @param nodeId the node it is about, or null for the graph as a whole (no Input node)
 * @param port the input port it is about, or -1 for the node itself
 */
public record Problem(Kind kind, String nodeId, int port, String message) {

    /** What sort of problem it is, so the editor can pick an icon and tests can ask for it. */
    public enum Kind {
        /** The node's type name is not in {@link LayerTypes}. */
        UNKNOWN_LAYER_TYPE,
        /** A parameter has the wrong type, is out of range, or is not one of the layer's parameters. */
        INVALID_PARAMETER,
        /** The node's inputs do not fit its shape rule (kernel larger than its input, Linear without Flatten...). */
        SHAPE_MISMATCH,
        /** The node lies on a cycle. */
        CYCLE,
        /** The node cannot be reached from the Input node. */
        NOT_CONNECTED,
        /** The graph has no Input node. */
        NO_INPUT_NODE,
        /** A second Input node. */
        EXTRA_INPUT_NODE,
        /** An input port the layer needs has no edge. */
        MISSING_INPUT_EDGE,
        /** An edge into a port the layer does not have. */
        EXTRA_INPUT_EDGE,
        /** The node's output is used by nothing, while the network's output is another node. */
        DEAD_END,
        /** The label cannot name parameters and Python attributes (not an identifier, or used twice). */
        INVALID_LABEL,
        /** The network's output does not have one value per class of the data set (10 for MNIST). */
        CLASS_COUNT
    }

    /** A problem with the node itself rather than one of its ports. */
    public static Problem atNode(Kind kind, String nodeId, String message) {
        return new Problem(kind, nodeId, -1, message);
    }

    @Override
    public String toString() {
        return message;
    }
}
