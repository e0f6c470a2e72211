package io.deepcanvas.app.bench;

import atlantafx.base.theme.PrimerLight;
import io.deepcanvas.app.MainWindow;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.AppSettings;
import io.deepcanvas.app.project.Examples;
import io.deepcanvas.app.training.RunLimits;
import io.deepcanvas.app.training.RunRecord;
import io.deepcanvas.app.training.TrainingViewModel;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Subset;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * What watching costs the training ({@code deepcanvas bench-panels [--rounds N] [--images N] [--project FILE]}):
 * the same network, data and settings trained from the real window with the training panels showing — the loss
 * chart, and the accuracy, gradient and filter tabs brought to the front in turn every second, so each one draws
 * while it trains — and headless, with the engine's {@link Trainer} as {@code deepcanvas train} runs it, in a
 * process of its own (as {@code deepcanvas train} is). Alternating, after two warm-up rounds of each; prints each
 * round's training time (the trainer's own clock, from its first step to its last, test passes included) and the
 * median ratio.
 *
 * <p>Why two processes: in one, each kind of run recompiled the engine code the other had compiled for its own
 * classes (the window's listeners, data subsets and lambdas are other types than the command line's, so the JIT's
 * type profiles kept flipping), and the C2 compiles that followed every switch took 0.2–0.5 s of CPU per run from
 * the cores the training shares — a cost neither the app nor {@code deepcanvas train} pays on its own.
 */
public final class TrainingPanelsBenchmark {
    static int rounds = 3;
    static int images = 60_000;
    static Path projectFile;

