package io.deepcanvas.engine.cli;

import static io.deepcanvas.engine.cli.CliTest.assertFails;
import static io.deepcanvas.engine.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.cli.CliTest.Outcome;
import io.deepcanvas.engine.io.OptimizerSettings;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.Safetensors;
import io.deepcanvas.engine.io.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, eval, summary and export on layouts/lenet5.json, with short runs ({@code --steps 20}), and every way a
 * project, a weights file or an option can be wrong.
 */
class ProjectCommandsTest {
    @TempDir
    static Path dir;
    static Path project;
    static Path weights;
    static Outcome trained;

    @BeforeAll
    static void trainTwentySteps() throws IOException {
        project = dir.resolve("lenet5.json");
        Files.copy(layout("lenet5.json"), project);
        weights = dir.resolve("trained.safetensors");
        trained = cli("train", project.toString(), "--steps", "20", "--save-weights", weights.toString(),
                "--metrics", dir.resolve("metrics.csv").toString(), "--log-every", "5");
        assertEquals(0, trained.exit(), trained.err());
    }

    /** A file of the repository's layouts/ folder, found from the working directory up. */
    static Path layout(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("layouts").resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError("layouts/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** The LeNet-5 layout changed by {@code edit}, saved as {@code name} in the test folder. */
    static Path projectWith(String name, UnaryOperator<Project> edit) throws IOException {
        Project p = edit.apply(new ProjectFile().load(layout("lenet5.json")));
        Path file = dir.resolve(name);
        new ProjectFile().save(p, file);
        return file;
    }

    static Project withParam(Project p, String node, String param, Object value) {
        p.graph().require(node).setParam(param, value);
        return p;
    }

    static double testAccuracy(String out) {
        Matcher m = Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainPrintsProgressAndTestAccuracyAndSavesWeightsAndMetrics() throws IOException {
        String out = trained.out();
        assertTrue(out.contains("training 20 steps (1 epoch of 938 batches) on cpu"), out);
        // plain lines every --log-every steps, since the output is not a terminal
        assertEquals(4, out.lines().filter(l -> l.startsWith("epoch 1/1  step ")).count(), out);
        assertTrue(out.contains("reached the step limit of 20 steps"), out);
        assertTrue(testAccuracy(out) > 30, "20 Adam steps already beat chance: " + out);
        assertTrue(out.contains("saved weights to " + weights), out);
        assertEquals(List.of("conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight",
                "fc2.bias", "fc2.weight", "fc3.bias", "fc3.weight"), List.copyOf(Safetensors.read(weights).keySet()));
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,epoch,loss,accuracy", csv.get(0));
        assertEquals(21, csv.size());
        assertTrue(csv.get(20).matches("20,1,[0-9.]+,[0-9.]+"), csv.get(20));
    }

    @Test
    void theWarmupBeforeARunChangesNoWeight() throws IOException {
        // the ConvNet has dropout: its masks come from the generator that the warm-up's copy draws from too
        Path convnet = dir.resolve("convnet.json");
        Files.copy(layout("convnet.json"), convnet);
        Path warmWeights = dir.resolve("warm.safetensors"), coldWeights = dir.resolve("cold.safetensors");
        Outcome warm = cli("train", convnet.toString(), "--steps", "3", "--batch-size", "16", "--save-weights",
                warmWeights.toString());
        Outcome cold;
        System.setProperty("deepcanvas.noWarmup", "true");
        try {
            cold = cli("train", convnet.toString(), "--steps", "3", "--batch-size", "16", "--save-weights",
                    coldWeights.toString());
        } finally {
            System.clearProperty("deepcanvas.noWarmup");
        }
        assertEquals(0, warm.exit(), warm.err());
        assertEquals(0, cold.exit(), cold.err());
        assertTrue(Pattern.compile("compiling the CPU kernels \\(a warm-up on a copy of the network\\)\\.\\.\\. "
                + "\\d+ steps in \\d+\\.\\d s\n").matcher(warm.out()).find(), warm.out());
        assertFalse(cold.out().contains("compiling the CPU kernels"), cold.out());
        var a = Safetensors.read(warmWeights);
        var b = Safetensors.read(coldWeights);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(b.get(name).toArray(), a.get(name).toArray(), name);
        }
    }

    @Test
    void trainSavesNextToTheProjectUnderItsWeightsNameByDefault() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("default"));
        Path p = sub.resolve("net.json");
        new ProjectFile().save(new ProjectFile().load(layout("lenet5.json")).withWeights("mine.safetensors"), p);
        Outcome o = cli("train", p.toString(), "--steps", "2", "--batch-size", "8", "--no-shuffle", "--seed", "3");
        assertEquals(0, o.exit(), o.err());
        assertTrue(Files.isRegularFile(sub.resolve("mine.safetensors")), "the project's \"weights\" name");
        Path unnamed = sub.resolve("unnamed.json");
        Files.copy(layout("lenet5.json"), unnamed);
        assertEquals(0, cli("train", unnamed.toString(), "--steps", "1").exit());
        assertTrue(Files.isRegularFile(sub.resolve("unnamed.safetensors")), "PROJECT.safetensors without a name");
        assertTrue(o.out().contains("batch 8, no shuffle"), o.out());
        assertTrue(o.out().contains("(1 epoch of 7,500 batches)"), o.out());
    }

