package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.NodeInfo;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.AtomicFiles;
import io.deepcanvas.engine.io.OptimizerSettings;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.ProjectFormatException;
import io.deepcanvas.engine.io.PyTorchProgram;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.io.WeightsFile;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.RMSprop;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.Evaluation;
import io.deepcanvas.engine.train.Evaluator;
import io.deepcanvas.engine.train.RunWarmup;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The commands that open a project file: {@code train eval summary export}. */
final class ProjectCommands {
    static final List<String> DEVICES = List.of("cpu", "opencl", "auto");

    private ProjectCommands() {
    }

    /** The {@code train} command line, checked before any file is opened; null fields were not given. */
    record TrainOptions(Path project, Integer epochs, Integer steps, Integer batchSize, Double lr, String device,
                        Path initWeights, Path saveWeights, boolean noShuffle, Path data, Path metrics, Long seed,
                        Integer logEvery) {
        static TrainOptions of(Args a) {
            return new TrainOptions(Path.of(a.onePositional("PROJECT file")), a.positiveInt("--epochs"),
                    a.positiveInt("--steps"), a.positiveInt("--batch-size"), a.positiveNumber("--lr"),
                    deviceOption(a), a.path("--init-weights"), a.path("--save-weights"),
                    a.flag("--no-shuffle"), a.path("--data"), a.path("--metrics"), a.anyLong("--seed"),
                    a.positiveInt("--log-every"));
        }
    }

    // ---- train ----------------------------------------------------------------------------------------------

    static int train(Args args, PrintStream out, PrintStream err) {
        TrainOptions o = TrainOptions.of(args);
        // from the start: a Ctrl-C while the data loads still stops the run cleanly, before its first step
        try (CtrlC ctrlC = CtrlC.catchDuring(out)) {
            return train(o, out, ctrlC);
        }
    }

    private static int train(TrainOptions o, PrintStream out, CtrlC ctrlC) {
        Project project = open(o.project());
        TrainingSettings s = project.training();
        long seed = o.seed() != null ? o.seed() : s.seed();
        Device device = device(o.device() != null ? o.device() : s.device(), out);
        ShapeReport report = validNetwork(project, o.project());
        Transform transform = transform(s);
        Loss loss = loss(s.loss());
        // the seed fixes the initial weights as well as the shuffle, so a run can be repeated exactly
        Tensor.manualSeed(seed);
        GraphModule model = GraphCompiler.compile(report, className(project.name()));
        if (o.initWeights() != null) {
            loadWeights(model, o.initWeights(), "--init-weights");
        }
        Optimizer<?> optimizer = optimizer(s.optimizer(), o.lr(), model);
        // from here until it is awaited nothing may draw from the default generator (see RunWarmup.start)
        RunWarmup.InBackground warmup = device.equals(Device.CPU) ? startWarmup(report, project, s, o, ctrlC) : null;
        TrainingRun.Plan plan;
        Path weights;
        try {
            Mnist trainSet = TrainingRun.mnist(o.data(), true, transform);
            checkInputShape(report, trainSet, o.project());
            int batchSize = batchSize(o, s, trainSet.size());
            int perEpoch = (trainSet.size() + batchSize - 1) / batchSize;
            // --steps alone runs as many epochs as the steps need; with --epochs the first limit reached stops
            int epochs = o.epochs() != null ? o.epochs()
                    : o.steps() != null ? (int) Math.max(1, (o.steps() + perEpoch - 1) / perEpoch) : s.epochs();
            weights = o.saveWeights() != null ? o.saveWeights() : defaultWeights(project, o.project());
            checkWritable(weights, "--save-weights");
            if (o.metrics() != null) {
                checkWritable(o.metrics(), "--metrics");
            }
            plan = new TrainingRun.Plan(trainSet, TrainingRun.mnist(o.data(), false, transform), epochs,
                    o.steps() != null ? o.steps() : 0, batchSize, s.shuffle() && !o.noShuffle(), seed, o.metrics(),
                    o.logEvery() != null ? o.logEvery() : 0);
        } catch (RuntimeException e) {
            if (warmup != null) {
                warmup.stop();
                warmup.await();
            }
            throw e;
        }

        out.printf(Locale.ROOT, "%s: %,d parameters; %s, %s, batch %d%s%n", project.name(), model.parameterCount(),
                s.loss(), s.optimizer().describe(optimizer.lr()), plan.batchSize(), o.noShuffle() || !s.shuffle()
                        ? ", no shuffle" : "");
        if (warmup != null) {
            out.print("compiling the CPU kernels (a warm-up on a copy of the network)... ");
            out.flush();
            RunWarmup.Report w = warmup.await();
            out.println(w != null ? w : "skipped (it failed; the run starts slower)");
        }
        TrainingRun.Result result = TrainingRun.train(model, loss, optimizer, plan, out,
                System.console() != null && out == System.out, ctrlC);
        if (result.stoppedByUser()) {
            return stopped(result, model, weights, o.metrics(), out);
        }
        saveWeights(model, weights);
        out.println("saved weights to " + weights);
        return 0;
    }

