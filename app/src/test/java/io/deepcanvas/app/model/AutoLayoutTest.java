package io.deepcanvas.app.model;

import static io.deepcanvas.app.model.EditorModel.ORIGIN_X;
import static io.deepcanvas.app.model.EditorModel.ORIGIN_Y;
import static io.deepcanvas.app.model.EditorModel.STEP_X;
import static io.deepcanvas.app.model.EditorModel.STEP_Y;
import static io.deepcanvas.app.model.Models.chain;
import static io.deepcanvas.app.model.Models.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.ShapeInference;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutoLayoutTest {
    private static void layout(NetworkGraph g) {
        AutoLayout.apply(g, ShapeInference.infer(g), ORIGIN_X, ORIGIN_Y, STEP_X, STEP_Y);
    }

    private static void scatter(NetworkGraph g) {
        int i = 0;
        for (Node n : g.nodes()) {
            n.moveTo(997 - 131 * i, -50 + 77 * (i % 3));
            i++;
        }
    }

    @Test
    void aChainLiesOnOneRowLeftToRightAtStepSpacing() {
        NetworkGraph g = chain(List.of(1, 28, 28), layer("Conv2d"), layer("ReLU"), layer("Flatten"),
                layer("Linear"));
        scatter(g);
        layout(g);
        List<String> order = List.of("input", "n1", "n2", "n3", "n4");
        for (int i = 0; i < order.size(); i++) {
            Node n = g.require(order.get(i));
            assertEquals(ORIGIN_X + i * STEP_X, n.x(), n.id());
            assertEquals(ORIGIN_Y, n.y(), n.id());
        }
    }

    @Test
    void theChainFollowsTheEdgesNotTheOrderTheNodesWereAdded() {
        NetworkGraph g = new NetworkGraph();
        g.add("c", "ReLU", Map.of(), 0, 0);
        g.add("b", "ReLU", Map.of(), 0, 0);
        g.add("a", "Input", Map.of("shape", List.of(4)), 0, 0);
        g.connect("a", "b");
        g.connect("b", "c");
        layout(g);
        assertEquals(ORIGIN_X, g.require("a").x());
        assertEquals(ORIGIN_X + STEP_X, g.require("b").x());
        assertEquals(ORIGIN_X + 2 * STEP_X, g.require("c").x());
    }

    /** Whether {@code b} comes after {@code a} in reading order: further right on a row, or on a lower row. */
    private static boolean readsAfter(Node a, Node b) {
        return b.y() > a.y() || b.y() == a.y() && b.x() > a.x();
    }

    @Test
    void aResidualNetworkPutsEveryNodeAfterAllItsInputs() {
        NetworkGraph g = Models.layout("resnet-mini.json").graph();
        scatter(g);
        layout(g);
        for (Edge e : g.edges()) {
            assertTrue(readsAfter(g.require(e.from()), g.require(e.to())), e + " must point forward: "
                    + Models.describe(g));
        }
        Set<String> positions = new HashSet<>();
        g.nodes().forEach(n -> positions.add(n.x() + "," + n.y()));
        assertEquals(g.nodes().size(), positions.size(), "no two nodes on the same spot");
        // the Add waits for its longer input: input, conv1, relu1, conv2, relu2, conv3 come first
        assertEquals(ORIGIN_X + 6 * STEP_X, g.require("add").x());
        for (String id : List.of("input", "conv1", "relu1", "conv2", "relu2", "conv3")) {
            Node n = g.require(id);
            assertTrue(n.x() < g.require("add").x() && n.y() == g.require("add").y(), id + " on the add's row");
        }
    }

    @Test
    void aLongChainWrapsOntoALowerBandLikeLinesOfText() {
        NetworkGraph g = chain(List.of(4), layer("ReLU"), layer("ReLU"), layer("ReLU"), layer("ReLU"),
                layer("ReLU"), layer("ReLU"), layer("ReLU"), layer("ReLU"), layer("ReLU"));
        scatter(g);
        layout(g);
        List<Node> nodes = List.copyOf(g.nodes());
        for (int i = 0; i < nodes.size(); i++) {
            int col = i % AutoLayout.WRAP;
            assertEquals(ORIGIN_X + col * STEP_X, nodes.get(i).x(), nodes.get(i).id());
            if (i > 0) {
                assertTrue(readsAfter(nodes.get(i - 1), nodes.get(i)), nodes.get(i).id());
            }
        }
        Node firstOfBand2 = nodes.get(AutoLayout.WRAP);
        assertTrue(firstOfBand2.y() >= ORIGIN_Y + STEP_Y, "the next band is at least a row lower");
        assertEquals(ORIGIN_Y, nodes.get(0).y());
    }

    @Test
    void branchesSharingAColumnAreStackedAroundTheMainRow() {
        NetworkGraph g = new NetworkGraph();
        g.add("in", "Input", Map.of("shape", List.of(4)), 0, 0);
        g.add("a", "ReLU", Map.of(), 0, 0);
        g.add("b", "Tanh", Map.of(), 0, 0);
        g.add("c", "Sigmoid", Map.of(), 0, 0);
        g.add("sum", "Add", Map.of(), 0, 0);
        g.connect("in", "a");
        g.connect("in", "b");
        g.connect("in", "c");
        g.connect("a", "sum", 0);
        g.connect("b", "sum", 1);
        g.connect("c", "sum", 2);
        layout(g);
        for (String id : List.of("a", "b", "c")) {
            assertEquals(ORIGIN_X + STEP_X, g.require(id).x(), id + " is one step from the input");
        }
        double main = g.require("in").y();
        assertEquals(main, g.require("a").y(), "the first of a column stays on the main row");
        assertEquals(main, g.require("sum").y());
        assertEquals(main + STEP_Y, g.require("b").y());
        assertEquals(main - STEP_Y, g.require("c").y());
        assertTrue(g.require("c").y() >= ORIGIN_Y, "nothing rises above the origin");
        assertEquals(ORIGIN_X + 2 * STEP_X, g.require("sum").x());
    }

    @Test
    void unconnectedAndCyclicNodesStillGetDistinctPlaces() {
        NetworkGraph g = chain(List.of(4), layer("ReLU"));
        g.add("p", "ReLU", Map.of(), 0, 0);
        g.add("q", "ReLU", Map.of(), 0, 0);
        g.connect("p", "q");
        g.connect("q", "p"); // closes p → q → p
        layout(g);
        Set<String> positions = new HashSet<>();
        g.nodes().forEach(n -> positions.add(n.x() + "," + n.y()));
        assertEquals(4, positions.size(), "every node has its own spot: " + Models.describe(g));
        assertNotEquals(g.require("p").x() + "," + g.require("p").y(), g.require("q").x() + "," + g.require("q").y());
    }
}
