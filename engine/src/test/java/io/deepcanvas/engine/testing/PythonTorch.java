package io.deepcanvas.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code /usr/bin/python3} with PyTorch (package python3-torch), for tests that compare with it; a
 * test skips, saying why, where that Python has no torch.
 */
public final class PythonTorch {
    public static final String PYTHON = "/usr/bin/python3";
    private static Boolean available;

    private PythonTorch() {
    }

    /** Skips the calling test unless {@value #PYTHON} imports torch. */
    public static void assume(String what) {
        Assumptions.assumeTrue(available(), PYTHON + " cannot import torch: skipping " + what + " (install it with "
                + "apt-get install python3-torch libopenblas0-openmp)");
    }

    public static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /** What one run printed (stdout and stderr together) and its exit code. */
    public record Result(int exit, String output) {
    }

    /** A started python process whose output is gathered as it comes. */
    public static final class Running {
        private final Process process;
        private final CompletableFuture<String> output;

        Running(Process process) {
            this.process = process;
            this.output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output lost: " + e + ")";
                }
            });
        }

        /** Waits up to {@code seconds}; a process still running then is killed and reported as exit -1. */
        public Result await(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, output.get(10, TimeUnit.SECONDS) + "\n(killed after " + seconds + " s)");
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        }
    }

    /** Starts python with {@code args} in {@code dir}, with {@code env} added to this process's environment. */
    public static Running start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new Running(pb.start());
    }

    /** Runs python with {@code args} in {@code dir} to the end (at most five minutes). */
    public static Result run(Path dir, String... args) throws Exception {
        return start(dir, Map.of(), args).await(300);
    }
}
