package io.deepcanvas.app.bench;

import atlantafx.base.theme.PrimerLight;
import io.deepcanvas.app.MainWindow;
import io.deepcanvas.app.editor.CanvasView;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.AppSettings;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.io.Project;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * How the editor holds up with a big graph ({@code deepcanvas bench-editor [--nodes N]}): the real window with a
 * chain of N layers (300 by default), then
 * <ul>
 * <li>edit: a parameter change on a node in the middle, 60 times, timed twice: the edit itself with everything that
 * listens to it (shape inference, every node view, inspector, problems, code view), and from the edit to the end of
 * the next pulse's layout, which includes waiting for that pulse (up to a 60 Hz frame);</li>
 * <li>frame time while panning, zooming and dragging all nodes: the interval between frames over 180 frames each.</li>
 * </ul>
 * Prints medians and 95th percentiles; 16.7 ms per frame is the screen's 60 Hz.
 */
public final class EditorBenchmark {
    static int nodes = 300;

    private EditorBenchmark() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--nodes") && i + 1 < args.length) {
                nodes = Integer.parseInt(args[++i]);
            } else {
                System.err.println("deepcanvas bench-editor: unknown option '" + args[i] + "'; usage: deepcanvas "
                        + "bench-editor [--nodes N]");
                System.exit(2);
            }
        }
        // the Application is a nested class: a main class that extends Application fails on the class path
        Application.launch(Run.class);
    }

    /** A valid network of {@code n} nodes: Input [64] then Linear/ReLU pairs, laid out in bands. */
    static NetworkGraph chain(int n) {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", List.of(64)), 40, 200);
        String prev = "input";
        for (int i = 1; i < n; i++) {
            String id = (i % 2 == 1 ? "fc" : "relu") + i;
            g.add(id, i % 2 == 1 ? "Linear" : "ReLU", i % 2 == 1 ? Map.of("out_features", 64) : Map.of(),
                    40 + (i % 15) * 180, 200 + (i / 15) * 160);
            g.connect(prev, id);
            prev = id;
        }
        return g;
    }

    /** The benchmark's window. */
    public static final class Run extends Application {
    private EditorModel model;
    private CanvasView canvas;
    private MainWindow window;

    @Override
    public void start(Stage stage) throws Exception {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = new EditorModel();
        window = new MainWindow(stage, model, new AppSettings(Files.createTempDirectory("deepcanvas-bench")));
        canvas = window.canvas();
        stage.show();
        model.load(Project.of("bench", chain(nodes)), null);
        canvas.actualSize();
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            ShapeInference.infer(model.graph());
        }
        double inferUs = (System.nanoTime() - t0) / 200 / 1e3;
        System.out.printf(Locale.ROOT, "DeepCanvas editor benchmark: %d nodes, %d edges; shape inference %.0f µs"
                + " per edit%n", model.graph().nodes().size(), model.graph().edges().size(), inferUs);
        // let the window settle and the JIT warm up on a few edits before measuring
        int edits = Integer.getInteger("deepcanvas.bench.edits", 60);
        Platform.runLater(() -> editToRepaint(stage, 20, false, () -> editToRepaint(stage, edits, true,
                () -> frames("pan", 180, f -> canvas.panBy(-6, 0), () -> frames("zoom", 180,
                        f -> canvas.zoomProperty().set(0.5 + 0.5 * Math.abs(Math.sin(f / 30.0))),
                        () -> frames("drag all nodes", 180, f -> model.previewMove(List.copyOf(ids()), 2, 1),
                                () -> {
                                    model.finishMove();
                                    Platform.exit();
                                }))))));
    }

    private List<String> ids() {
        List<String> out = new ArrayList<>();
        model.graph().nodes().forEach(n -> out.add(n.id()));
        return out;
    }

    /** Edits a parameter, waits for the pulse that shows it, repeats; prints the times when {@code report}. */
    private void editToRepaint(Stage stage, int times, boolean report, Runnable then) {
        double[] ms = new double[times];
        double[] sync = new double[times];
        int[] i = {0};
        long[] start = {0};
        Runnable[] next = new Runnable[1];
        Runnable listener = new Runnable() {
            @Override
            public void run() {
                if (start[0] == 0) {
                    return;
                }
                ms[i[0]] = (System.nanoTime() - start[0]) / 1e6;
                start[0] = 0;
                i[0]++;
                if (i[0] < times) {
                    Platform.runLater(next[0]);
                } else {
                    stage.getScene().removePostLayoutPulseListener(this);
                    if (report) {
                        print("edit, model and views", sync);
                        print("edit to repaint", ms);
                    }
                    Platform.runLater(then);
                }
            }
        };
        stage.getScene().addPostLayoutPulseListener(listener);
        next[0] = () -> {
            start[0] = System.nanoTime();
            model.setParam("fc" + (nodes / 2 | 1), "out_features", 32 + i[0] % 2 * 32);
            sync[i[0]] = (System.nanoTime() - start[0]) / 1e6;
            Platform.requestNextPulse();
        };
        next[0].run();
    }

    private interface Frame {
        void apply(int frame);
    }

    /** Runs {@code action} once per frame for {@code count} frames and prints the frame intervals. */
    private void frames(String what, int count, Frame action, Runnable then) {
        double[] ms = new double[count];
        new AnimationTimer() {
            int f = -1;
            long last;

            @Override
            public void handle(long now) {
                if (f >= 0) {
                    ms[f] = (now - last) / 1e6;
                }
                last = now;
                f++;
                if (f == count) {
                    stop();
                    print("frame, " + what, ms);
                    Platform.runLater(then);
                    return;
                }
                action.apply(f);
            }
        }.start();
    }

    private static void print(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-24s median %6.2f ms   p95 %6.2f ms   max %6.2f ms   (%d samples)%n", what,
                s[s.length / 2], s[(int) Math.floor(s.length * 0.95)], s[s.length - 1], s.length);
    }
    }
}
