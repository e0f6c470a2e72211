package io.deepcanvas.app.model;

import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.io.TrainingSettings;

/**
 * Everything an edit can change, frozen: the graph (a private copy, never handed out for mutation) and the training
 * settings. Undo and redo put one of these back, so they restore positions, edges and settings exactly.
 */
record EditorState(NetworkGraph graph, TrainingSettings training) {
    static EditorState of(NetworkGraph graph, TrainingSettings training) {
        return new EditorState(graph.copy(), training);
    }

    /** A graph the model may own and mutate; the snapshot itself stays untouched. */
    NetworkGraph graphCopy() {
        return graph.copy();
    }

    /** Whether {@code other} holds the same nodes (ids, types, labels, params, positions), edges and settings. */
    boolean sameAs(EditorState other) {
        return training.equals(other.training) && Graphs.sameGraph(graph, other.graph);
    }
}
