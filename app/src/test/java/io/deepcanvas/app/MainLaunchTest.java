package io.deepcanvas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's answers to what would otherwise be stack traces: one line each, and the right exit code. */
class MainLaunchTest {
    @TempDir
    Path dir;

    private record Run(int code, List<String> errLines) {
    }

    /** Runs {@code Main} in a fresh JVM with no display, as a user without a desktop session would. */
    private Run launch(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Ddeepcanvas.home=" + dir, Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().remove("DEEPCANVAS_DEBUG");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher returns");
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        return new Run(p.exitValue(), lines);
    }

    @Test
    void aMissingProjectFileIsOneLineAndExitCode2() throws Exception {
        Run r = launch(dir.resolve("nosuch.json").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.errLines()::toString);
        assertTrue(r.errLines().get(0).startsWith("deepcanvas: cannot open"), r.errLines().get(0));
        assertTrue(r.errLines().get(0).contains("nosuch.json"));
    }

    @Test
    void aBrokenProjectNamesItsPathAndLine() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\n  \"format\": \"deepcanvas-project\",\n  \"formatVersion\": 1,\n  \"name\": \"x\",\n"
                + "  \"graph\": {\"nodes\": [{\"id\": 3}]}\n}\n");
        Run r = launch(bad.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.errLines()::toString);
        assertTrue(r.errLines().get(0).contains("bad.json") && r.errLines().get(0).contains("line 5"),
                r.errLines().get(0));
    }

    @Test
    void noDisplayIsOneLineAndExitCode1() throws Exception {
        Run r = launch();
        assertEquals(1, r.code());
        assertEquals(1, r.errLines().size(), r.errLines()::toString);
        assertTrue(r.errLines().get(0).contains("no display"), r.errLines().get(0));
    }

    @Test
    void aLaunchFailureMentioningGtkNamesThePackageToInstall() {
        String line = Main.describeLaunchFailure(new RuntimeException("Unable to load glass GTK library",
                new UnsatisfiedLinkError("libgtk-3.so.0: cannot open shared object file")));
        assertTrue(line.contains("libgtk-3-0"), line);
    }
}