    /**
     * Starts compiling the network's kernels on a throwaway copy ({@link RunWarmup}), on random images of the
     * Input's shape, while the caller reads MNIST; null when it is not wanted ({@link RunWarmup#wanted}). The run's
     * results do not change.
     */
    private static RunWarmup.InBackground startWarmup(ShapeReport report, Project project, TrainingSettings s,
                                                      TrainOptions o, CtrlC ctrlC) {
        int batch = o.batchSize() != null ? o.batchSize() : s.batchSize();
        if (!RunWarmup.wanted(batch)) {
            return null;
        }
        Shape sample = report.outputShape(report.inputId());
        int classes = report.outputShape(report.outputId()).numel();
        return RunWarmup.start(() -> GraphCompiler.compile(report, className(project.name())),
                copy -> optimizer(s.optimizer(), o.lr(), copy), loss(s.loss()),
                RunWarmup.randomBatch(sample, classes, batch), RunWarmup.LIMIT, ctrlC::pressed);
    }

    /** After Ctrl-C: where the run stopped, and the weights it reached, saved. Exits 130, as a Ctrl-C does. */
    private static int stopped(TrainingRun.Result r, Module model, Path weights, Path metrics, PrintStream out) {
        long steps = r.finished().steps();
        if (steps == 0) {
            out.println("stopped by Ctrl-C before the first step: no weights saved");
            return CtrlC.EXIT_CODE;
        }
        out.printf(Locale.ROOT, "stopped by Ctrl-C after step %,d of %,d (epoch %d) in %s%n", steps,
                r.totalSteps(), r.lastEpoch(), TrainingRun.duration(r.finished().elapsed()));
        saveWeights(model, weights);
        out.println("saved the weights reached so far to " + weights);
        if (metrics != null) {
            out.println("metrics of those " + count(steps, "step") + " are in " + metrics);
        }
        return CtrlC.EXIT_CODE;
    }

    /** The batch size in use; one larger than the training set is refused, naming where it came from. */
    private static int batchSize(TrainOptions o, TrainingSettings s, int images) {
        int batch = o.batchSize() != null ? o.batchSize() : s.batchSize();
        if (batch > images) {
            String fix = String.format(Locale.ROOT, "the %,d training images make at most one batch of %,d", images,
                    images);
            if (o.batchSize() != null) {
                throw CliException.usage("--batch-size " + batch + " is larger than the training set: " + fix
                        + "; use at most --batch-size " + images);
            }
            throw CliException.runtime("the project's batchSize " + batch + " is larger than the training set: " + fix
                    + "; set batchSize to at most " + images + " in " + o.project() + ", or pass --batch-size");
        }
        return batch;
    }

    // ---- eval -----------------------------------------------------------------------------------------------

    static int eval(Args args, PrintStream out, PrintStream err) {
        Path file = Path.of(args.onePositional("PROJECT file"));
        Path weightsFile = args.requiredPath("--weights");
        Path data = args.path("--data");
        Integer batch = args.positiveInt("--batch-size");
        String deviceName = deviceOption(args);
        Project project = open(file);
        device(deviceName != null ? deviceName : project.training().device(), out);
        ShapeReport report = validNetwork(project, file);
        GraphModule model = GraphCompiler.compile(report, className(project.name()));
        loadWeights(model, weightsFile, "--weights");
        Mnist test = TrainingRun.mnist(data, false, transform(project.training()));
        checkInputShape(report, test, file);
        Evaluation e = Evaluator.evaluate(model, TrainingRun.testLoader(test, batch != null ? batch
                : TrainingRun.TEST_BATCH), loss(project.training().loss()));
        out.println(project.name() + " with " + weightsFile + " on " + test.size() + " MNIST test images");
        TrainingRun.printEvaluation(e, out);
        return 0;
    }

