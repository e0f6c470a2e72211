package io.deepcanvas.app.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExamplesTest {
    @Test
    void allListsTheFiveLayoutsByFileName() {
        List<String> names = Examples.all().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("convnet.json", "lenet5-3x3.json", "lenet5.json", "mlp.json", "resnet-mini.json"),
                names, "the README is not a project");
    }

    @Test
    void lenet5IsThere() {
        Path p = Examples.lenet5();
        assertNotNull(p);
        assertTrue(Files.isRegularFile(p));
        assertEquals("lenet5.json", p.getFileName().toString());
    }

    @Test
    void everyExampleOpensValidWithTheReadmesParameterCount() throws IOException {
        // layouts/README.md's table
        Map<String, Long> params = Map.of("lenet5.json", 61_706L, "lenet5-3x3.json", 60_074L,
                "mlp.json", 669_706L, "convnet.json", 3_199_106L, "resnet-mini.json", 36_170L);
        for (Path p : Examples.all()) {
            Project project = ProjectFile.withLayerRegistry().load(p);
            ShapeReport r = ShapeInference.infer(project.graph());
            assertTrue(r.isValid(), p + ": " + r.problems());
            assertEquals(params.get(p.getFileName().toString()), r.totalParameters(), p.toString());
        }
    }

    @Test
    void theFolderComesFromTheSystemProperty() {
        String prop = System.getProperty("deepcanvas.layouts");
        assertNotNull(prop, "surefire sets -Ddeepcanvas.layouts (app/pom.xml)");
        assertEquals(Path.of(prop), Examples.folder());
    }

    @Test
    void aMissingFolderGivesNoExamplesRatherThanAnError() {
        String prop = System.getProperty("deepcanvas.layouts");
        try {
            System.setProperty("deepcanvas.layouts", "/no/such/folder/anywhere");
            assertTrue(Examples.all().isEmpty());
            assertNull(Examples.lenet5());
        } finally {
            if (prop == null) {
                System.clearProperty("deepcanvas.layouts");
            } else {
                System.setProperty("deepcanvas.layouts", prop);
            }
        }
    }
}
