package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.PyTorchExporter;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeLinesTest {
    private static List<String> code(String layout) {
        EditorModel m = InspectorFixtures.open(layout);
        return CodeLines.split(PyTorchExporter.export(m.report(), m.name()));
    }

    private static List<String> moduleLines(List<String> lines, String label) {
        return CodeLines.moduleLines(lines, label).stream().map(i -> lines.get(i).strip()).toList();
    }

    @Test
    void aLayersLinesAreItsModuleAndItsCall() {
        List<String> lines = code("lenet5");
        assertEquals(List.of("self.conv1 = nn.Conv2d(1, 6, kernel_size=5)", "x = self.conv1(x)  # [N, 6, 28, 28]"),
                moduleLines(lines, "conv1"));
        assertEquals(2, CodeLines.moduleLines(lines, "fc3").size());
    }

    @Test
    void aLabelMatchesWholeWordsOnly() {
        List<String> lines = List.of("        self.conv10 = nn.Conv2d(1, 6, 3)", "        self.conv1 = nn.Conv2d(1, 6, 3)",
                "        x = self.conv10(self.conv1(x))");
        assertEquals(List.of(1, 2), CodeLines.moduleLines(lines, "conv1"));
    }

    @Test
    void eachLayerHasItsLineOfForwardInRunningOrder() {
        EditorModel m = InspectorFixtures.open("resnet-mini");
        List<String> lines = CodeLines.split(PyTorchExporter.export(m.report(), m.name()));
        Map<String, Integer> forward = CodeLines.forwardLines(lines, m.report().order(), m.report().inputId());
        assertEquals("x = x + relu1  # [N, 16, 28, 28]", lines.get(forward.get("add")).strip());
        assertEquals("relu1 = self.relu1(x)  # [N, 16, 28, 28]", lines.get(forward.get("relu1")).strip());
        assertEquals("x = self.fc(x)  # [N, 10]", lines.get(forward.get("fc")).strip());
        assertEquals("# x: [N, 1, 28, 28]", lines.get(forward.get("input")).strip(),
                "an Input used only by the next line is described by the comment");
    }

    @Test
    void anInputKeptByNameHasItsOwnLine() {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", List.of(4)), 0, 0);
        g.add("fc", "Linear", Map.of("out_features", 4), 0, 0);
        g.add("sum", "Add", Map.of(), 0, 0);
        g.connect("input", "fc");
        g.connect("fc", "sum", 0);
        g.connect("input", "sum", 1);
        ShapeReport r = ShapeInference.infer(g);
        List<String> lines = CodeLines.split(PyTorchExporter.export(r, "skip"));
        Map<String, Integer> forward = CodeLines.forwardLines(lines, r.order(), r.inputId());
        assertEquals("input = x", lines.get(forward.get("input")).strip(), String.join("\n", lines));
        assertTrue(lines.get(forward.get("sum")).contains(" + "), lines.get(forward.get("sum")));
    }

    @Test
    void theNoteForAnInvalidNetworkHasNoLayerLines() {
        List<String> lines = CodeLines.split("# The network has problems.\n# Linear 'fc1': expects ...");
        assertEquals(List.of(), CodeLines.moduleLines(lines, "fc1"));
        assertEquals(Map.of(), CodeLines.forwardLines(lines, List.of("input", "fc1"), "input"));
    }

    @Test
    void splittingDropsOnlyTheLastNewline() {
        assertEquals(List.of("a", "", "b"), CodeLines.split("a\n\nb\n"));
        assertEquals(List.of(""), CodeLines.split(""));
        assertEquals("b\nc\n", CodeLines.join(List.of("a", "b", "c"), List.of(2, 1)));
    }
}
