package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.backend.cpu.CpuBackend;
import io.deepcanvas.engine.backend.opencl.OpenCLDeviceInfo;
import io.deepcanvas.engine.backend.opencl.OpenCLDevices;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code deepcanvas} command line: {@code train eval summary export devices bench help}. Every failure is
 * one line on stderr ({@code deepcanvas: train: --batch-size must be a positive integer, got 'abc'}) and an exit
 * code: 2 for usage errors, 1 for runtime errors, 3 for an invalid network; {@code DEEPCANVAS_DEBUG=1} adds the
 * stack trace.
 */
public final class Cli {
    /** What a subcommand does with its parsed arguments; returns the exit code. */
    @FunctionalInterface
    interface Handler {
        int run(Args args, PrintStream out, PrintStream err);
    }

    /** One subcommand: its options (with the leading {@code --}), its usage text and what it runs. */
    record Command(String name, String synopsis, String summary, String options, Set<String> valueOptions,
                   Set<String> flagOptions, Handler handler) {
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        add(new Command("train", "train PROJECT [options]",
                "train the project's network on MNIST and save its weights",
                """
                          --epochs N           epochs to train (default: the project's)
                          --steps N            stop after N optimizer steps (more epochs if needed)
                          --batch-size N       batch size (default: the project's)
                          --lr X               learning rate (default: the project's optimizer setting)
                          --device D           cpu, opencl, opencl:N or auto (default: the project's;
                                               see 'deepcanvas devices')
                          --init-weights F     start from the weights in safetensors file F
                          --save-weights F     save the trained weights to F (default: the project's weights
                                               file, next to the project)
                          --no-shuffle         keep the training set in file order
                          --data DIR           folder with the four MNIST IDX files (default: sample-data/mnist)
                          --metrics FILE.csv   write step,epoch,loss,accuracy for every step
                          --seed N             seed for the initial weights and the shuffle (default: the project's)
                          --log-every N        print a progress line every N steps when not on a terminal
                        """,
                Set.of("--epochs", "--steps", "--batch-size", "--lr", "--device", "--init-weights", "--save-weights",
                        "--data", "--metrics", "--seed", "--log-every"),
                Set.of("--no-shuffle"), ProjectCommands::train));
        add(new Command("eval", "eval PROJECT --weights F [--data DIR]",
                "test accuracy, per-class accuracy, confusion matrix",
                """
                          --weights F          safetensors file with the trained weights (required)
                          --data DIR           folder with the four MNIST IDX files (default: sample-data/mnist)
                          --batch-size N       evaluation batch size (default 1000)
                          --device D           cpu, opencl, opencl:N or auto (default: the project's)
                        """,
                Set.of("--weights", "--data", "--batch-size", "--device"), Set.of(), ProjectCommands::eval));
        add(new Command("summary", "summary PROJECT",
                "print(net), output shapes, parameters, MACs; problems",
                "", Set.of(), Set.of(), ProjectCommands::summary));
        add(new Command("export", "export PROJECT --pytorch OUT.py [--weights F]",
                "write the project as a PyTorch program: train, eval, distributed",
                """
                          --pytorch OUT.py     the program to write (required): 'python3 OUT.py train' trains
                                               (also under torchrun), 'python3 OUT.py eval' scores
                          --weights F          trained weights, copied beside OUT.py as OUT.safetensors: the
                                               program's train and eval start from them
                        """,
                Set.of("--pytorch", "--weights"), Set.of(), ProjectCommands::export));
        add(new Command("devices", "devices", "list the compute devices", "", Set.of(), Set.of(), Cli::devices));
        add(new Command("bench", "bench [options]",
                "training and inference speed of LeNet-5, an MLP and a ConvNet",
                """
                          --networks LIST      which networks, comma-separated (default: lenet5,mlp,convnet)
                          --steps N            timed training steps per network (default 500)
                          --warmup-steps N     untimed steps first, at least (default 100)
                          --warmup-seconds S   and at least this long, for the JIT (0 to 600, default 10)
                          --inference-iters N  timed inference passes of 1000 images (default: steps / 10, at least 3)
                          --threads N          CPU threads (default: one per core)
                          --batch-size N       one batch size for every network (default: each network's own)
                          --optimizer O        sgd (with momentum, default) or adam
                          --device D           cpu, opencl, opencl:N or auto (default cpu)
                          --data DIR           folder with the four MNIST IDX files (default: sample-data/mnist)
                          --peak-gflops X      the CPU's peak GFLOP/s, instead of measuring it
                          --json               print the figures as JSON
                        """,
                Set.of(), Set.of(), Cli::bench));
    }

