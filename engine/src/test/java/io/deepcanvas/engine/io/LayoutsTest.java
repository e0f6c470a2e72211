package io.deepcanvas.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ready-made projects in {@code layouts/}: each is defined here in code, and the committed file must be
 * exactly what {@link ProjectFile#save} writes for it. To regenerate after changing a definition or the format:
 * {@code mvn -o test -Dtest='io.deepcanvas.engine.io.LayoutsTest' -Ddeepcanvas.writeLayouts=true}.
 */
class LayoutsTest {
    private static final ProjectFile FILE = new ProjectFile();
    private static final TrainingSettings.Normalize MNIST_NORMALIZE = new TrainingSettings.Normalize(0.1307, 0.3081);

    /** One layout: its file, its definition, and what it must contain. */
    record Layout(String file, Project project, int nodes, long parameters) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Layout> layouts() {
        return List.of(
                new Layout("lenet5.json", lenet5(), 13, 61_706),
                new Layout("lenet5-3x3.json", lenet5With3x3Kernels(), 13, 60_074),
                new Layout("mlp.json", mlp(), 7, 669_706),
                new Layout("convnet.json", convnet(), 12, 3_199_106),
                new Layout("resnet-mini.json", resnetMini(), 11, 36_170));
    }

    // ==== definitions =========================================================================================

    /**
     * Lays a chain of layers out left to right, 200 px apart, each wired into the next; after seven columns the chain
     * continues on a band 160 px lower, as the editor's auto-layout wraps, so a whole network reads at a legible zoom.
     */
    private static final class Chain {
        final NetworkGraph graph = new NetworkGraph();
        private String last;
        private int column;

        Chain add(String id, String type, Object... params) {
            return addAt(id, type, 200, params);
        }

        Chain addAt(String id, String type, double y, Object... params) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            for (int i = 0; i < params.length; i += 2) {
                p.put((String) params[i], params[i + 1]);
            }
            graph.add(id, type, p, 40 + column % 7 * 200, y + column / 7 * 160);
            if (last != null) {
                graph.connect(last, id);
            }
            last = id;
            column++;
            return this;
        }

        Chain conv(String id, int outChannels, int kernel, int padding) {
            return add(id, "Conv2d", "out_channels", outChannels, "kernel_size", kernel, "stride", 1,
                    "padding", padding);
        }

        Chain pool(String id) {
            return add(id, "MaxPool2d", "kernel_size", 2, "stride", 2);
        }

        Chain linear(String id, int outFeatures) {
            return add(id, "Linear", "out_features", outFeatures);
        }
    }

    private static Chain input(int... shape) {
        List<Integer> s = new ArrayList<>();
        for (int d : shape) {
            s.add(d);
        }
        return new Chain().add("input", "Input", "dataset", "mnist", "shape", s);
    }

    private static TrainingSettings training(List<TrainingSettings.Transform> transforms, int batchSize,
                                             OptimizerSettings optimizer) {
        return TrainingSettings.defaults().withTransforms(transforms).withBatchSize(batchSize)
                .withOptimizer(optimizer);
    }

    /** LeNet-5 as in PyTorch's 60-minute blitz: 32×32 input (MNIST padded by 2), 5×5 kernels, ReLU, max-pool. */
    static Project lenet5() {
        return Project.of("LeNet-5", lenet(32, 5)).withTraining(training(
                List.of(new TrainingSettings.Pad(2), MNIST_NORMALIZE), 64, new OptimizerSettings.Adam(0.001)));
    }

    /** LeNet with 3×3 kernels on unpadded 28×28 MNIST: 28 → 26 → 13 → 11 → 5, so fc1 sees 16×5×5 = 400. */
    static Project lenet5With3x3Kernels() {
        return Project.of("LeNet-5 (3x3 kernels)", lenet(28, 3)).withTraining(training(
                List.of(MNIST_NORMALIZE), 64, new OptimizerSettings.SGD(0.01, 0.9)));
    }

    private static NetworkGraph lenet(int inputSize, int kernel) {
        return input(1, inputSize, inputSize)
                .conv("conv1", 6, kernel, 0).add("relu1", "ReLU").pool("pool1")
                .conv("conv2", 16, kernel, 0).add("relu2", "ReLU").pool("pool2")
                .add("flatten", "Flatten")
                .linear("fc1", 120).add("relu3", "ReLU")
                .linear("fc2", 84).add("relu4", "ReLU")
                .linear("fc3", 10).graph;
    }

    /** A dense 784 → 512 → 512 → 10 network with ReLU. */
    static Project mlp() {
        Chain c = input(1, 28, 28).add("flatten", "Flatten")
                .linear("fc1", 512).add("relu1", "ReLU")
                .linear("fc2", 512).add("relu2", "ReLU")
                .linear("fc3", 10);
        return Project.of("MLP 784-512-512-10", c.graph).withTraining(training(
                List.of(MNIST_NORMALIZE), 128, new OptimizerSettings.Adam(0.001)));
    }

    /**
     * Two 5×5 padding-2 convolutions with 32 and 64 channels keep 28×28 until each pool halves it: 64×7×7 = 3136
     * features. Counts: conv1 32·1·25 + 32 = 832; conv2 64·32·25 + 64 = 51,264; fc1 3136·1000 + 1000 = 3,137,000;
     * fc2 1000·10 + 10 = 10,010; total 3,199,106. (With a 1024-unit fc1 it would be 3,274,634, so the network
     * that has 3,199,106 parameters uses 1000 units, plus dropout before fc1, which has none.)
     */
    static Project convnet() {
        Chain c = input(1, 28, 28)
                .conv("conv1", 32, 5, 2).add("relu1", "ReLU").pool("pool1")
                .conv("conv2", 64, 5, 2).add("relu2", "ReLU").pool("pool2")
                .add("flatten", "Flatten").add("dropout", "Dropout", "p", 0.5)
                .linear("fc1", 1000).add("relu3", "ReLU")
                .linear("fc2", 10);
        return Project.of("ConvNet 32-64", c.graph).withTraining(training(
                List.of(MNIST_NORMALIZE), 32, new OptimizerSettings.Adam(0.001)));
    }

    /** One residual block: two 3×3 convolutions on a branch above the main line, added back to their input. */
    static Project resnetMini() {
        Chain c = input(1, 28, 28).conv("conv1", 16, 3, 1).add("relu1", "ReLU");
        c.addAt("conv2", "Conv2d", 80, "out_channels", 16, "kernel_size", 3, "stride", 1, "padding", 1);
        c.addAt("relu2", "ReLU", 80);
        c.addAt("conv3", "Conv2d", 80, "out_channels", 16, "kernel_size", 3, "stride", 1, "padding", 1);
        c.add("add", "Add");
        c.graph.connect("relu1", "add", 1); // the skip connection
        c.add("relu3", "ReLU").pool("pool").add("flatten", "Flatten").linear("fc", 10);
        return Project.of("ResNet mini", c.graph).withTraining(training(
                List.of(MNIST_NORMALIZE), 64, new OptimizerSettings.Adam(0.001)));
    }

    // ==== tests ===============================================================================================

    private static Path layoutsDir() {
        return SafetensorsTest.repositoryRoot().resolve("layouts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void committedFileIsExactlyWhatSaveWrites(Layout layout) throws IOException {
        Path file = layoutsDir().resolve(layout.file());
        if (Boolean.getBoolean("deepcanvas.writeLayouts")) {
            FILE.save(layout.project(), file);
        }
        assertTrue(Files.exists(file), file + " is missing: regenerate with -Ddeepcanvas.writeLayouts=true");
        assertEquals(FILE.toJson(layout.project()), Files.readString(file, StandardCharsets.UTF_8),
                layout.file() + " differs from its definition: regenerate with -Ddeepcanvas.writeLayouts=true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void loadsWithExpectedNodesAndParameterCount(Layout layout) throws IOException {
        Project p = FILE.load(layoutsDir().resolve(layout.file()));
        assertEquals(layout.nodes(), p.graph().nodes().size());
        assertEquals(layout.nodes() - 1 + (layout.file().equals("resnet-mini.json") ? 1 : 0),
                p.graph().edges().size(), "a chain, plus one skip edge in the residual network");
        assertEquals(layout.parameters(), ParameterCount.of(p.graph()), layout.file());
        for (Node n : p.graph().nodes()) {
            assertTrue(!n.params().containsKey("in_channels") && !n.params().containsKey("in_features"),
                    n + ": input sizes are inferred, never stored");
        }
    }

    @org.junit.jupiter.api.Test
    void readmeListsEveryLayoutWithItsParameterCount() throws IOException {
        String readme = Files.readString(layoutsDir().resolve("README.md"));
        for (Layout l : layouts()) {
            assertTrue(readme.contains(l.file()), "README.md does not mention " + l.file());
            assertTrue(readme.contains(String.format("%,d", l.parameters())),
                    "README.md does not give " + l.file() + "'s count " + String.format("%,d", l.parameters()));
        }
    }

    @org.junit.jupiter.api.Test
    void calculatorAgreesWithHandArithmetic() {
        assertEquals(156 + 2_416 + 48_120 + 10_164 + 850, ParameterCount.of(lenet5().graph()));
        assertEquals(832 + 51_264 + 3_137_000 + 10_010, ParameterCount.of(convnet().graph()));
        assertEquals(160 + 2_320 + 2_320 + 31_370, ParameterCount.of(resnetMini().graph()));
    }

    /**
     * Output shapes and parameter counts for just the layer types the layouts use, following PyTorch's formulas;
     * the real check is ShapeInference's, which the integrator adds beside this one.
     */
    static final class ParameterCount {
        static long of(NetworkGraph g) {
            Map<String, int[]> shapes = new HashMap<>();
            long total = 0;
            for (Node n : g.nodes()) { // the layouts list nodes in dependency order
                List<Edge> in = g.inputsOf(n.id());
                int[] s = in.isEmpty() ? null : shapes.get(in.get(0).from());
                int[] out;
                switch (n.type()) {
                    case "Input" -> out = ints(n.param("shape"));
                    case "Conv2d" -> {
                        int c = (Integer) n.param("out_channels");
                        int k = (Integer) n.param("kernel_size");
                        int stride = (Integer) n.param("stride");
                        int pad = (Integer) n.param("padding");
                        total += (long) c * s[0] * k * k + c;
                        out = new int[] {c, (s[1] + 2 * pad - k) / stride + 1, (s[2] + 2 * pad - k) / stride + 1};
                    }
                    case "MaxPool2d" -> {
                        int k = (Integer) n.param("kernel_size");
                        int stride = (Integer) n.param("stride");
                        out = new int[] {s[0], (s[1] - k) / stride + 1, (s[2] - k) / stride + 1};
                    }
                    case "Flatten" -> out = new int[] {s[0] * s[1] * s[2]};
                    case "Linear" -> {
                        int f = (Integer) n.param("out_features");
                        total += (long) s[0] * f + f;
                        out = new int[] {f};
                    }
                    case "ReLU", "Dropout" -> out = s;
                    case "Add" -> {
                        for (Edge e : in) {
                            assertEquals(List.of(ints(s)), List.of(ints(shapes.get(e.from()))), "Add inputs");
                        }
                        out = s;
                    }
                    default -> throw new AssertionError("the calculator does not know " + n.type());
                }
                shapes.put(n.id(), out);
            }
            return total;
        }

        private static int[] ints(Object list) {
            return ((List<?>) list).stream().mapToInt(o -> (Integer) o).toArray();
        }

        private static List<Integer> ints(int[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
    }
}
