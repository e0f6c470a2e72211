package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a network as a runnable PyTorch script, the way tutorials write one: a {@code class Net(nn.Module)} with
 * the layers as attributes named by their labels and a readable {@code forward}, plus a main block that builds the
 * model, optionally loads {@code .safetensors} weights saved by DeepCanvas (same parameter names), prints it and runs
 * a random batch. Each layer's code comes from its {@link LayerType}.
 */
public final class PyTorchExporter {
    /** Names the generated code uses itself, which a kept value must not take. */
    private static final Set<String> TAKEN = Set.of("x", "self", "sys", "torch", "nn", "F", "model", "out");

    private PyTorchExporter() {
    }

    /** The script for {@code graph}; throws {@link InvalidGraphException} if it is not a valid network. */
    public static String export(NetworkGraph graph, String projectName) {
        return export(ShapeInference.infer(graph), projectName);
    }

    /** The script for an already inferred graph. */
    public static String export(ShapeReport report, String projectName) {
        if (!report.compiles()) {
            throw new InvalidGraphException(report.problems());
        }
        StringBuilder py = new StringBuilder();
        py.append("# ").append(projectName).append(": designed in DeepCanvas, exported as a PyTorch module.\n")
                .append("# Run it with: python3 <this file> [weights.safetensors]\n")
                .append("import sys\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n")
                .append(module(report)).append("\n\n");
        py.append(SAFETENSORS_READER);
        py.append(main(report.outputShape(report.inputId())));
        return py.toString();
    }

    /**
     * The network alone: {@code class Net(nn.Module)} with its layers and {@code forward}, ending in its
     * {@code return} line; for a program that adds its own imports and main block.
     */
    public static String module(ShapeReport report) {
        if (!report.compiles()) {
            throw new InvalidGraphException(report.problems());
        }
        Map<String, String> vars = variables(report);
        StringBuilder py = new StringBuilder();
        py.append("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n");
        for (String id : report.order()) {
            NodeInfo n = report.info(id);
            String module = n.type().pytorchModule(n.params(), n.inputShapes());
            if (module != null) {
                py.append("        self.").append(n.label()).append(" = ").append(module).append('\n');
            }
        }
        NodeInfo input = report.info(report.inputId());
        py.append("\n    def forward(self, x):\n        # x: ").append(batched(input.outputShape())).append('\n');
        for (String id : report.order()) {
            NodeInfo n = report.info(id);
            String var = vars.get(id);
            if (n.type().isInput()) {
                if (!var.equals("x")) {
                    py.append("        ").append(var).append(" = x\n");
                }
                continue;
            }
            List<String> in = new ArrayList<>(n.inputs().size());
            n.inputs().forEach(from -> in.add(vars.get(from)));
            py.append("        ").append(var).append(" = ")
                    .append(n.type().pytorchForward(n.params(), "self." + n.label(), in))
                    .append("  # ").append(batched(n.outputShape())).append('\n');
        }
        py.append("        return ").append(vars.get(report.outputId())).append('\n');
        return py.toString();
    }

    /**
     * The variable holding each node's output. A value used only by the very next line stays in {@code x}, as
     * tutorials write a chain; a value needed later (a skip connection, a branch) gets its label as a name.
     */
    private static Map<String, String> variables(ShapeReport report) {
        List<String> order = report.order();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String id : order) {
            for (String from : report.info(id).inputs()) {
                consumers.computeIfAbsent(from, k -> new ArrayList<>()).add(id);
            }
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            String id = order.get(i);
            List<String> users = consumers.getOrDefault(id, List.of());
            boolean chain = users.isEmpty() || (users.size() == 1 && i + 1 < order.size()
                    && users.get(0).equals(order.get(i + 1)));
            String label = report.info(id).label();
            vars.put(id, chain ? "x" : TAKEN.contains(label) ? label + "_out" : label);
        }
        return vars;
    }

    /** {@code [N, 6, 28, 28]}: a shape with its batch dimension, for comments. */
    private static String batched(Shape s) {
        return s.rank() == 0 ? "[N]" : "[N, " + s.toString().substring(1);
    }

    private static final String SAFETENSORS_READER = """
            def load_safetensors(path):
                \"""Reads a .safetensors file, with the safetensors package when it is installed.\"""
                try:
                    from safetensors.torch import load_file
                except ImportError:
                    print("safetensors is not installed (pip install safetensors): using the built-in reader",
                          file=sys.stderr)
                    return read_safetensors(path)
                return load_file(path)


            def read_safetensors(path):
                \"""A minimal reader: 8-byte little-endian header size, a JSON header, then raw float32 data.\"""
                import json
                import struct

                with open(path, "rb") as f:
                    header_size = struct.unpack("<Q", f.read(8))[0]
                    header = json.loads(f.read(header_size))
                    data = f.read()
                tensors = {}
                for name, info in header.items():
                    if name == "__metadata__":
                        continue
                    if info["dtype"] != "F32":
                        raise ValueError(f"{name} is {info['dtype']}: this reader only handles F32; "
                                         "pip install safetensors")
                    start, end = info["data_offsets"]
                    # little-endian float32, the byte order of x86 and ARM machines
                    values = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32)
                    tensors[name] = values.reshape(info["shape"])
                return tensors


            """;

    private static String main(Shape input) {
        StringBuilder shape = new StringBuilder("4");
        for (int d : input.toArray()) {
            shape.append(", ").append(d);
        }
        return """
                if __name__ == "__main__":
                    model = Net()
                    if len(sys.argv) > 1:
                        model.load_state_dict(load_safetensors(sys.argv[1]))
                        print(f"loaded weights from {sys.argv[1]}")
                    print(model)
                    print(f"parameters: {sum(p.numel() for p in model.parameters())}")
                    model.eval()
                    with torch.no_grad():
                        out = model(torch.randn(%s))
                    print(f"output shape: {list(out.shape)}")
                """.formatted(shape);
    }
}