    private static void add(Command c) {
        COMMANDS.put(c.name(), c);
    }

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            out.print(usage());
            return 0;
        }
        String name = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (name) {
                case "help", "--help", "-h" -> {
                    return help(rest, out);
                }
                case "--version", "version" -> {
                    out.println("deepcanvas " + version());
                    return 0;
                }
                default -> {
                    // handled below
                }
            }
            Command command = COMMANDS.get(name);
            if (command == null) {
                String near = Args.nearest(name, COMMANDS.keySet());
                throw CliException.usage("unknown command '" + name + "'" + (near == null ? "" : " (did you mean "
                        + near + "?)") + "; the commands are " + String.join(", ", COMMANDS.keySet())
                        + " (see 'deepcanvas help')");
            }
            // bench parses its own options (its class belongs to the benchmark)
            if (!command.name().equals("bench") && (rest.contains("--help") || rest.contains("-h"))) {
                out.print(commandUsage(command));
                return 0;
            }
            Args parsed = command.name().equals("bench") ? Args.unparsed(rest)
                    : Args.parse(rest, command.valueOptions(), command.flagOptions());
            return command.handler().run(parsed, out, err);
        } catch (CliException e) {
            err.println("deepcanvas: " + (COMMANDS.containsKey(name) ? name + ": " : "") + e.getMessage());
            if (debug()) {
                e.printStackTrace(err);
            }
            return e.exitCode();
        } catch (OutOfMemoryError e) {
            err.println("deepcanvas: " + (COMMANDS.containsKey(name) ? name + ": " : "")
                    + OutOfMemory.message("ran out of memory", 0));
            if (debug()) {
                e.printStackTrace(err);
            }
            return CliException.RUNTIME;
        } catch (RuntimeException | StackOverflowError e) {
            // a bug or an exhausted machine: still one line, and the trace on request
            String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("deepcanvas: " + (COMMANDS.containsKey(name) ? name + ": " : "") + "unexpected error: " + what
                    + (debug() ? "" : " (run with DEEPCANVAS_DEBUG=1 for the stack trace)"));
            if (debug()) {
                e.printStackTrace(err);
            }
            return CliException.RUNTIME;
        }
    }

    static boolean debug() {
        return "1".equals(System.getenv("DEEPCANVAS_DEBUG"));
    }

    private static int help(List<String> rest, PrintStream out) {
        if (rest.isEmpty()) {
            out.print(usage());
            return 0;
        }
        Command c = COMMANDS.get(rest.get(0));
        if (c == null) {
            throw CliException.usage("no command named '" + rest.get(0) + "'; the commands are "
                    + String.join(", ", COMMANDS.keySet()));
        }
        out.print(commandUsage(c));
        return 0;
    }

    /** The usage text of every command and option. */
    static String usage() {
        StringBuilder sb = new StringBuilder("""
                DeepCanvas %s: design neural networks and watch them learn.

                usage: deepcanvas COMMAND [ARGS]

                """.formatted(version()));
        for (Command c : COMMANDS.values()) {
            sb.append(String.format(Locale.ROOT, "  %-46s %s%n", c.synopsis(), c.summary()));
        }
        sb.append("  help [COMMAND]                                 this text, or one command's options\n");
        sb.append("  --version                                      the version\n\n");
        for (Command c : COMMANDS.values()) {
            if (!c.options().isBlank()) {
                sb.append(c.name()).append(" options:\n").append(c.options()).append('\n');
            }
        }
        sb.append("""
                PROJECT is a DeepCanvas project file (.json), for example layouts/lenet5.json.
                Exit codes: 0 success, 1 runtime error, 2 usage error, 3 invalid network.
                DEEPCANVAS_DEBUG=1 prints stack traces; DEEPCANVAS_DATA=DIR sets the default MNIST folder.
                """);
        return sb.toString();
    }

    static String commandUsage(Command c) {
        return "usage: deepcanvas " + c.synopsis() + "\n" + c.summary() + "\n" + (c.options().isBlank() ? ""
                : "\noptions:\n" + c.options());
    }

    /** The project version, from the resource Maven fills in at build time. */
    static String version() {
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through: a missing version must not break the command line
        }
        return "(development build)";
    }

    private static int devices(Args args, PrintStream out, PrintStream err) {
        args.noPositionals();
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "cpu     %d threads (%d cores), Java %s, up to %,d MB heap%n",
                CpuBackend.threads(), rt.availableProcessors(), System.getProperty("java.version"),
                rt.maxMemory() / (1024 * 1024));
        // discovery runs on its own thread with a time limit: a broken driver cannot hang the command
        OpenCLDevices.Discovery d = OpenCLDevices.discover();
        for (OpenCLDeviceInfo info : d.devices()) {
            out.println(info.describe());
        }
        if (!d.available()) {
            out.println("opencl  none: " + d.problem());
        }
        OpenCLDeviceInfo gpu = OpenCLDevices.firstGpu();
        out.println("auto    = " + (gpu != null ? "opencl:" + gpu.index() + " (" + gpu.name() + ")"
                : "cpu (no OpenCL GPU)"));
        return 0;
    }

    private static int bench(Args args, PrintStream out, PrintStream err) {
        return io.deepcanvas.engine.bench.Benchmark.run(args.raw().toArray(String[]::new), out, err);
    }
}
