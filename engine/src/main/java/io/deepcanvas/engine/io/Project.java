package io.deepcanvas.engine.io;

import io.deepcanvas.engine.graph.NetworkGraph;
import java.util.Objects;

/**
 * Everything a project file holds: the network as drawn, how to train it, where the canvas was looking, and the
 * name of the {@code .safetensors} file beside it with trained weights ({@code null} when untrained).
 */
public record Project(String name, NetworkGraph graph, TrainingSettings training, ViewState view, String weights) {
    public Project {
        Objects.requireNonNull(name, "a project needs a name");
        Objects.requireNonNull(graph, "a project needs a graph (it may be empty)");
        Objects.requireNonNull(training, "a project needs training settings: use TrainingSettings.defaults()");
        Objects.requireNonNull(view, "a project needs a view state: use ViewState.DEFAULT");
        if (weights != null && weights.isBlank()) {
            throw new IllegalArgumentException("weights file name is blank: pass null when there are no weights");
        }
    }

    /** A new project with default training settings, the default view and no weights. */
    public static Project of(String name, NetworkGraph graph) {
        return new Project(name, graph, TrainingSettings.defaults(), ViewState.DEFAULT, null);
    }

    public Project withTraining(TrainingSettings training) {
        return new Project(name, graph, training, view, weights);
    }

    public Project withView(ViewState view) {
        return new Project(name, graph, training, view, weights);
    }

    public Project withWeights(String weights) {
        return new Project(name, graph, training, view, weights);
    }
}
