package io.deepcanvas.app;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.training.RunActions;
import io.deepcanvas.app.training.RunHistory;
import io.deepcanvas.app.training.RunRecord;
import io.deepcanvas.app.training.RunStore;
import io.deepcanvas.app.training.TrainingViewModel;
import io.deepcanvas.engine.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * The run history's files and the training panels' exports: runs are read from beside the project when it opens,
 * kept beside it when they end (or when an unsaved project gets its file), exported as CSV, deleted on request;
 * charts and filter grids are written as PNG. Every file is touched on the IO thread, one after another with the
 * project's own saves; the FX thread only asks and shows.
 */
final class RunFiles implements RunActions {
    private final Stage stage;
    private final EditorModel model;
    private final RunHistory history;
    private final TrainingViewModel training;
    private final FileActions files;
    private final Executor io;
    private final Consumer<String> status;
    /** Which project file the history belongs to (null: a new project, an example). */
    private Path projectFile;
    /** Told when a project opens with runs (see {@link #onRunsShown}). */
    private Runnable runsShown = () -> { };

    RunFiles(Stage stage, EditorModel model, RunHistory history, TrainingViewModel training, FileActions files,
             Consumer<String> status) {
        this.stage = stage;
        this.model = model;
        this.history = history;
        this.training = training;
        this.files = files;
        this.io = files.io();
        this.status = status;
        files.connectProjectFile(this::projectShown, this::projectSaved);
        training.finishedRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                keep(b);
            }
        });
    }

    /**
     * Called when a project opens with runs beside it and the newest shows in the panels: the window then shows the
     * panels, so the curves, the evaluation and the runs are in sight without knowing View ▸ Training panels.
     */
    void onRunsShown(Runnable r) {
        runsShown = r;
    }

    /** Another project shows: its history replaces the last one's, and its newest run shows in the panels. */
    private void projectShown(Path file) {
        projectFile = file;
        history.setAll(List.of());
        if (!training.runningProperty().get()) {
            training.clearRun();
        }
        if (file == null) {
            return;
        }
        io.execute(() -> {
            List<String> problems = new ArrayList<>();
            List<RunRecord> runs = RunStore.readAll(file, problems);
            Platform.runLater(() -> {
                if (!file.equals(projectFile)) {
                    return; // yet another project opened meanwhile
                }
                history.setAll(runs);
                if (!runs.isEmpty() && !training.runningProperty().get()) {
                    training.showRun(runs.get(runs.size() - 1));
                    runsShown.run();
                }
                if (!problems.isEmpty()) {
                    status.accept(I18n.text("status.runsUnreadable", problems.size(), problems.get(0)));
                }
            });
        });
    }

    /** Saved, perhaps under a new name: runs not yet beside this file go there (new ones, or all after Save As). */
    private void projectSaved(Path file) {
        projectFile = file;
        for (RunRecord r : List.copyOf(history.runs())) {
            write(r, file);
        }
    }

    /** A run ended: it joins the history, and beside the project at once when the project has a file. */
    private void keep(RunRecord run) {
        history.add(run);
        Path file = model.file();
        if (file != null) {
            write(run, file);
        }
    }

    private void write(RunRecord run, Path file) {
        io.execute(() -> {
            try {
                RunRecord kept = RunStore.write(run, file);
                if (kept != run) {
                    Platform.runLater(() -> history.replace(run, kept));
                }
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.runSaveFailed", run.id(),
                        e.getMessage())));
            }
        });
    }

    @Override
    public void exportCsv(RunRecord run) {
        if (run != null) {
            export(FileActions.Purpose.EXPORT_CSV, run.id() + ".csv", ".csv", file -> RunStore.exportCsv(run, file));
        }
    }

    /** A file's content, written off the FX thread. */
    @FunctionalInterface
    private interface Writing {
        void to(Path file) throws IOException;
    }

    /**
     * Asks where ({@code PROJECT-suggested}), then writes the file on the IO thread and says so, or why not, in the
     * status line.
     */
    private void export(FileActions.Purpose purpose, String suggested, String extension, Writing writing) {
        Path target = files.choose(purpose, model.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "-" + suggested);
        if (target == null) {
            return;
        }
        Path file = withExtension(target, extension);
        io.execute(() -> {
            try {
                writing.to(file);
                Platform.runLater(() -> status.accept(I18n.text("status.exported", file.getFileName())));
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.saveFailed", file.getFileName(),
                        e.getMessage())));
            }
        });
    }

    @Override
    public void delete(RunRecord run) {
        if (run == null) {
            return;
        }
        ButtonType remove = new ButtonType(I18n.text("runs.delete.confirm"), ButtonBar.ButtonData.YES);
        ButtonType cancel = new ButtonType(I18n.text("dialog.unsaved.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, I18n.text("runs.delete.content", run.id()), remove,
                cancel);
        a.initOwner(stage);
        a.setTitle(I18n.text("runs.delete.title"));
        a.setHeaderText(I18n.text("runs.delete.header", history.numberOf(run)));
        a.getDialogPane().setId("deleteRunDialog");
        if (a.showAndWait().orElse(cancel) != remove) {
            return;
        }
        history.remove(run);
        io.execute(() -> {
            try {
                RunStore.delete(run);
            } catch (IOException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.runDeleteFailed", run.id(),
                        e.getMessage())));
            }
        });
    }

    @Override
    public void useWeights(RunRecord run) {
        if (run == null || training.runningProperty().get()) {
            return;
        }
        if (!training.fitsEditor(run.project().graph())) {
            status.accept(I18n.text("status.runOtherNetwork", history.numberOf(run)));
            return;
        }
        if (run.network() != null) {
            training.useTrainedNetwork(run.network());
            status.accept(I18n.text("status.runWeightsUsed", history.numberOf(run)));
            return;
        }
        Path weights = run.weightsFile();
        if (weights == null) {
            status.accept(I18n.text("status.runNoWeights", history.numberOf(run)));
            return;
        }
        io.execute(() -> {
            try {
                if (!java.nio.file.Files.isRegularFile(weights)) {
                    Platform.runLater(() -> status.accept(I18n.text("status.runNoWeights", history.numberOf(run))));
                    return;
                }
                var network = FileActions.networkWithWeights(run.project(), run.project().training(), weights,
                        run.steps());
                Platform.runLater(() -> {
                    // the editor may have changed while the file was read
                    if (training.fitsEditor(run.project().graph())) {
                        training.useTrainedNetwork(network);
                        status.accept(I18n.text("status.runWeightsUsed", history.numberOf(run)));
                    }
                });
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.weightsFailed", weights.getFileName(),
                        e.getMessage())));
            }
        });
    }

    @Override
    public void exportPng(Image image, String suggestedName) {
        // the pixels are read here (fast); the encoding and the write happen on the IO thread
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        export(FileActions.Purpose.EXPORT_PNG, suggestedName, ".png", file -> {
            byte[] png = png(argb, w, h);
            AtomicFiles.write(file, out -> out.write(png));
        });
    }

    /** {@code argb} ({@code w × h}, row after row) as a PNG file's bytes. */
    static byte[] png(int[] argb, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, w, h, argb, 0, w);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        return out.toByteArray();
    }

    private static Path withExtension(Path p, String ext) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(ext) ? p
                : p.resolveSibling(p.getFileName() + ext);
    }
}
