package io.deepcanvas.engine.cli;

import static io.deepcanvas.engine.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.cli.CliTest.Outcome;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.WeightsFile;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.PythonTorch;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepcanvas export --pytorch} end to end: LeNet-5 trained 30 steps by the engine and exported with its
 * weights. Where PyTorch is installed, the program's {@code eval} scores them as {@code deepcanvas eval} does, its
 * {@code train} runs in one process and as two DistributedDataParallel processes (gloo, the variables torchrun sets,
 * set by hand), and the weights it saves open in DeepCanvas again.
 */
class ExportedProgramTest {
    @TempDir
    static Path dir;
    static Path project;
    static Path trained;
    static Path script;
    static String exportOutput;

    @BeforeAll
    static void trainAndExport() throws IOException {
        project = dir.resolve("lenet5.json");
        Files.copy(ProjectCommandsTest.layout("lenet5.json"), project);
        trained = dir.resolve("trained.safetensors");
        Outcome t = cli("train", project.toString(), "--steps", "30", "--save-weights", trained.toString());
        assertEquals(0, t.exit(), t.err());
        script = dir.resolve("lenet5.py");
        Outcome e = cli("export", project.toString(), "--pytorch", script.toString(), "--weights",
                trained.toString());
        assertEquals(0, e.exit(), e.err());
        exportOutput = e.out();
    }

    @Test
    void theExportSaysWhatItWroteAndHowToRunIt() {
        assertTrue(exportOutput.startsWith("wrote " + script + ": LeNet-5 as a PyTorch program (class Net, 61,706 "
                + "parameters; MNIST, CrossEntropyLoss, Adam(lr=0.001), batch 64, 1 epoch)"), exportOutput);
        assertTrue(exportOutput.contains("python3 " + script + " eval"), exportOutput);
    }

    @Test
    void theWeightsTravelBesideTheScript() throws IOException {
        assertEquals(-1L, Files.mismatch(trained, dir.resolve("lenet5.safetensors")));
        assertTrue(Files.readString(script).contains("\nSTART_FROM_WEIGHTS = True\n"));
    }

    // ---- running it with PyTorch ----------------------------------------------------------------------------------

    /** {@code test accuracy 74.55% (7455/10000), loss 0.9253}: correct, total and loss. */
    private static double[] accuracyLine(String out) {
        Matcher m = Pattern.compile("test accuracy \\d+\\.\\d+% \\((\\d+)/(\\d+)\\), loss (\\d+\\.\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
            Double.parseDouble(m.group(3))};
    }

    @Test
    void theScriptsEvalReportsWhatDeepCanvasEvalReports() throws Exception {
        PythonTorch.assume("the run of the exported program");
        Outcome ours = cli("eval", project.toString(), "--weights", trained.toString());
        assertEquals(0, ours.exit(), ours.err());
        PythonTorch.Result theirs = PythonTorch.run(dir, script.toString(), "eval");
        assertEquals(0, theirs.exit(), theirs.output());

        assertTrue(theirs.output().startsWith("LeNet-5 with lenet5.safetensors on 10000 MNIST test images\n"),
                theirs.output());
        double[] a = accuracyLine(ours.out());
        double[] b = accuracyLine(theirs.output());
        assertEquals(a[1], b[1], "the whole test set");
        // the same weights and preprocessing: at most an image whose two best scores tie to float precision differs
        assertEquals(a[0], b[0], 2, "correct images:\n" + ours.out() + "\n---\n" + theirs.output());
        assertEquals(a[2], b[2], 2e-4 + 1e-3 * a[2], "mean loss");
        // the table and the confusion matrix are laid out alike
        assertTrue(theirs.output().contains("class  accuracy   correct/total\n    0  "), theirs.output());
        assertTrue(theirs.output().contains("confusion matrix (rows: actual class, columns: predicted class)\n"
                + "actual  "), theirs.output());
    }