    private TrainingPanelsBenchmark() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--rounds") && i + 1 < args.length) {
                rounds = positive(a, args[++i]);
            } else if (a.equals("--images") && i + 1 < args.length) {
                images = positive(a, args[++i]);
            } else if (a.equals("--project") && i + 1 < args.length) {
                projectFile = Path.of(args[++i]);
            } else {
                System.err.println("deepcanvas bench-panels: unknown option '" + a + "'; usage: deepcanvas "
                        + "bench-panels [--rounds N] [--images N] [--project FILE]");
                System.exit(2);
            }
        }
        // the engine as the app runs it (its launch warm-up runs alongside the first rounds, which are not counted)
        io.deepcanvas.app.Main.configureEngineForTheWindow();
        Application.launch(Run.class);
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.err.println("deepcanvas bench-panels: " + option + " needs a whole number > 0, got '" + value + "'");
        System.exit(2);
        return 0;
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]};
    }

    /**
     * The headless side, in its own JVM started by the benchmark ({@link HeadlessProcess}): reads "run" lines from
     * standard input and answers each on standard error ("result T C") with the trainer's time and the CPU the
     * process used, in seconds.
     */
    public static final class Headless {
        private Headless() {
        }

        public static void main(String[] args) throws Exception {
            images = Integer.parseInt(args[0]);
            Project project = ProjectFile.withLayerRegistry().load(Path.of(args[1]));
            io.deepcanvas.app.Main.configureEngineForTheWindow();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && line.equals("run"); line = in.readLine()) {
                double cpu = processCpuSeconds();
                double seconds = seconds(headless(project));
                System.err.printf(Locale.ROOT, "result %.6f %.6f%n", seconds, processCpuSeconds() - cpu);
                System.err.flush();
            }
        }
    }

    /** The headless JVM: the same java, class path and options as this one. */
    static final class HeadlessProcess implements AutoCloseable {
        /** The answer, wherever it lands in a line. */
        private static final Pattern RESULT = Pattern.compile("result (\\d+\\.\\d+) (\\d+\\.\\d+)");
        private final Process process;
        private final BufferedReader answers;
        private final PrintWriter requests;

        HeadlessProcess(Path project) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Headless.class.getName());
            command.add(Integer.toString(images));
            command.add(project.toString());
            // the answers come on standard error: the JVM's own output (-XX:+PrintCompilation, -Xlog) goes to
            // standard output, where it could land in the middle of an answer
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            answers = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        /** One headless run: {trainer's seconds, the process's CPU seconds}. */
        double[] run() throws IOException {
            requests.println("run");
            // the JVM may print warnings of its own there too: the answer is what says "result"
            String said = "";
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                Matcher m = RESULT.matcher(line);
                if (m.find()) {
                    return new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
                }
                // what it died of: the last line that is not a stack frame
                if (!line.isBlank() && !line.trim().startsWith("at ") && !line.trim().startsWith("...")) {
                    said = line.trim();
                }
            }
            throw new IOException("the headless process ended (exit code " + exitCode() + ")"
                    + (said.isEmpty() ? "" : "; it said: " + said));
        }

        private String exitCode() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "none";
            }
        }

        @Override
        public void close() {
            requests.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }

    /** Trains {@code project} headless as the command line does; returns the trainer's time. */
    static java.time.Duration headless(Project project) {
        TrainingSettings s = project.training();
        Tensor.manualSeed(s.seed());
        Module model = GraphCompiler.compile(ShapeInference.infer(project.graph()), "bench");
        Transform transform = TrainingRecipe.transform(s);
        Dataset train = new Mnist(Mnist.sampleDataFolder(), true, transform);
        if (images < train.size()) {
            train = Subset.first(train, images);
        }
        Dataset test = new Mnist(Mnist.sampleDataFolder(), false, transform);
        AtomicReference<java.time.Duration> elapsed = new AtomicReference<>();
        Trainer t = Trainer.builder(model, TrainingRecipe.loss(s.loss()), TrainingRecipe.optimizer(s.optimizer(),
                        null, model), DataLoader.builder(train).batchSize(s.batchSize()).shuffle(s.shuffle())
                        .seed(s.seed()).build()).epochs(s.epochs())
                .testLoader(DataLoader.builder(test).batchSize(1000).build())
                .listener(e -> {
                    if (e instanceof TrainingEvent.Finished f) {
                        elapsed.set(f.elapsed());
                    }
                }).build();
        t.runOnCallerThread();
        return elapsed.get();
    }

    /** The benchmark's window. */
    public static final class Run extends Application {
        private MainWindow window;
        private EditorModel model;
        private Project project;

        @Override
        public void start(Stage stage) throws Exception {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            model = new EditorModel();
            window = new MainWindow(stage, model, new AppSettings(Files.createTempDirectory("deepcanvas-bench")));
            project = ProjectFile.withLayerRegistry().load(projectFile != null ? projectFile : Examples.lenet5());
            model.load(project, null);
            window.training().setLimits(new RunLimits(0, images, 0));
            stage.show();
            Thread t = new Thread(this::measure, "deepcanvas-bench");
            t.setDaemon(true);
            t.start();
        }

        private void measure() {
            Path file = projectFile != null ? projectFile : Examples.lenet5();
            try (HeadlessProcess headless = new HeadlessProcess(file)) {
                TrainingSettings s = project.training();
                System.out.printf(Locale.ROOT, "DeepCanvas training panels benchmark: %s, %d epoch(s) of %d images,"
                        + " batch %d, %s; %d rounds after two warm-up rounds%n", project.name(), s.epochs(), images,
                        s.batchSize(), s.optimizer().type(), rounds);
                // two of each first: the JIT keeps speeding both up through the first ones
                for (int w = 0; w < 2; w++) {
                    headless.run();
                    withPanels();
                }
                List<Double> ratios = new ArrayList<>();
                List<Double> uiShares = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    // alternate which goes first: a machine that slows down over time favours neither
                    double[] h;
                    double p;
                    double[] cpu;
                    if (r % 2 == 1) {
                        h = headless.run();
                        double[] before = cpuSeconds();
                        p = seconds(withPanels());
                        cpu = minus(cpuSeconds(), before);
                    } else {
                        double[] before = cpuSeconds();
                        p = seconds(withPanels());
                        cpu = minus(cpuSeconds(), before);
                        h = headless.run();
                    }
                    ratios.add(p / h[0]);
                    uiShares.add(cpu[0] / cpu[1]);
                    System.out.printf(Locale.ROOT, "round %d: headless %6.2f s (%,.0f img/s)   with panels %6.2f s"
                            + " (%,.0f img/s)   panels/headless %.3f   drawing CPU %.2f s (FX thread %.2f, renderer"
                            + " %.2f) = %.1f%% of the training's %.2f s (headless: %.2f s)%n", r, h[0],
                            images * s.epochs() / h[0], p, images * s.epochs() / p, p / h[0], cpu[0], cpu[2], cpu[3],
                            100 * cpu[0] / cpu[1], cpu[1], h[1]);
                }
                double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double median = sorted[sorted.length / 2];
                if (sorted.length % 2 == 0) {
                    median = (median + sorted[sorted.length / 2 - 1]) / 2;
                }
                System.out.printf(Locale.ROOT, "median time with panels / headless: %.3f (%+.1f%%), ratios %s%n",
                        median, 100 * (median - 1), Arrays.toString(Arrays.stream(sorted)
                                .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toArray()));
                double[] shares = uiShares.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "median CPU the panels draw with, against the training's: %.1f%%%n",
                        100 * shares[shares.length / 2]);
            } catch (Exception | Error e) {
                e.printStackTrace();
            } finally {
                Platform.runLater(Platform::exit);
            }
        }

        /** Trains from the window (as F5 does) with the tabs cycling; returns the trainer's time. */
        private java.time.Duration withPanels() throws Exception {
            TrainingViewModel vm = window.training();
            CompletableFuture<RunRecord> done = new CompletableFuture<>();
            String[] tabs = {"accuracy", "gradients", "filters"};
            int[] next = {0};
            Timeline cycle = new Timeline(new KeyFrame(Duration.seconds(1), e -> window.trainingDock()
                    .show(tabs[next[0]++ % tabs.length])));
            cycle.setCycleCount(Timeline.INDEFINITE);
            javafx.beans.value.ChangeListener<RunRecord> ended = (o, a, b) -> {
                if (b != null) {
                    done.complete(b);
                }
            };
            Platform.runLater(() -> {
                vm.finishedRunProperty().addListener(ended);
                String why = vm.train();
                if (why != null) {
                    done.completeExceptionally(new IllegalStateException(why));
                }
                cycle.play();
            });
            RunRecord r = done.get(30, TimeUnit.MINUTES);
            Platform.runLater(() -> {
                cycle.stop();
                vm.finishedRunProperty().removeListener(ended);
            });
            if (!"COMPLETED".equals(r.outcome())) {
                throw new IllegalStateException("the run from the window ended " + r.outcome());
            }
            // the app evaluates every finished run on the test set: let it end before the next run is timed
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < until && !evaluated()) {
                Thread.sleep(50);
            }
            return r.elapsed();
        }

        /** Whether the evaluation of the last run's network is done. */
        private boolean evaluated() throws Exception {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            Platform.runLater(() -> {
                var result = window.trainingDock().evaluation().viewModel().resultProperty().get();
                var trained = window.training().trainedNetworkProperty().get();
                done.complete(result != null && result.network() == trained);
            });
            return done.get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * CPU seconds used so far by the threads that draw (the FX thread and the renderer) and by the rest of the
     * process (the trainer, the CPU backend's workers, the garbage collector). A machine shared with other work slows
     * both runs at random; what the panels take from the training is their own CPU time, measured whatever else runs.
     */
    static double[] cpuSeconds() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double ui = 0;
        double render = 0;
        double rest = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(t.getThreadId());
            if (ns < 0) {
                continue;
            }
            String n = t.getThreadName();
            if (n.equals("JavaFX Application Thread")) {
                ui += ns / 1e9;
            } else if (n.startsWith("QuantumRenderer") || n.startsWith("Prism")) {
                render += ns / 1e9;
            }
        }
        // the rest from the process's total: a run's trainer thread has ended by the time it is counted
        rest = processCpuSeconds() - ui - render;
        return new double[]{ui + render, rest, ui, render};
    }

    /** CPU seconds the whole process has used so far. */
    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }
}
