package io.deepcanvas.app.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.NetworkGraph;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class GraphsTest {
    private static NetworkGraph sample() {
        NetworkGraph g = new NetworkGraph();
        g.add("in", "Input", Map.of("shape", List.of(4)), 0, 0);
        g.add("a", "ReLU", Map.of(), 10, 0);
        g.add("b", "Tanh", Map.of(), 20, 0);
        g.add("s", "Add", Map.of(), 30, 0);
        g.connect("in", "a");
        g.connect("in", "b");
        g.connect("a", "s", 0);
        g.connect("b", "s", 1);
        return g;
    }

    private static void assertDiffers(Consumer<NetworkGraph> change, String what) {
        NetworkGraph g = sample();
        change.accept(g);
        assertFalse(Graphs.sameGraph(sample(), g), what);
    }

    @Test
    void aCopyIsTheSameGraph() {
        assertTrue(Graphs.sameGraph(sample(), sample().copy()));
    }

    @Test
    void everyKindOfDifferenceCounts() {
        assertDiffers(g -> g.require("a").moveTo(11, 0), "x");
        assertDiffers(g -> g.require("a").moveTo(10, 1), "y");
        assertDiffers(g -> g.require("a").setLabel("relu"), "label");
        assertDiffers(g -> g.require("in").setParam("shape", List.of(5)), "param");
        assertDiffers(g -> g.require("a").setType("Sigmoid"), "type");
        assertDiffers(g -> g.add("z", "ReLU", Map.of(), 0, 0), "an extra node");
        assertDiffers(g -> g.disconnect(g.edges().get(3)), "a missing edge");
        assertDiffers(g -> {
            var e = g.edges().get(0);
            g.disconnect(e);
            g.connect(e);
        }, "the same edges in another order");
    }

    @Test
    void theSameNodesInAnotherOrderDiffer() {
        NetworkGraph xy = new NetworkGraph();
        xy.add("x", "ReLU", Map.of(), 0, 0);
        xy.add("y", "ReLU", Map.of(), 0, 0);
        NetworkGraph yx = new NetworkGraph();
        yx.add("y", "ReLU", Map.of(), 0, 0);
        yx.add("x", "ReLU", Map.of(), 0, 0);
        assertFalse(Graphs.sameGraph(xy, yx), "the file and the canvas list nodes in insertion order");
    }
}
