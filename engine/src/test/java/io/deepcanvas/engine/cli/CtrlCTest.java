package io.deepcanvas.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.WeightsFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code train}, as a user presses it: a real {@code deepcanvas train} process and a real SIGINT. The
 * first stops after the current step and saves the weights reached, leaving a CSV of whole rows; a second quits at
 * once. The child starts through perl (in every Debian base system) to give it SIGINT's default disposition: a
 * test run from a background job inherits SIGINT ignored, and the JVM then leaves it ignored.
 */
class CtrlCTest {
    @TempDir
    Path dir;

    /** A running {@code deepcanvas train}, its output gathered line by line. */
    private static final class Run {
        final Process process;
        final List<String> lines = new ArrayList<>();
        final CompletableFuture<Void> done;

        Run(Process process) {
            this.process = process;
            done = CompletableFuture.runAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** Waits for a line containing {@code part}. */
        void awaitLine(String part) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            synchronized (lines) {
                while (lines.stream().noneMatch(l -> l.contains(part))) {
                    assertTrue(process.isAlive() && System.nanoTime() < deadline, "no line with '" + part + "':\n"
                            + String.join("\n", lines));
                    lines.wait(200);
                }
            }
        }

        void interrupt() throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT");
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process did not end:\n" + output());
            done.get(10, TimeUnit.SECONDS);
            return process.exitValue();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    private static boolean perlAvailable() {
        try {
            return new ProcessBuilder("perl", "-e", "exit 0").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private Run train(String... options) throws IOException {
        Assumptions.assumeTrue(perlAvailable(), "perl is needed to start the process with SIGINT at its default");
        List<String> cmd = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-Xmx1g", "-cp", System.getProperty("java.class.path"), Cli.class.getName(),
                "train", ProjectCommandsTest.layout("lenet5.json").toString(), "--data",
                Mnist.sampleDataFolder().toAbsolutePath().toString()));
        cmd.addAll(List.of(options));
        return new Run(new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start());
    }

    @Test
    void theFirstCtrlCStopsAfterTheStepAndSavesTheWeightsAndAWholeCsv() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        Path csv = dir.resolve("m.csv");
        Run run = train("--steps", "100000", "--log-every", "5", "--metrics", csv.toString(), "--save-weights",
                weights.toString());
        run.awaitLine("step 10/");
        run.interrupt();

        assertEquals(CtrlC.EXIT_CODE, run.exit(), run.output());
        String out = run.output();
        assertTrue(out.contains("Ctrl-C: stopping after the current step to save the weights (press Ctrl-C again "
                + "to quit at once, without saving)"), out);
        Matcher m = Pattern.compile("stopped by Ctrl-C after step (\\d+) of 100,000 \\(epoch 1\\) in ").matcher(out);
        assertTrue(m.find(), out);
        int steps = Integer.parseInt(m.group(1));
        assertTrue(steps >= 10, out);
        assertTrue(out.contains("saved the weights reached so far to " + weights), out);
        assertTrue(out.contains("metrics of those " + steps + " steps are in " + csv), out);

        // the weights open in DeepCanvas, and the CSV has a whole row for every step taken
        var model = GraphCompiler.compile(new ProjectFile().load(ProjectCommandsTest.layout("lenet5.json")).graph());
        WeightsFile.read(model, weights);
        List<String> rows = Files.readAllLines(csv);
        assertEquals("step,epoch,loss,accuracy", rows.get(0));
        assertEquals(steps + 1, rows.size(), "a row per step");
        assertTrue(rows.get(rows.size() - 1).matches(steps + ",1,[0-9.E-]+,[0-9.]+"), rows.get(rows.size() - 1));
    }

    @Test
    void aSecondCtrlCQuitsAtOnceWithoutSaving() throws Exception {
        Path weights = dir.resolve("w.safetensors");
        Path csv = dir.resolve("m.csv");
        // batches of 4,096: a step long enough (a second or so) that both presses fall within it
        Run run = train("--steps", "100000", "--batch-size", "4096", "--log-every", "1", "--metrics", csv.toString(),
                "--save-weights", weights.toString());
        run.awaitLine("step 1/");
        run.interrupt();
        run.awaitLine("Ctrl-C: stopping after the current step");
        run.interrupt();

        assertEquals(CtrlC.EXIT_CODE, run.exit(), run.output());
        String out = run.output();
        assertTrue(out.contains("Ctrl-C again: quitting now; the weights of this run are not saved"), out);
        assertFalse(out.contains("saved the weights"), out);
        assertFalse(Files.exists(weights), "nothing saved");
        for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            assertTrue(row.matches("\\d+,1,[0-9.E-]+,[0-9.]+"), "a whole row: " + row);
        }
    }
}
