package io.deepcanvas.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's dispatch, usage text, version, devices and the shape of its error messages. */
class CliTest {

    /** What one command line printed and returned. */
    record Outcome(int exit, String out, String err) {
    }

    static Outcome cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts a failure with the exit code and exactly one stderr line containing {@code part}. */
    static void assertFails(Outcome o, int exit, String part) {
        assertEquals(exit, o.exit(), o.err());
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line on stderr, not a stack trace:\n" + o.err());
        assertTrue(lines[0].startsWith("deepcanvas: "), lines[0]);
        assertTrue(lines[0].contains(part), "expected '" + part + "' in: " + lines[0]);
    }

    @Test
    void noArgumentsAndHelpPrintTheUsageOfEveryCommandAndOption() {
        for (String[] args : new String[][] {{}, {"help"}, {"--help"}, {"-h"}}) {
            Outcome o = cli(args);
            assertEquals(0, o.exit());
            for (String word : new String[] {"train PROJECT", "eval PROJECT", "summary PROJECT", "export PROJECT",
                "devices", "bench", "--version", "--epochs", "--steps", "--batch-size", "--lr", "--device",
                "--init-weights", "--save-weights", "--no-shuffle", "--data", "--metrics", "--seed", "--weights",
                "--pytorch"}) {
                assertTrue(o.out().contains(word), "usage mentions " + word);
            }
            assertEquals("", o.err());
        }
    }

    @Test
    void helpForOneCommandShowsItsOptions() {
        Outcome o = cli("help", "eval");
        assertEquals(0, o.exit());
        assertTrue(o.out().startsWith("usage: deepcanvas eval PROJECT --weights F"), o.out());
        assertFalse(o.out().contains("--pytorch"));
        assertEquals(o.out(), cli("eval", "--help").out());
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Outcome o = cli("--version");
        assertEquals(0, o.exit());
        assertTrue(o.out().matches("deepcanvas \\d+\\.\\d+\\.\\d+.*\\n"), o.out());
    }

    @Test
    void devicesListsTheCpuTheOpenClDevicesOrWhyThereAreNoneAndWhatAutoPicks() {
        Outcome o = cli("devices");
        assertEquals(0, o.exit());
        assertTrue(o.out().matches("(?s)cpu +\\d+ threads.*"), o.out());
        // either a line per OpenCL device (platform / device, compute units, memory) or one line saying why none
        assertTrue(o.out().matches("(?s).*\nopencl:0  .+ / .+ \\(\\w+\\), \\d+ compute units, [\\d,]+ MB.*")
                || o.out().contains("\nopencl  none: OpenCL: "), o.out());
        assertTrue(o.out().matches("(?s).*\nauto    = (cpu|opencl:\\d+).*"), o.out());
    }

    @Test
    void benchDelegatesToTheBenchmarkWithItsOwnOptions() {
        Outcome o = cli("bench", "--help");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("--networks"), "the benchmark's own usage:\n" + o.out());
        assertEquals(2, cli("bench", "--steps", "0").exit());
        assertFails(cli("bench", "--warmup-seconds", "-1"), 2, "deepcanvas: bench: option '--warmup-seconds' needs "
                + "a number of seconds from 0 to 600, got '-1'; see 'deepcanvas help bench'");
        assertFails(cli("bench", "--networks", "resnet"), 2, "deepcanvas: bench: unknown network 'resnet'");
        assertTrue(o.out().contains("--warmup-seconds"), o.out());
    }

    @Test
    void helpBenchListsTheBenchmarksOptions() {
        Outcome o = cli("help", "bench");
        assertEquals(0, o.exit());
        for (String option : new String[] {"--networks", "--steps", "--warmup-steps", "--warmup-seconds",
            "--inference-iters", "--threads", "--batch-size", "--optimizer", "--device", "--data", "--peak-gflops",
            "--json"}) {
            assertTrue(o.out().contains("  " + option + " "), option + " in:\n" + o.out());
        }
    }

    @Test
    void anOptionWhereAValueShouldBeSaysTheValueIsMissing() {
        assertFails(cli("train", "p.json", "--epochs", "--steps", "1"), 2,
                "deepcanvas: train: --epochs needs a value, but the option --steps follows it");
        assertFails(cli("train", "p.json", "--save-weights", "--no-shuffle"), 2,
                "--save-weights needs a value, but the option --no-shuffle follows it");
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatListsTheCommands() {
        assertFails(cli("trian", "x.json"), 2, "unknown command 'trian' (did you mean train?); the commands are train,"
                + " eval");
        assertFails(cli("fit", "x.json"), 2, "unknown command 'fit'; the commands are train, eval");
    }

    @Test
    void anUnknownOptionSuggestsTheNearestOne() {
        assertFails(cli("train", "p.json", "--epoch", "2"), 2,
                "deepcanvas: train: unknown option '--epoch' (did you mean --epochs?)");
    }

    @Test
    void badOptionValuesNameTheOptionAndTheValue() {
        assertFails(cli("train", "p.json", "--batch-size", "abc"), 2,
                "deepcanvas: train: --batch-size must be a positive integer, got 'abc'");
        assertFails(cli("train", "p.json", "--steps", "0"), 2, "--steps must be a positive integer, got '0'");
        assertFails(cli("train", "p.json", "--lr", "-1"), 2, "--lr must be a positive number, got '-1'");
        assertFails(cli("train", "p.json", "--lr", "NaN"), 2, "--lr must be a positive number, got 'NaN'");
        assertFails(cli("train", "p.json", "--device", "tpu"), 2,
                "--device must be one of cpu, opencl, opencl:N, auto, got 'tpu'");
        assertFails(cli("train", "p.json", "--seed", "x1"), 2, "--seed must be an integer, got 'x1'");
        assertFails(cli("train", "p.json", "--epochs"), 2, "--epochs needs a value");
        assertFails(cli("train", "p.json", "--no-shuffle=yes"), 2, "--no-shuffle takes no value");
        assertFails(cli("train", "p.json", "--epochs", "1", "--epochs", "2"), 2, "--epochs is given twice");
    }

    @Test
    void missingOrExtraPositionalsAreUsageErrors() {
        assertFails(cli("train"), 2, "deepcanvas: train: missing PROJECT file");
        assertFails(cli("summary", "a.json", "b.json"), 2, "expected one PROJECT file, got 2: a.json b.json");
        assertFails(cli("devices", "extra"), 2, "unexpected argument 'extra'");
    }

    @Test
    void optionsAlsoTakeTheirValueAfterAnEqualsSign() {
        Args a = Args.parse(java.util.List.of("p.json", "--epochs=3", "--no-shuffle"),
                java.util.Set.of("--epochs"), java.util.Set.of("--no-shuffle"));
        assertEquals(3, a.positiveInt("--epochs"));
        assertTrue(a.flag("--no-shuffle"));
        assertEquals("p.json", a.onePositional("PROJECT file"));
    }
}
