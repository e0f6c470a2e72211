package io.deepcanvas.engine.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds test graphs in a line: {@code Graphs.input(1, 32, 32).then("conv1", "Conv2d", "out_channels", 6)}. */
final class Graphs {
    final NetworkGraph graph = new NetworkGraph();
    private String last;

    static Graphs input(int... shape) {
        Graphs g = new Graphs();
        g.graph.add("input", "Input", Map.of("shape", List.of(java.util.Arrays.stream(shape).boxed().toArray())), 0,
                0);
        g.last = "input";
        return g;
    }

    /** Adds a node fed by the previous one; params as name, value pairs. */
    Graphs then(String id, String type, Object... params) {
        String previous = last;
        add(id, type, params);
        graph.connect(previous, id);
        return this;
    }

    /** Adds a node without wiring it, and makes it the one {@link #then} continues from. */
    Graphs add(String id, String type, Object... params) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put((String) params[i], params[i + 1]);
        }
        graph.add(id, type, p, 0, 0);
        last = id;
        return this;
    }

    /** Continues from an existing node. */
    Graphs from(String id) {
        last = id;
        return this;
    }

    Graphs connect(String from, String to, int port) {
        graph.connect(from, to, port);
        return this;
    }

    ShapeReport infer() {
        return ShapeInference.infer(graph);
    }

    /** LeNet-5 as in the PyTorch tutorial, on a padded MNIST digit [1, 32, 32]. */
    static NetworkGraph lenet() {
        return input(1, 32, 32)
                .then("conv1", "Conv2d", "out_channels", 6, "kernel_size", 5)
                .then("relu1", "ReLU")
                .then("pool1", "MaxPool2d", "kernel_size", 2)
                .then("conv2", "Conv2d", "out_channels", 16, "kernel_size", 5)
                .then("relu2", "ReLU")
                .then("pool2", "MaxPool2d", "kernel_size", 2)
                .then("flatten", "Flatten")
                .then("fc1", "Linear", "out_features", 120)
                .then("relu3", "ReLU")
                .then("fc2", "Linear", "out_features", 84)
                .then("relu4", "ReLU")
                .then("fc3", "Linear", "out_features", 10)
                .graph;
    }
}
