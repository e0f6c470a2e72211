package io.deepcanvas.engine.graph;

/**
 * A wire from the output of node {@code from} into input port {@code toPort} of node {@code to}. Single-input
 * layers use port 0; {@code Add} and {@code Concat} take ports 0, 1, ... in order.
 */
public record Edge(String from, String to, int toPort) {
    public Edge {
        if (from == null || to == null) {
            throw new IllegalArgumentException("an edge needs both ends, got from=" + from + " to=" + to);
        }
        if (toPort < 0) {
            throw new IllegalArgumentException("edge " + from + " -> " + to + ": input port must be >= 0, got "
                    + toPort);
        }
    }

    public Edge(String from, String to) {
        this(from, to, 0);
    }
}