    // ---- summary --------------------------------------------------------------------------------------------

    static int summary(Args args, PrintStream out, PrintStream err) {
        Path file = Path.of(args.onePositional("PROJECT file"));
        Project project = open(file);
        ShapeReport report = ShapeInference.infer(project.graph());
        out.println(project.name() + " (" + file + ")");
        out.println();
        if (report.compiles()) {
            out.println(GraphCompiler.compile(report, className(project.name())));
            out.println();
        }
        out.print(layerTable(report));
        if (!report.isValid()) {
            out.println();
            out.println("Problems:");
            for (Problem p : report.problems()) {
                out.println("  " + describe(p));
            }
            throw CliException.invalidNetwork("the network in " + file + " is not valid: " + count(
                    report.problems().size(), "problem") + " (listed above)");
        }
        return 0;
    }

    /** One row per node: layer, output shape, parameters and multiply-accumulates per image; then the totals. */
    static String layerTable(ShapeReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Layer (type)", "Output shape", "Param #", "MACs"});
        for (NodeInfo n : report.nodes().values()) {
            rows.add(new String[] {n.label() + " (" + n.type().name() + ")", n.outputShape().toString(),
                String.format(Locale.ROOT, "%,d", n.parameters()), String.format(Locale.ROOT, "%,d", n.macs())});
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < 4; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        String format = "%-" + width[0] + "s  %-" + width[1] + "s  %" + width[2] + "s  %" + width[3] + "s%n";
        int ruleLength = width[0] + width[1] + width[2] + width[3] + 6;
        for (int i = 0; i < rows.size(); i++) {
            sb.append(String.format(Locale.ROOT, format, (Object[]) rows.get(i)));
            if (i == 0) {
                sb.append("-".repeat(ruleLength)).append('\n');
            }
        }
        sb.append("-".repeat(ruleLength)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total parameters: %,d%n", report.totalParameters()));
        sb.append(String.format(Locale.ROOT, "Total MACs per image: %,d%n", report.totalMacs()));
        return sb.toString();
    }

    // ---- export ---------------------------------------------------------------------------------------------

    /**
     * Writes the project as a whole PyTorch program (network, MNIST, recipe, train and eval commands); with
     * {@code --weights}, the weights are copied beside it under the script's name, where the script finds them
     * wherever the two files are moved together.
     */
    static int export(Args args, PrintStream out, PrintStream err) {
        Path file = Path.of(args.onePositional("PROJECT file"));
        Path py = args.requiredPath("--pytorch");
        Path weights = args.path("--weights");
        Project project = open(file);
        ShapeReport report = validNetwork(project, file);
        if (weights != null) {
            // check now that the weights fit the network, rather than when someone runs the script
            loadWeights(GraphCompiler.compile(report, className(project.name())), weights, "--weights");
        }
        checkWritable(py, "--pytorch");
        String name = py.getFileName().toString();
        Path beside = py.resolveSibling((name.endsWith(".py") ? name.substring(0, name.length() - 3) : name)
                + ".safetensors");
        Path data = exportDataFolder();
        String code = PyTorchProgram.export(project, report, new PyTorchProgram.ProgramFiles(
                py.getFileName().toString(), beside.getFileName().toString(), weights != null,
                data == null ? null : data.toString()));
        try {
            AtomicFiles.write(py, o -> o.write(code.getBytes(StandardCharsets.UTF_8)));
            if (weights != null && !sameFile(weights, beside)) {
                Files.copy(weights, beside, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.runtime("cannot write " + (e.getMessage() != null && e.getMessage().contains(
                    beside.toString()) ? beside : py) + ": " + MetricsCsv.describe(e), e);
        }
        out.println("wrote " + py + ": " + project.name() + " as a PyTorch program (class Net, " + count(
                report.totalParameters(), "parameter") + "; MNIST, " + project.training().loss() + ", "
                + project.training().optimizer().describe(project.training().optimizer().lr()) + ", batch "
                + project.training().batchSize() + ", " + count(project.training().epochs(), "epoch") + ")");
        if (weights != null) {
            out.println((sameFile(weights, beside) ? "the weights " + beside + " are beside it"
                    : "copied " + weights + " to " + beside + " beside it")
                    + ": train and eval start from them");
        }
        out.println("train it:     python3 " + py + " train        (saves " + beside + ")");
        out.println("evaluate it:  python3 " + py + " eval");
        out.println("on 4 GPUs:    torchrun --nproc_per_node=4 " + py + " train");
        return 0;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The MNIST folder this run would train on, for the script's last-resort default; null when there is none. */
    private static Path exportDataFolder() {
        try {
            Path p = Mnist.sampleDataFolder().toAbsolutePath().normalize();
            return Files.isDirectory(p) ? p : null;
        } catch (RuntimeException e) {
            return null; // the script then asks for --data
        }
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    /** Reads a project file; every way it can fail is one line naming the file and, for JSON, the place. */
    static Project open(Path file) {
        if (!Files.exists(file)) {
            throw CliException.runtime("project file " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw CliException.runtime(file + " is a folder, not a project file (.json)");
        }
        try {
            return ProjectFile.withLayerRegistry().load(file);
        } catch (ProjectFormatException e) {
            throw CliException.runtime("cannot read project " + file + " at " + e.path() + (e.line().isPresent()
                    ? " (line " + e.line().getAsInt() + ")" : "") + ": " + e.problem(), e);
        } catch (CharacterCodingException e) {
            throw CliException.runtime("cannot read project " + file + ": it is not a text file (a project is JSON "
                    + "text, like layouts/lenet5.json" + (file.toString().endsWith(".safetensors") ? "; this is a "
                    + "weights file, which goes with --weights or --init-weights" : "") + ")", e);
        } catch (IOException e) {
            throw CliException.runtime("cannot read project " + file + ": " + MetricsCsv.describe(e), e);
        } catch (RuntimeException e) {
            // a setting out of range (InvalidSettingException) or a graph the model refuses
            throw CliException.runtime("cannot read project " + file + ": " + e.getMessage(), e);
        }
    }

    /** The network's shape report, or exit 3 naming the first problem. */
    static ShapeReport validNetwork(Project project, Path file) {
        ShapeReport report = ShapeInference.infer(project.graph());
        if (!report.isValid()) {
            List<Problem> problems = report.problems();
            Problem first = problems.get(0);
            throw CliException.invalidNetwork("the network in " + file + " is not valid: " + describe(first)
                    + (problems.size() > 1 ? " (and " + count(problems.size() - 1, "more problem") + ")" : "")
                    + "; see 'deepcanvas summary " + file + "'");
        }
        return report;
    }

    /** The problem's message, led by its node unless the message already names it. */
    static String describe(Problem p) {
        return p.nodeId() == null || p.message().contains("'" + p.nodeId() + "'") ? p.message()
                : "node '" + p.nodeId() + "': " + p.message();
    }

    private static String withoutFileName(String message, Path file) {
        String prefix = file.getFileName() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** A Python class name from the project name ("LeNet-5" → "LeNet5"), for print(net). */
    static String className(String projectName) {
        String s = projectName.replaceAll("[^A-Za-z0-9_]", "");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "Net" + s : s;
    }

    /**
     * Chooses the device a command runs on and makes it the default, so that the model compiled next is created
     * there ({@code training.device} and {@code --device} mean the same). When {@code auto} falls back to the CPU
     * because OpenCL is missing, one line says so; OpenCL asked for by name and not usable is an error.
     */
    static Device device(String name, PrintStream out) {
        try {
            Device.Selection s = Device.select(name);
            if (s.note() != null) {
                out.println("deepcanvas: " + s.note());
            }
            Device.setDefault(s.device());
            return s.device();
        } catch (IllegalArgumentException e) {
            throw CliException.runtime(e.getMessage());
        }
    }

    /** {@code --device}: cpu, opencl, opencl:N or auto (case-insensitive), or null when not given. */
    static String deviceOption(Args a) {
        String v = a.string("--device");
        if (v == null) {
            return null;
        }
        String d = v.trim().toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(d) && !d.matches("opencl:\\d+")) {
            throw CliException.usage("--device must be one of cpu, opencl, opencl:N, auto, got '" + v + "'");
        }
        return d;
    }

    static Transform transform(TrainingSettings s) {
        try {
            return TrainingRecipe.transform(s);
        } catch (IllegalArgumentException e) {
            throw CliException.runtime(e.getMessage());
        }
    }

    /** Fails early, with the fix, when the data's sample shape is not what the Input node declares. */
    static void checkInputShape(ShapeReport report, Dataset data, Path file) {
        Shape expected = report.outputShape(report.inputId());
        Shape actual = data.get(0).input().shape();
        if (!expected.equals(actual)) {
            String fix = expected.numel() == actual.numel() ? "set the Input shape to " + actual
                    + " and add a Flatten layer where the network needs a vector"
                    : "set the Input shape to " + actual + ", or change the transforms (Pad 2 makes MNIST's "
                    + "28x28 images 32x32)";
            throw CliException.runtime("the Input node of " + file + " expects samples of shape " + expected
                    + " but the MNIST images after the project's transforms are " + actual + ": " + fix);
        }
    }

    static Loss loss(String name) {
        try {
            return TrainingRecipe.loss(name);
        } catch (IllegalArgumentException e) {
            throw CliException.runtime(e.getMessage());
        }
    }

    /** The project's optimizer over the model's parameters, with the learning rate overridden when given. */
    static Optimizer<?> optimizer(OptimizerSettings o, Double lrOverride, Module model) {
        try {
            return TrainingRecipe.optimizer(o, lrOverride, model);
        } catch (IllegalArgumentException e) {
            throw CliException.runtime(e.getMessage());
        }
    }

    /** The project's {@code weights} file beside it, or {@code NAME.safetensors} beside it when it names none. */
    static Path defaultWeights(Project project, Path file) {
        Path p = WeightsFile.beside(project, file);
        // print the path as the user would type it when it is under the working directory
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p) : p;
    }

    /** Loads the safetensors file that {@code option} names into {@code model}, every failure one line. */
    static void loadWeights(Module model, Path file, String option) {
        if (Files.isDirectory(file)) {
            throw CliException.runtime(option + " " + file + " is a folder, not a weights file: " + weightsIn(file));
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.runtime("weights file " + file + " does not exist");
        }
        try {
            WeightsFile.read(model, file);
        } catch (NoSuchFileException e) {
            throw CliException.runtime("weights file " + file + " does not exist", e);
        } catch (IOException e) {
            throw CliException.runtime("cannot read weights " + file + ": " + withoutFileName(e.getMessage(), file),
                    e);
        } catch (IllegalArgumentException e) {
            throw CliException.runtime("the weights in " + file + " do not fit this network: "
                    + e.getMessage().replaceFirst("^[^:]*:\\s*", "").replace("\n  ", "; ").strip()
                    + "; were they saved from another project?", e);
        }
    }

    /** The fix for a folder given as weights: the .safetensors files in it, or that it has none. */
    private static String weightsIn(Path folder) {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(folder)) {
            files.filter(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p))
                    .sorted().limit(4).forEach(p -> names.add(p.toString()));
        } catch (IOException e) {
            return "give the .safetensors file";
        }
        return names.isEmpty() ? "it holds no .safetensors file; give the weights file itself"
                : names.size() == 1 ? "did you mean " + names.get(0) + "?"
                : "give one of its .safetensors files (" + String.join(", ", names.subList(0, Math.min(3,
                names.size()))) + (names.size() > 3 ? ", ..." : "") + ")";
    }

    static void saveWeights(Module model, Path file) {
        try {
            WeightsFile.write(model, file);
        } catch (IOException e) {
            throw CliException.runtime("cannot save weights to " + file + ": " + MetricsCsv.describe(e), e);
        }
    }

    /** Fails before a long run when the output file's folder does not exist. */
    static void checkWritable(Path file, String option) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw CliException.runtime(option + " " + file + ": folder " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw CliException.runtime(option + " " + file + " is a folder; give a file name");
        }
    }

    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
