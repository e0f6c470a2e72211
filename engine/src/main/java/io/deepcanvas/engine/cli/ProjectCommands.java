package io.deepcanvas.engine.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

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
                    a.choice("--device", DEVICES), a.path("--init-weights"), a.path("--save-weights"),
                    a.flag("--no-shuffle"), a.path("--data"), a.path("--metrics"), a.anyLong("--seed"),
                    a.positiveInt("--log-every"));
        }
    }

    static int train(Args args, PrintStream out, PrintStream err) {
        TrainOptions o = TrainOptions.of(args);
        throw CliException.runtime("not wired yet: needs the graph and io packages " + o);
    }

    static int eval(Args args, PrintStream out, PrintStream err) {
        throw CliException.runtime("not wired yet: needs the graph and io packages");
    }

    static int summary(Args args, PrintStream out, PrintStream err) {
        args.onePositional("PROJECT file");
        throw CliException.runtime("not wired yet: needs the graph and io packages");
    }

    static int export(Args args, PrintStream out, PrintStream err) {
        throw CliException.runtime("not wired yet: needs the graph and io packages");
    }
}