    /** Writes a small MNIST-format folder: {@code n} random 28x28 images with labels 0..9, train and test. */
    static Path tinyMnist(int n) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("tiny-mnist"));
        java.util.Random rng = new java.util.Random(1);
        for (String split : new String[] {"train", "t10k"}) {
            java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n)
                    .putInt(28).putInt(28);
            java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                byte[] pixels = new byte[784];
                rng.nextBytes(pixels);
                images.put(pixels);
                labels.put((byte) (i % 10));
            }
            Files.write(folder.resolve(split + "-images-idx3-ubyte"), images.array());
            Files.write(folder.resolve(split + "-labels-idx1-ubyte"), labels.array());
        }
        return folder;
    }

    @Test
    void stepsBeyondOneEpochRunMoreEpochsOnAnyMnistFormatFolder() throws IOException {
        Outcome o = cli("train", project.toString(), "--data", tinyMnist(100).toString(), "--batch-size", "40",
                "--steps", "5", "--save-weights", dir.resolve("tiny.safetensors").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("training 5 steps (2 epochs of 3 batches)"), o.out());
        assertTrue(o.out().contains("test accuracy") && o.out().contains("/100)"), "tested on the folder's 100 "
                + "test images:\n" + o.out());
    }

    @Test
    void evalOfTheSavedWeightsReproducesTheAccuracyTrainReported() {
        Outcome o = cli("eval", project.toString(), "--weights", weights.toString());
        assertEquals(0, o.exit(), o.err());
        assertEquals(testAccuracy(trained.out()), testAccuracy(o.out()), 1e-9);
        assertTrue(o.out().contains("class  accuracy"), o.out());
        assertTrue(o.out().contains("confusion matrix (rows: actual class, columns: predicted class)"), o.out());
        assertEquals(10, o.out().lines().filter(l -> l.matches("\\d {8}.*")).count(), "ten matrix rows:\n" + o.out());
    }

    @Test
    void trainFromInitWeightsStartsWhereTheyLeftOff() {
        Outcome o = cli("train", project.toString(), "--steps", "1", "--lr", "1e-9", "--init-weights",
                weights.toString(), "--save-weights", dir.resolve("again.safetensors").toString());
        assertEquals(0, o.exit(), o.err());
        // one step at a negligible learning rate keeps the trained accuracy, far from a fresh network's ~10%
        assertEquals(testAccuracy(trained.out()), testAccuracy(o.out()), 1.0);
    }

    @Test
    void summaryPrintsTheModuleTreeAndALayerTableWithTotals() {
        Outcome o = cli("summary", project.toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("LeNet5(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"), o.out());
        assertTrue(o.out().matches("(?s).*conv2 \\(Conv2d\\) +\\[16, 10, 10] +2,416 +240,000\n.*"), o.out());
        assertTrue(o.out().contains("Total parameters: 61,706"), o.out());
        assertTrue(o.out().contains("Total MACs per image: 416,520"), o.out());
    }

    @Test
    void summaryShowsABranchingLayoutWithItsAddNode() {
        Outcome o = cli("summary", layout("resnet-mini.json").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().matches("(?s).*\\(Add\\) .*"), o.out());
        assertTrue(o.out().contains("Total parameters: 36,170"), o.out());
    }

    @Test
    void summaryOfAnInvalidNetworkListsItsProblemsByNodeAndExitsWith3() throws IOException {
        Path broken = projectWith("broken.json", p -> withParam(p, "conv2", "kernel_size", 50));
        Outcome o = cli("summary", broken.toString());
        assertFails(o, 3, "the network in " + broken + " is not valid: ");
        assertTrue(o.out().contains("Problems:\n  Conv2d 'conv2': kernel 50x50 is larger than its input 14x14"),
                o.out());
        assertTrue(o.out().contains("conv1 (Conv2d)"), "the valid part of the table is still shown:\n" + o.out());
    }

    @Test
    void trainOnAnInvalidNetworkNamesTheNodeAndExitsWith3() throws IOException {
        Path broken = projectWith("broken2.json", p -> withParam(p, "conv2", "kernel_size", 50));
        assertFails(cli("train", broken.toString(), "--steps", "1"), 3, "is not valid: Conv2d 'conv2': kernel 50x50");
    }

    @Test
    void exportWritesARunnablePyTorchScript() throws IOException {
        Path py = dir.resolve("net.py");
        Outcome o = cli("export", project.toString(), "--pytorch", py.toString(), "--weights", weights.toString());
        assertEquals(0, o.exit(), o.err());
        String code = Files.readString(py);
        assertTrue(code.contains("class Net(nn.Module):"), code);
        assertTrue(code.contains("self.fc1 = nn.Linear(400, 120)"), code);
        assertTrue(code.contains("def make_optimizer(params):\n    return torch.optim.Adam(params, lr=0.001, "
                + "betas=(0.9, 0.999), eps=1.0e-8, weight_decay=0.0, amsgrad=False)"), code);
        Path beside = dir.resolve("net.safetensors");
        assertEquals(-1L, Files.mismatch(weights, beside), "the weights travel beside the script, under its name");
        assertTrue(o.out().contains("copied " + weights + " to " + beside + " beside it: train and eval start "
                + "from them"), o.out());
        assertTrue(o.out().contains("train it:     python3 " + py + " train"), o.out());
        assertTrue(o.out().contains("torchrun --nproc_per_node=4 " + py + " train"), o.out());
    }

    @Test
    void aNetworkWithoutTenOutputsIsRefusedBeforeTrainingAndSummaryNamesTheFix() throws IOException {
        Path five = projectWith("five.json", p -> withParam(p, "fc3", "out_features", 5));
        assertFails(cli("train", five.toString(), "--steps", "1"), 3, "Linear 'fc3': the network outputs 5 values "
                + "per image but MNIST has 10 classes (the digits 0-9), one output each: set out_features of "
                + "Linear 'fc3' to 10");
        Outcome summary = cli("summary", five.toString());
        assertEquals(3, summary.exit());
        assertTrue(summary.out().contains("(fc3): Linear(in_features=84, out_features=5, bias=True)"),
                "the module still prints:\n" + summary.out());
        assertTrue(summary.out().contains("Problems:\n  Linear 'fc3': the network outputs 5 values"), summary.out());
        assertFails(cli("export", five.toString(), "--pytorch", dir.resolve("five.py").toString()), 3,
                "set out_features of Linear 'fc3' to 10");
    }

    @Test
    void filesOfTheWrongKindSayWhatWasExpected() throws IOException {
        assertFails(cli("summary", weights.toString()), 1, "cannot read project " + weights + ": it is not a text "
                + "file (a project is JSON text, like layouts/lenet5.json; this is a weights file, which goes with "
                + "--weights or --init-weights)");
        Path folder = Files.createDirectories(dir.resolve("runs"));
        assertFails(cli("eval", project.toString(), "--weights", folder.toString()), 1, "--weights " + folder
                + " is a folder, not a weights file: it holds no .safetensors file");
        Files.copy(weights, folder.resolve("a.safetensors"));
        assertFails(cli("eval", project.toString(), "--weights", folder.toString()), 1,
                "is a folder, not a weights file: did you mean " + folder.resolve("a.safetensors") + "?");
        assertFails(cli("train", project.toString(), "--steps", "1", "--metrics", folder.toString()), 1,
                "--metrics " + folder + " is a folder; give a file name");
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsRefusedWithTheLargestThatFits() throws IOException {
        assertFails(cli("train", project.toString(), "--batch-size", "60001"), 2, "--batch-size 60001 is larger "
                + "than the training set: the 60,000 training images make at most one batch of 60,000; use at "
                + "most --batch-size 60000");
        Path huge = projectWith("huge.json", p -> p.withTraining(p.training().withBatchSize(100_000)));
        assertFails(cli("train", huge.toString()), 1, "the project's batchSize 100000 is larger than the training "
                + "set");
    }

    @Test
    void oneStepIsSingular() throws IOException {
        Outcome o = cli("train", project.toString(), "--steps", "1", "--save-weights",
                dir.resolve("one.safetensors").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("training 1 step (1 epoch of 938 batches)"), o.out());
        assertTrue(o.out().contains("reached the step limit of 1 step in"), o.out());
    }

    @Test
    void weightsOfAnotherNetworkAreRefusedWithTheMismatch() throws IOException {
        Path wider = projectWith("wider.json", p -> withParam(p, "fc1", "out_features", 100));
        assertFails(cli("eval", wider.toString(), "--weights", weights.toString()), 1,
                "the weights in " + weights + " do not fit this network: ");
        assertFails(cli("export", wider.toString(), "--pytorch", dir.resolve("w.py").toString(), "--weights",
                weights.toString()), 1, "size mismatch for fc1.bias");
    }

    @Test
    void missingAndBrokenFilesAreOneLineRuntimeErrors() throws IOException {
        assertFails(cli("train", dir.resolve("nope.json").toString()), 1, "project file " + dir.resolve("nope.json")
                + " does not exist");
        assertFails(cli("summary", dir.toString()), 1, "is a folder, not a project file");
        Path broken = dir.resolve("syntax.json");
        Files.writeString(broken, Files.readString(project).replace("\"batchSize\": 64,", "\"batchSize\": 64"));
        assertFails(cli("summary", broken.toString()), 1, "cannot read project " + broken + " at $.training.");
        assertTrue(cli("summary", broken.toString()).err().matches("(?s).*\\(line \\d+\\): malformed JSON.*"),
                "the line of the mistake");
        Path unknownType = dir.resolve("type.json");
        Files.writeString(unknownType, Files.readString(project).replace("\"type\": \"ReLU\"",
                "\"type\": \"Relu\""));
        assertFails(cli("train", unknownType.toString()), 1, "cannot read project " + unknownType
                + " at $.graph.nodes");
        Path badSetting = dir.resolve("lr.json");
        Files.writeString(badSetting, Files.readString(project).replace("\"lr\": 0.001", "\"lr\": -1"));
        assertFails(cli("train", badSetting.toString()), 1, "cannot read project " + badSetting
                + " at $.training.optimizer.lr");
        assertFails(cli("eval", project.toString(), "--weights", dir.resolve("none.safetensors").toString()), 1,
                "weights file " + dir.resolve("none.safetensors") + " does not exist");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "not safetensors");
        assertFails(cli("eval", project.toString(), "--weights", garbage.toString()), 1,
                "cannot read weights " + garbage + ": the header claims");
        assertFails(cli("train", project.toString(), "--data", dir.resolve("nodata").toString()), 1,
                "MNIST folder");
        assertFails(cli("train", project.toString(), "--metrics", dir.resolve("no/such/m.csv").toString()), 1,
                "--metrics " + dir.resolve("no/such/m.csv") + ": folder");
        assertFails(cli("train", project.toString(), "--save-weights", dir.resolve("no/w.safetensors").toString()),
                1, "--save-weights " + dir.resolve("no/w.safetensors") + ": folder");
    }

    @Test
    void requiredOptionsAreUsageErrors() {
        assertFails(cli("eval", project.toString()), 2, "deepcanvas: eval: missing --weights FILE");
        assertFails(cli("export", project.toString()), 2, "deepcanvas: export: missing --pytorch FILE");
    }

    @Test
    void anUnavailableDeviceIsARuntimeErrorWithTheFix() {
        // no machine has 100 OpenCL devices: the line names the device asked for, and the fix
        assertFails(cli("train", project.toString(), "--device", "opencl:99"), 1, "opencl:99");
        assertFails(cli("eval", project.toString(), "--weights", "w.safetensors", "--device", "opencl:99"), 1,
                "opencl:99");
    }

    @Test
    void inputShapeThatDoesNotFitTheDataIsReportedBeforeTraining() throws IOException {
        Path unpadded = projectWith("nopad.json",
                p -> p.withTraining(p.training().withTransforms(
                        List.of(new TrainingSettings.Normalize(0.1307, 0.3081)))));
        assertFails(cli("train", unpadded.toString()), 1, "expects samples of shape [1, 32, 32] but the MNIST "
                + "images after the project's transforms are [1, 28, 28]");
    }

    @Test
    void aDivergingRunStopsWithTheLearningRateAdviceAndSavesNothing() throws IOException {
        Path sgd = projectWith("sgd.json",
                p -> p.withTraining(p.training().withOptimizer(new OptimizerSettings.SGD(0.01, 0))));
        Path w = dir.resolve("diverged.safetensors");
        Outcome o = cli("train", sgd.toString(), "--lr", "10000", "--steps", "50", "--save-weights", w.toString());
        assertFails(o, 1, "lower the learning rate (now 10000.0)");
        assertTrue(o.err().contains("deepcanvas: train: loss became "), o.err());
        assertTrue(Files.notExists(w), "a diverged network's weights are not saved");
    }
}
