package io.deepcanvas.engine.graph;

/**
 * Turns a valid {@link NetworkGraph} into a runnable {@link GraphModule}, the way one writes an {@code nn.Module}
 * by hand from a drawing: one child module per layer, named by its label, and a forward that follows the edges.
 */
public final class GraphCompiler {
    private GraphCompiler() {
    }

    /** Compiles {@code graph} into a module printed as {@code GraphModule(...)}. */
    public static GraphModule compile(NetworkGraph graph) {
        return compile(graph, "GraphModule");
    }

    /**
     * Compiles {@code graph} into a module printed under {@code name} (the project's name); throws
     * {@link InvalidGraphException} listing every problem if the graph is not a valid network.
     */
    public static GraphModule compile(NetworkGraph graph, String name) {
        return compile(ShapeInference.infer(graph), name);
    }

    /** Compiles from a report the editor already has, without inferring again. */
    public static GraphModule compile(ShapeReport report, String name) {
        if (!report.compiles()) {
            throw new InvalidGraphException(report.problems());
        }
        return new GraphModule(name, report);
    }
}
