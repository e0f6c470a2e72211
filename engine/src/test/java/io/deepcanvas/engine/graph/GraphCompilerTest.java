package io.deepcanvas.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.LeNet5;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphCompilerTest {

    @Test
    void lenetGraphComputesExactlyWhatTheHandWrittenLenetComputes() {
        Tensor.manualSeed(7);
        LeNet5 hand = new LeNet5();
        GraphModule graph = GraphCompiler.compile(Graphs.lenet(), "Net");
        assertEquals(List.copyOf(hand.stateDict().keySet()), List.copyOf(graph.stateDict().keySet()));
        graph.loadStateDict(hand.stateDict(), true);
        assertEquals(61_706, graph.parameterCount());

        Tensor x = Tensor.randn(3, 1, 32, 32);
        Tensor expected = hand.forward(x), actual = graph.forward(x);
        assertEquals(Shape.of(3, 10), actual.shape());
        assertArrayEquals(expected.toArray(), actual.toArray(), "bit-for-bit the same logits");

        expected.sum().backward();
        actual.sum().backward();
        assertArrayEquals(hand.conv1.weight.grad().toArray(),
                ((Conv2d) graph.module("conv1")).weight.grad().toArray(), "and the same gradients");
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("""
                LeNet-5(
                  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
                  (relu1): ReLU()
                  (pool1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
                  (relu2): ReLU()
                  (pool2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (flatten): Flatten(start_dim=1, end_dim=-1)
                  (fc1): Linear(in_features=400, out_features=120, bias=True)
                  (relu3): ReLU()
                  (fc2): Linear(in_features=120, out_features=84, bias=True)
                  (relu4): ReLU()
                  (fc3): Linear(in_features=84, out_features=10, bias=True)
                )""", GraphCompiler.compile(Graphs.lenet(), "LeNet-5").toString());
        assertTrue(GraphCompiler.compile(Graphs.input(4).then("fc", "Linear").graph).toString()
                .startsWith("GraphModule(\n  (fc): Linear(in_features=4"));
    }

    @Test
    void parametersAreNamedByLabel() {
        NetworkGraph g = Graphs.input(1, 8, 8).then("n1", "Conv2d").then("flat", "Flatten").then("n2", "Linear").graph;
        g.require("n1").setLabel("features");
        g.require("n2").setLabel("classifier");
        assertEquals(List.of("features.weight", "features.bias", "classifier.weight", "classifier.bias"),
                List.copyOf(GraphCompiler.compile(g).namedParameters().keySet()));
    }

    @Test
    void invalidGraphListsEveryProblem() {
        NetworkGraph g = Graphs.input(1, 28, 28).then("conv1", "Conv2d", "kernel_size", 0).then("fc1", "Linear")
                .add("fc9", "Linear").graph;
        InvalidGraphException e = assertThrows(InvalidGraphException.class, () -> GraphCompiler.compile(g));
        assertEquals(2, e.problems().size());
        assertEquals("""
                the network cannot be compiled: 2 problems
                  - Conv2d 'conv1': kernel_size must be >= 1, got 0
                  - Linear 'fc9' is not connected to the input: draw an edge into it from the layer before it, or \
                delete it""", e.getMessage());
    }

    @Test
    void forwardRefusesABatchOfTheWrongShape() {
        GraphModule m = GraphCompiler.compile(Graphs.lenet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(2, 1, 28, 28)));
        assertEquals("GraphModule expects a batch of shape [batch, 1, 32, 32] but got [2, 1, 28, 28]: the Input node "
                + "'input' has shape [1, 32, 32]", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(1, 32, 32)))
                .getMessage().endsWith("add a batch dimension with unsqueeze(0)"));
    }

    /** Every layer type in one DAG, so each factory meets its shape rule. */
    static NetworkGraph everyLayer() {
        return Graphs.input(3, 12, 12)
                .then("conv", "Conv2d", "out_channels", 8, "kernel_size", 3, "padding", 1)
                .then("bn2", "BatchNorm2d")
                .then("leaky", "LeakyReLU", "negative_slope", 0.2)
                .then("maxpool", "MaxPool2d", "kernel_size", 2)
                .from("leaky").then("avgpool", "AvgPool2d", "kernel_size", 3, "stride", 2, "padding", 1)
                .add("add", "Add").connect("maxpool", "add", 0).connect("avgpool", "add", 1)
                .add("cat", "Concat").connect("add", "cat", 0).connect("maxpool", "cat", 1)
                .from("cat").then("sig", "Sigmoid").then("tanh", "Tanh").then("flat", "Flatten")
                .then("fc1", "Linear", "out_features", 32).then("bn1", "BatchNorm1d").then("relu", "ReLU")
                .then("drop", "Dropout", "p", 0.25).then("fc2", "Linear", "out_features", 10, "bias", false)
                .then("softmax", "Softmax", "dim", 1)
                .graph;
    }

    @Test
    void inferredShapesAndCountsMatchTheEngineForEveryLayer() {
        GraphModule m = GraphCompiler.compile(everyLayer());
        ShapeReport r = m.report();
        assertEquals(LayerTypes.names().size(), r.nodes().values().stream().map(n -> n.type().name()).distinct()
                .count(), "the graph uses every layer type");
        Map<String, Tensor> acts = m.forwardAll(Tensor.randn(4, 3, 12, 12));
        assertEquals(r.order(), List.copyOf(acts.keySet()));
        for (NodeInfo n : r.nodes().values()) {
            int[] batched = new int[n.outputShape().rank() + 1];
            batched[0] = 4;
            System.arraycopy(n.outputShape().toArray(), 0, batched, 1, batched.length - 1);
            assertEquals(Shape.of(batched), acts.get(n.id()).shape(), n.id());
            Module mod = m.module(n.id());
            assertEquals(n.parameters(), mod == null ? 0 : mod.parameterCount(), n.id());
        }
        assertEquals(r.totalParameters(), m.parameterCount());
        assertEquals(Shape.of(16, 6, 6), r.outputShape("cat"));
        assertNull(m.module("add"));
    }

    @Test
    void mergesAddAndConcatenateAlongChannels() {
        GraphModule m = GraphCompiler.compile(everyLayer());
        m.eval();
        Map<String, Tensor> acts = m.forwardAll(Tensor.randn(2, 3, 12, 12));
        float[] sum = acts.get("maxpool").add(acts.get("avgpool")).toArray();
        assertArrayEquals(sum, acts.get("add").toArray());
        Tensor cat = acts.get("cat");
        assertArrayEquals(sum, cat.narrow(1, 0, 8).contiguous().toArray(), "channels 0-7 come from input 0");
        assertArrayEquals(acts.get("maxpool").toArray(), cat.narrow(1, 8, 8).contiguous().toArray());
        assertEquals(Shape.of(2, 10), m.forward(Tensor.randn(2, 3, 12, 12)).shape());
    }

    @Test
    void gradientsFlowThroughBothBranchesOfAMerge() {
        GraphModule m = GraphCompiler.compile(Graphs.input(2, 4, 4)
                .then("a", "Conv2d", "out_channels", 3, "kernel_size", 1)
                .from("input").then("b", "Conv2d", "out_channels", 3, "kernel_size", 1)
                .add("cat", "Concat").connect("a", "cat", 0).connect("b", "cat", 1).graph);
        m.forward(Tensor.randn(2, 2, 4, 4)).sum().backward();
        for (String id : List.of("a", "b")) {
            float[] g = ((Conv2d) m.module(id)).bias.grad().toArray();
            // d(sum)/d(bias) = batch · height · width for every output channel
            assertArrayEquals(new float[] {32, 32, 32}, g, id);
        }
    }
}
