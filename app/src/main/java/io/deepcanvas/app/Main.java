package io.deepcanvas.app;

import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javafx.application.Application;

/**
 * Launches the desktop app: {@code deepcanvas-app [PROJECT.json]}. It checks what would otherwise end in a stack
 * trace — no display, a missing GTK, a project that cannot be read — and says so in one line. (A class that
 * extends {@code Application} cannot be the main class of a plain class-path launch; this one is.)
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 1) {
            fail(2, "give at most one project file, got " + args.length + " arguments; usage: deepcanvas "
                    + "[PROJECT.json]");
        }
        if (args.length == 1) {
            Path file = Path.of(args[0]);
            try {
                if (Files.isDirectory(file)) {
                    fail(2, file + " is a folder; give a project file such as layouts/lenet5.json");
                }
                DeepCanvasApp.initialProject = ProjectFile.withLayerRegistry().load(file);
                DeepCanvasApp.initialFile = file.toAbsolutePath().normalize();
            } catch (NoSuchFileException e) {
                fail(2, "cannot open " + file + ": no such file (run 'deepcanvas help' for the commands)");
            } catch (IOException | RuntimeException e) {
                fail(2, "cannot open " + e.getMessage());
            }
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("linux") && blank(System.getenv("DISPLAY")) && blank(System.getenv("WAYLAND_DISPLAY"))
                && !"Monocle".equals(System.getProperty("glass.platform"))) {
            fail(1, "no display to open the window on (DISPLAY is not set): run it in a desktop session, or use "
                    + "the command line ('deepcanvas help')");
        }
        configureEngineForTheWindow();
        DeepCanvasApp.settings = new io.deepcanvas.app.project.AppSettings(
                io.deepcanvas.app.project.AppSettings.defaultHome());
        try {
            Application.launch(DeepCanvasApp.class, args);
        } catch (RuntimeException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            fail(1, describeLaunchFailure(e));
        }
    }

    /** The one line for a toolkit that would not start. */
    static String describeLaunchFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("GTK") || m.contains("gtk") || m.contains("libgtk")) {
                return "cannot start the window: the GTK 3 library is missing; install it with "
                        + "'sudo apt-get install libgtk-3-0' (or use the command line: 'deepcanvas help')";
            }
            if (m.contains("Unable to open DISPLAY") || m.contains("display")) {
                return "cannot open the display " + System.getenv("DISPLAY") + ": is the X server running and may "
                        + "this user connect to it?";
            }
        }
        return "cannot start the window: " + e;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void fail(int code, String message) {
        System.err.println("deepcanvas: " + message);
        if (System.getenv("DEEPCANVAS_DEBUG") != null) {
            new Throwable().printStackTrace();
        }
        System.exit(code);
    }

    /**
     * The engine as the window needs it (the app and its benchmarks). The CPU kernels compile (JIT) on a low-priority
     * thread while the window opens, so the first Train is fast from its first step (a starting run stops it). And
     * the CPU backend does not hand a core to the JIT while it compiles (it does on the command line, where the
     * kernels compile during the first steps): here they were compiled at launch, and the window's own code keeps
     * the JIT busy now and then, which made training give up a core it needed — measured with
     * {@code deepcanvas bench-panels}, LeNet-5 from the window took 12.5% longer than headless with the hand-over,
     * 6% without. {@code -Ddeepcanvas.ignoreJit=false} keeps the hand-over.
     */
    public static void configureEngineForTheWindow() {
        if (System.getProperty("deepcanvas.ignoreJit") == null) {
            io.deepcanvas.engine.backend.cpu.CpuBackend.handCoreToJit(false);
        }
        io.deepcanvas.engine.train.Warmup.startInBackground();
    }
}
