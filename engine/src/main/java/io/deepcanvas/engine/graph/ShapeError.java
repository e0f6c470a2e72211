package io.deepcanvas.engine.graph;

/**
 * Thrown by a {@link LayerType}'s shape rule when its inputs do not fit: the message says what is wrong and how to
 * fix it, {@link #port()} says which input (or -1 for the node as a whole). {@link ShapeInference} turns it into a
 * {@link Problem}; it carries no stack trace because it is an expected outcome of editing, not a bug.
 */
public final class ShapeError extends RuntimeException {
    private final int port;

    public ShapeError(int port, String message) {
        super(message, null, false, false);
        this.port = port;
    }

    public ShapeError(String message) {
        this(-1, message);
    }

    /** The input port the problem is on, or -1 when it is about the node itself. */
    public int port() {
        return port;
    }
}
