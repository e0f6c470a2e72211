package io.deepcanvas.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped layouts, read through the layer registry, are valid networks whose parameter counts (from shape
 * inference) are the tutorials' figures, and they compile and run.
 */
class LayoutShapesTest {
    static Stream<LayoutsTest.Layout> layouts() {
        return LayoutsTest.layouts().stream();
    }

    private static Path layoutsFolder() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("layouts"))) {
            p = p.getParent();
        }
        return p.resolve("layouts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void layoutIsValidWithTheTutorialsParameterCount(LayoutsTest.Layout layout) throws Exception {
        Project project = ProjectFile.withLayerRegistry().load(layoutsFolder().resolve(layout.file()));
        ShapeReport report = ShapeInference.infer(project.graph());
        assertTrue(report.isValid(), layout.file() + ": " + report.problems());
        assertEquals(layout.parameters(), report.totalParameters(), layout.file());
        GraphModule net = GraphCompiler.compile(project.graph(), project.name());
        assertEquals(layout.parameters(), net.parameterCount(), layout.file() + " compiled");
        int[] sample = report.info(report.inputId()).outputShape().toArray();
        int[] batch = new int[sample.length + 1];
        batch[0] = 2;
        System.arraycopy(sample, 0, batch, 1, sample.length);
        assertEquals(10, net.forward(Tensor.randn(batch)).size(1), layout.file() + " gives 10 class scores");
    }

    @Test
    void anUnknownLayerTypeIsALoadErrorAtItsPath(@TempDir Path dir) throws Exception {
        String json = Files.readString(layoutsFolder().resolve("lenet5.json")).replaceFirst("\"Conv2d\"", "\"Conv3d\"");
        Path f = dir.resolve("broken.json");
        Files.writeString(f, json);
        ProjectFormatException e = assertThrows(ProjectFormatException.class,
                () -> ProjectFile.withLayerRegistry().load(f));
        assertTrue(e.getMessage().contains("$.graph.nodes[1].type") && e.getMessage().contains("Conv3d"),
                e.getMessage());
    }
}
