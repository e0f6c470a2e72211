package io.deepcanvas.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.PythonTorch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchExporterTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @Test
    void lenetScriptMatchesTheGoldenFile() throws IOException {
        String actual = PyTorchExporter.export(Graphs.lenet(), "LeNet-5");
        String expected;
        try (InputStream in = getClass().getResourceAsStream("lenet5.py")) {
            assertNotNull(in, "golden file io/deepcanvas/engine/graph/lenet5.py is missing");
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!expected.equals(actual)) {
            // leave the new version where a diff tool can compare it with the golden file
            Path out = Paths.get("target", "lenet5.actual.py");
            Files.writeString(out, actual);
            assertEquals(expected, actual, "export changed; if intended, copy " + out.toAbsolutePath()
                    + " over src/test/resources/io/deepcanvas/engine/graph/lenet5.py");
        }
    }

    @Test
    void branchesKeepTheirValuesInNamedVariables() {
        NetworkGraph g = Graphs.input(1, 28, 28)
                .then("stem", "Conv2d", "out_channels", 4, "kernel_size", 3, "padding", 1)
                .then("relu", "ReLU")
                .then("conv", "Conv2d", "out_channels", 4, "kernel_size", 3, "padding", 1)
                .add("skip", "Add").connect("conv", "skip", 0).connect("relu", "skip", 1)
                .add("cat", "Concat").connect("skip", "cat", 0).connect("input", "cat", 1)
                .graph;
        String py = PyTorchExporter.export(g, "Residual");
        assertTrue(py.contains("""
                    def forward(self, x):
                        # x: [N, 1, 28, 28]
                        input = x
                        x = self.stem(input)  # [N, 4, 28, 28]
                        relu = self.relu(x)  # [N, 4, 28, 28]
                        x = self.conv(relu)  # [N, 4, 28, 28]
                        x = x + relu  # [N, 4, 28, 28]
                        x = torch.cat([x, input], dim=1)  # [N, 5, 28, 28]
                        return x
                """), py);
        assertTrue(py.contains("self.stem = nn.Conv2d(1, 4, kernel_size=3, padding=1)\n"), py);
    }

    @Test
    void everyLayersConstructorReadsAsInPyTorch() {
        String py = PyTorchExporter.export(GraphCompilerTest.everyLayer(), "Every layer");
        for (String line : List.of(
                "self.conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)",
                "self.bn2 = nn.BatchNorm2d(8)",
                "self.leaky = nn.LeakyReLU(negative_slope=0.2)",
                "self.maxpool = nn.MaxPool2d(kernel_size=2)",
                "self.avgpool = nn.AvgPool2d(kernel_size=3, stride=2, padding=1)",
                "self.sig = nn.Sigmoid()",
                "self.tanh = nn.Tanh()",
                "self.flat = nn.Flatten()",
                "self.fc1 = nn.Linear(576, 32)",
                "self.bn1 = nn.BatchNorm1d(32)",
                "self.relu = nn.ReLU()",
                "self.drop = nn.Dropout(p=0.25)",
                "self.fc2 = nn.Linear(32, 10, bias=False)",
                "self.softmax = nn.Softmax(dim=1)",
                "x = maxpool + x  # [N, 8, 6, 6]",
                "x = torch.cat([x, maxpool], dim=1)  # [N, 16, 6, 6]")) {
            assertTrue(py.contains("        " + line + "\n"), () -> "missing line: " + line + "\n" + py);
        }
    }

    @Test
    void nonDefaultParametersAreWrittenAsKeywords() {
        String py = PyTorchExporter.export(Graphs.input(2, 9, 9)
                .then("c", "Conv2d", "out_channels", 4, "kernel_size", List.of(3, 5), "stride", 2, "dilation", 2,
                        "groups", 2, "bias", false)
                .then("p", "MaxPool2d", "kernel_size", 2, "stride", 1, "padding", 1, "ceil_mode", true)
                .then("bn", "BatchNorm2d", "eps", 1e-3, "momentum", 0.01)
                .then("f", "Flatten", "start_dim", 2)
                .then("s", "Softmax", "dim", -1).graph, "Options");
        assertTrue(py.contains("nn.Conv2d(2, 4, kernel_size=(3, 5), stride=2, dilation=2, groups=2, bias=False)"), py);
        assertTrue(py.contains("nn.MaxPool2d(kernel_size=2, stride=1, padding=1, ceil_mode=True)"), py);
        assertTrue(py.contains("nn.BatchNorm2d(4, eps=0.001, momentum=0.01)"), py);
        assertTrue(py.contains("nn.Flatten(start_dim=2)"), py);
        assertTrue(py.contains("nn.Softmax(dim=-1)"), py);
    }

    @Test
    void invalidGraphIsNotExported() {
        NetworkGraph g = Graphs.input(1, 28, 28).then("fc1", "Linear").graph;
        assertTrue(assertThrows(InvalidGraphException.class, () -> PyTorchExporter.export(g, "Broken")).getMessage()
                .contains("insert Flatten before 'fc1'"));
    }

    // ---- running the script with PyTorch, where it is installed ------------------------------------------------

    private static boolean torchAvailable() {
        return PythonTorch.available();
    }

    /** Runs python with {@code args}; returns exit code and output. */
    private static String[] python(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python did not finish:\n" + out);
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void exportedLenetRunsInPyTorch() throws Exception {
        Assumptions.assumeTrue(torchAvailable(), PYTHON + " cannot import torch: skipping the run of the exported "
                + "script (install PyTorch for python3 to enable it)");
        Path script = tmp.resolve("lenet5.py");
        Files.writeString(script, PyTorchExporter.export(Graphs.lenet(), "LeNet-5"));
        writeSafetensors(GraphCompiler.compile(Graphs.lenet()).stateDict(), tmp.resolve("lenet5.safetensors"));
        String[] r = python(tmp, script.toString(), "lenet5.safetensors");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("loaded weights from lenet5.safetensors"), r[1]);
        assertTrue(r[1].contains("parameters: 61706"), r[1]);
        assertTrue(r[1].contains("output shape: [4, 10]"), r[1]);
        // PyTorch's print(model) must read exactly like the engine's
        assertTrue(r[1].contains(GraphCompiler.compile(Graphs.lenet(), "Net").toString()), r[1]);
    }

    @Test
    void exportedNetworkWithOurWeightsComputesWhatTheEngineComputes() throws Exception {
        Assumptions.assumeTrue(torchAvailable(), PYTHON + " cannot import torch: skipping the PyTorch comparison "
                + "(install PyTorch for python3 to enable it)");
        NetworkGraph g = GraphCompilerTest.everyLayer();
        GraphModule m = GraphCompiler.compile(g);
        m.eval();
        Tensor x = Tensor.randn(2, 3, 12, 12);
        Tensor y = m.forward(x);
        Files.writeString(tmp.resolve("net.py"), PyTorchExporter.export(g, "Every layer"));
        writeSafetensors(m.stateDict(), tmp.resolve("weights.safetensors"));
        writeSafetensors(Map.of("x", x), tmp.resolve("x.safetensors"));
        String[] r = python(tmp, "-c", """
                import torch
                from net import Net, load_safetensors
                model = Net()
                model.load_state_dict(load_safetensors("weights.safetensors"))
                model.eval()
                with torch.no_grad():
                    y = model(load_safetensors("x.safetensors")["x"])
                print(" ".join(repr(v) for v in y.flatten().tolist()))
                """);
        assertEquals("0", r[0], r[1]);
        String[] lines = r[1].strip().split("\n");
        float[] expected = y.toArray();
        String[] got = lines[lines.length - 1].split(" ");
        assertEquals(expected.length, got.length, r[1]);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Float.parseFloat(got[i]), 1e-5, "output " + i);
        }
    }

    /** A minimal safetensors writer (F32 only), enough to hand weights to the exported script. */
    static void writeSafetensors(Map<String, Tensor> tensors, Path file) throws IOException {
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, Tensor> ordered = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, Tensor> e : ordered.entrySet()) {
            float[] v = e.getValue().contiguous().toArray();
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                b.putFloat(f);
            }
            int start = data.size();
            data.write(b.array());
            if (header.length() > 1) {
                header.append(',');
            }
            header.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(e.getValue().size()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(start).append(',').append(data.size()).append("]}");
        }
        byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(len.array());
        out.write(h);
        out.write(data.toByteArray());
        Files.write(file, out.toByteArray());
    }
}
