package io.deepcanvas.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The project as a whole PyTorch program: the recipe it writes is the project's, every setting spelled out. */
class PyTorchProgramTest {
    static Path layout(String name) {
        return SafetensorsTest.repositoryRoot().resolve("layouts").resolve(name);
    }

    @Test
    void theScriptCarriesTheProjectsWholeRecipe() throws IOException {
        Project project = new ProjectFile().load(layout("lenet5.json"));
        ShapeReport report = ShapeInference.infer(project.graph());
        String py = PyTorchProgram.export(project, report, new PyTorchProgram.ProgramFiles("lenet5.py",
                "lenet5.safetensors", true, "/data/mnist"));
        for (String line : new String[] {
            "PROJECT = \"LeNet-5\"",
            "INPUT_SHAPE = (1, 32, 32)",
            "TRANSFORMS = [(\"Pad\", 2), (\"Normalize\", 0.1307, 0.3081)]",
            "BATCH_SIZE = 64",
            "EPOCHS = 1",
            "SHUFFLE = True",
            "SEED = 1",
            "DATA_DIR = \"/data/mnist\"",
            "WEIGHTS_FILE = \"lenet5.safetensors\"",
            "START_FROM_WEIGHTS = True",
            "    return nn.CrossEntropyLoss()",
            "    return torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1.0e-8, weight_decay=0.0, "
                    + "amsgrad=False)",
            "        self.conv1 = nn.Conv2d(1, 6, kernel_size=5)",
            "        self.fc3 = nn.Linear(84, 10)",
        }) {
            // a line as it stands, or followed by its comment
            assertTrue(py.contains("\n" + line + "\n") || py.contains("\n" + line + "  # "),
                    () -> "missing line: " + line);
        }
        assertFalse(py.contains("@NET@") || py.contains("@RECIPE@") || py.contains("@HEADER@"), "all filled in");
        assertTrue(py.contains("#   torchrun --nproc_per_node=4 lenet5.py train\n"), py);
    }

    @Test
    void aVectorInputIsATupleOfOne() throws IOException {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", List.of(784)), 0, 0);
        g.add("fc", "Linear", Map.of("out_features", 10), 200, 0);
        g.connect("input", "fc");
        Project project = Project.of("Softmax regression", g);
        String py = PyTorchProgram.export(project, ShapeInference.infer(project.graph()),
                new PyTorchProgram.ProgramFiles("x.py", "x.safetensors", false, null));
        assertTrue(py.contains("\nINPUT_SHAPE = (784,)  #"), "(784) would be a number");
        assertTrue(py.contains("\nDATA_DIR = None  #"), py);
        assertTrue(py.contains("\nSTART_FROM_WEIGHTS = False\n"), py);
    }

    @Test
    void everyOptimizerSettingIsWrittenOut() {
        assertEquals("torch.optim.SGD(params, lr=0.05, momentum=0.9, dampening=0.0, weight_decay=1.0e-4, "
                + "nesterov=True)", PyTorchProgram.constructor(new OptimizerSettings.SGD(0.05, 0.9, 0, 1e-4, true)));
        assertEquals("torch.optim.RMSprop(params, lr=0.01, alpha=0.9, eps=1.0e-6, weight_decay=0.0, momentum=0.5, "
                + "centered=True)", PyTorchProgram.constructor(new OptimizerSettings.RMSprop(0.01, 0.9, 1e-6, 0, 0.5,
                true)));
        assertEquals("torch.optim.Adam(params, lr=0.002, betas=(0.8, 0.99), eps=1.0e-7, weight_decay=0.01, "
                + "amsgrad=True)", PyTorchProgram.constructor(new OptimizerSettings.Adam(0.002, 0.8, 0.99, 1e-7, 0.01,
                true)));
    }

    @Test
    void namesBecomePythonStringsSafely() {
        assertEquals("\"Lu\\\"ís \\\\ net\\n\"", PyTorchProgram.str("Lu\"ís \\ net\n"));
    }
}