    @Test
    void evalWithoutAnyWeightsRefusesRatherThanScoreRandomOnes() throws Exception {
        PythonTorch.assume("the run of the exported program");
        Path bare = Files.createDirectories(dir.resolve("bare"));
        Outcome e = cli("export", project.toString(), "--pytorch", bare.resolve("net.py").toString());
        assertEquals(0, e.exit(), e.err());
        PythonTorch.Result r = PythonTorch.run(bare, "net.py", "eval");
        assertEquals(2, r.exit(), r.output());
        assertEquals("net.py: eval: no weights to evaluate: give a weights file (python3 net.py eval "
                + "W.safetensors), or train first: 'python3 net.py train' saves net.safetensors beside this script",
                r.output().strip());
    }

    @Test
    void oneProcessTrainsFromFreshWeightsAndSavesWhatDeepCanvasOpens() throws Exception {
        PythonTorch.assume("the run of the exported program");
        Path saved = dir.resolve("single.safetensors");
        PythonTorch.Result r = PythonTorch.run(dir, script.toString(), "train", "--weights", "none", "--max-steps",
                "2", "--limit-test", "100", "--device", "cpu", "--save", saved.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("LeNet-5: 61,706 parameters; CrossEntropyLoss, Adam(lr=0.001), batch 64\n"
                + "training 2 steps (1 epoch of 938 batches) on cpu\n"), r.output());
        assertTrue(r.output().contains("reached the step limit of 2 steps in "), r.output());
        assertTrue(r.output().contains("test accuracy "), r.output());
        Outcome eval = cli("eval", project.toString(), "--weights", saved.toString());
        assertEquals(0, eval.exit(), eval.err());
        // two steps from fresh weights: far from the 30-step engine run's accuracy, but a real score
        assertTrue(accuracyLine(eval.out())[0] < accuracyLine(cli("eval", project.toString(), "--weights",
                trained.toString()).out())[0], eval.out());
    }

    @Test
    void twoProcessesTrainTogetherWithGlooAndTheWeightsOpenInDeepCanvas() throws Exception {
        PythonTorch.assume("the distributed run of the exported program");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path saved = dir.resolve("ddp.safetensors");
        PythonTorch.Running[] ranks = new PythonTorch.Running[2];
        for (int rank = 0; rank < 2; rank++) {
            // what torchrun sets for each process it starts
            Map<String, String> env = new HashMap<>(Map.of("RANK", "" + rank, "LOCAL_RANK", "" + rank,
                    "WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "" + port, "OMP_NUM_THREADS",
                    "1"));
            ranks[rank] = PythonTorch.start(dir, env, script.toString(), "train", "--max-steps", "3",
                    "--limit-test", "200", "--device", "cpu", "--save", saved.toString());
        }
        PythonTorch.Result first = ranks[0].await(240);
        PythonTorch.Result second = ranks[1].await(60);
        assertEquals(0, first.exit(), first.output());
        assertEquals(0, second.exit(), second.output());
        assertTrue(first.output().contains("batch 64 per process (128 in all); from lenet5.safetensors"),
                first.output());
        assertTrue(first.output().contains("training 3 steps (1 epoch of 469 batches) on 2 processes (gloo), cpu"),
                first.output());
        assertTrue(first.output().contains("epoch 1: train loss "), first.output());
        assertTrue(first.output().contains("saved weights to " + saved), first.output());
        assertEquals("", second.output().strip(), "rank 1 prints nothing");

        // the weights come back into DeepCanvas, changed by the three steps
        GraphModule before = GraphCompiler.compile(new ProjectFile().load(project).graph());
        WeightsFile.read(before, trained);
        GraphModule after = GraphCompiler.compile(new ProjectFile().load(project).graph());
        WeightsFile.read(after, saved);
        Tensor w0 = before.namedParameters().get("fc3.weight");
        Tensor w1 = after.namedParameters().get("fc3.weight");
        assertNotEquals(w0.toArray()[0], w1.toArray()[0], "trained further");
        Outcome eval = cli("eval", project.toString(), "--weights", saved.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertEquals(10000, accuracyLine(eval.out())[1]);
    }
}
