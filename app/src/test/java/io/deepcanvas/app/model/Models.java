package io.deepcanvas.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.project.Examples;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fixtures for the model tests: the ready-made layouts, small graphs, and frozen snapshots of a model. */
final class Models {
    private Models() {
    }

    /** A project from {@code layouts/} (surefire points {@code deepcanvas.layouts} there). */
    static Project layout(String fileName) {
        try {
            return ProjectFile.withLayerRegistry().load(Examples.folder().resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EditorModel loaded(String fileName) {
        EditorModel m = new EditorModel();
        m.load(layout(fileName), null);
        return m;
    }

    static EditorModel of(NetworkGraph g) {
        EditorModel m = new EditorModel();
        m.load(Project.of("test", g), null);
        return m;
    }

    /** Input of {@code shape} at the origin, then each (type, params) one STEP_X further right, wired in a chain. */
    @SafeVarargs
    static NetworkGraph chain(List<Integer> shape, Map.Entry<String, Map<String, ?>>... layers) {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", shape), EditorModel.ORIGIN_X, EditorModel.ORIGIN_Y);
        String prev = "input";
        for (int i = 0; i < layers.length; i++) {
            String id = "n" + (i + 1);
            g.add(id, layers[i].getKey(), layers[i].getValue(), EditorModel.ORIGIN_X + (i + 1) * EditorModel.STEP_X,
                    EditorModel.ORIGIN_Y);
            g.connect(prev, id);
            prev = id;
        }
        return g;
    }

    static Map.Entry<String, Map<String, ?>> layer(String type, Map<String, ?> params) {
        return Map.entry(type, params);
    }

    static Map.Entry<String, Map<String, ?>> layer(String type) {
        return Map.entry(type, Map.of());
    }

    /** The problems of {@code kind} at {@code nodeId}. */
    static List<Problem> problems(EditorModel m, String nodeId, Problem.Kind kind) {
        List<Problem> out = new ArrayList<>();
        for (Problem p : m.report().problemsAt(nodeId)) {
            if (p.kind() == kind) {
                out.add(p);
            }
        }
        return out;
    }

    static double x(EditorModel m, String id) {
        return m.graph().require(id).x();
    }

    static double y(EditorModel m, String id) {
        return m.graph().require(id).y();
    }

    /** Everything an edit can change, frozen. */
    record Snap(NetworkGraph graph, TrainingSettings training, int depth) {
        static Snap of(EditorModel m) {
            return new Snap(m.graph().copy(), m.training(), m.commands().size());
        }

        void assertMatches(EditorModel m, String when) {
            assertTrue(Graphs.sameGraph(graph, m.graph()), () -> when + ": graph differs\nexpected "
                    + describe(graph) + "\nactual   " + describe(m.graph()));
            assertEquals(training, m.training(), when + ": training settings differ");
            assertEquals(depth, m.commands().size(), when + ": undo depth differs");
        }
    }

    static String describe(NetworkGraph g) {
        StringBuilder sb = new StringBuilder();
        for (Node n : g.nodes()) {
            sb.append(n.id()).append('(').append(n.type()).append(" '").append(n.label()).append("' ")
                    .append(n.params()).append(" @").append(n.x()).append(',').append(n.y()).append(") ");
        }
        sb.append(g.edges());
        return sb.toString();
    }
}
