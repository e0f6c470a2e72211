package io.deepcanvas.app;

import io.deepcanvas.app.editor.CanvasView;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.AppSettings;
import io.deepcanvas.app.project.Examples;
import io.deepcanvas.app.project.Recovery;
import io.deepcanvas.app.training.TrainedNetwork;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.PyTorchExporter;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.AtomicFiles;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.WeightsFile;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * New, Open, Save, Save As, Export, the recent and example menus, and crash recovery. Every read and write runs on
 * one IO thread — the FX thread never waits on a disk — and its result comes back to the FX thread. A file that
 * fails to open leaves the open project untouched; saves are atomic (the engine's {@link AtomicFiles}).
 */
public final class FileActions {
    /** How often unsaved work is written to the recovery file. */
    static final Duration RECOVERY_EVERY = Duration.seconds(3);

    private final Stage stage;
    private final EditorModel model;
    private final AppSettings settings;
    private final CanvasView canvas;
    private final Consumer<String> status;
    private final Recovery recovery;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deepcanvas-io");
        t.setDaemon(true);
        return t;
    });
    private final Timeline autosave;
    private long recoveredRevision = -1;
    private final Menu recentMenu = new Menu();
    private FileDialogs dialogs = this::showChooser;
    private Supplier<TrainedNetwork> trained = () -> null;
    private Consumer<TrainedNetwork> weightsRead = t -> { };
    /** Told of every project shown (its file, null for a new project or an example) and every save. */
    private Consumer<Path> projectShown = f -> { };
    private Consumer<Path> projectSaved = f -> { };
    /** The network last read with a project: its weights are already in its file. */
    private TrainedNetwork readWithProject;

    /** Where Open, Save As and Export ask for a file; tests answer without a native dialog. */
    public interface FileDialogs {
        /** The file the user chose, or null when they cancelled. */
        Path choose(Purpose purpose, String suggestedName);
    }

    /** What a file is asked for. */
    public enum Purpose { OPEN_PROJECT, SAVE_PROJECT, EXPORT_PYTORCH, EXPORT_CSV, EXPORT_PNG }

    public void setFileDialogs(FileDialogs dialogs) {
        this.dialogs = dialogs;
    }

    private Path showChooser(Purpose purpose, String suggestedName) {
        FileChooser c = switch (purpose) {
            case OPEN_PROJECT -> chooser("dialog.open.title", "dialog.filter.project", "*.json");
            case SAVE_PROJECT -> chooser("dialog.save.title", "dialog.filter.project", "*.json");
            case EXPORT_PYTORCH -> chooser("dialog.export.title", "dialog.filter.python", "*.py");
            case EXPORT_CSV -> chooser("dialog.exportCsv.title", "dialog.filter.csv", "*.csv");
            case EXPORT_PNG -> chooser("dialog.exportPng.title", "dialog.filter.png", "*.png");
        };
        if (suggestedName != null) {
            c.setInitialFileName(suggestedName);
        }
        File f = purpose == Purpose.OPEN_PROJECT ? c.showOpenDialog(stage) : c.showSaveDialog(stage);
        return f == null ? null : f.toPath();
    }

    FileActions(Stage stage, EditorModel model, AppSettings settings, CanvasView canvas, Consumer<String> status) {
        this.stage = stage;
        this.model = model;
        this.settings = settings;
        this.canvas = canvas;
        this.status = status;
        this.recovery = new Recovery(settings.home());
        autosave = new Timeline(new KeyFrame(RECOVERY_EVERY, e -> writeRecovery()));
        autosave.setCycleCount(Timeline.INDEFINITE);
        autosave.play();
    }

    // ---- start-up -------------------------------------------------------------------------------------------

    /**
     * The first project: unsaved work a crash left (if the user restores it), else the file given on the command
     * line (already read by {@link Main}), else the last project, else LeNet-5.
     */
    public void start(Project fromArgument, Path argumentFile) {
        // the recovery file and the last project are looked for on the IO thread; the window is already up
        io.execute(() -> {
            Recovery.Saved saved = recovery.find();
            Path last = settings.last();
            boolean lastExists = last != null && Files.isRegularFile(last);
            Path lenet = Examples.lenet5();
            Platform.runLater(() -> begin(saved, fromArgument, argumentFile, lastExists ? last : null, lenet));
        });
    }

    private void begin(Recovery.Saved saved, Project fromArgument, Path argumentFile, Path last, Path lenet) {
        if (saved != null && Dialogs.restore(stage, saved.project().name(), when(saved))) {
            model.load(saved.project(), saved.origin());
            model.markUnsaved();
            canvas.showView(saved.project().view());
            projectShown.accept(saved.origin());
            status.accept(I18n.text("status.recovered", when(saved)));
            return;
        }
        if (saved != null) {
            io.execute(recovery::clear);
        }
        if (fromArgument != null) {
            // read by Main already; its weights are read here, on the IO thread, like any opened project's
            io.execute(() -> {
                Weights w = argumentFile == null ? null : readWeights(fromArgument, argumentFile);
                Platform.runLater(() -> show(fromArgument, argumentFile, w));
            });
        } else if (last != null) {
            openFile(last, false);
        } else if (lenet != null) {
            openExample(lenet);
        } else {
            model.newProject();
        }
    }

    private static String when(Recovery.Saved saved) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(I18n.locale())
                .format(saved.when().atZone(ZoneId.systemDefault()));
    }

    /**
     * Where the trained network comes from (saved beside the project with it) and where one read with a project
     * goes (the training panels).
     */
    public void connectTraining(Supplier<TrainedNetwork> current, Consumer<TrainedNetwork> read) {
        this.trained = current;
        this.weightsRead = read;
    }

    /** Who follows the project's file: the run history, read beside it on open and written beside it on save. */
    public void connectProjectFile(Consumer<Path> shown, Consumer<Path> saved) {
        this.projectShown = shown;
        this.projectSaved = saved;
    }

    /** Where files are asked for (exports of the training panels too). */
    Path choose(Purpose purpose, String suggestedName) {
        return dialogs.choose(purpose, suggestedName);
    }

    /** The IO thread: files are read and written there, one after another, never on the FX thread. */
    java.util.concurrent.Executor io() {
        return io;
    }

    // ---- new and open ---------------------------------------------------------------------------------------

    void newProject() {
        confirmDiscard(() -> {
            model.newProject();
            canvas.showView(null);
            projectShown.accept(null);
            status.accept(I18n.text("status.ready"));
        });
    }

    void open() {
        confirmDiscard(() -> {
            Path f = dialogs.choose(Purpose.OPEN_PROJECT, null);
            if (f != null) {
                openFile(f, false);
            }
        });
    }

    /** Opens {@code file} after asking about unsaved changes (drops on the window, the recent menu). */
    public void openFile(Path file) {
        confirmDiscard(() -> openFile(file, false));
    }

    /**
     * Reads {@code file} on the IO thread; on success it replaces the open project, on failure an error names the
     * file, the line and what is wrong, and the open project stays as it was. {@code asExample} opens it as a
     * template: not tied to the file, so Save asks where to put the user's copy.
     */
    public CompletableFuture<Project> openFile(Path file, boolean asExample) {
        CompletableFuture<Project> done = new CompletableFuture<>();
        io.execute(() -> {
            try {
                Project p = ProjectFile.withLayerRegistry().load(file);
                Weights w = asExample ? null : readWeights(p, file);
                Platform.runLater(() -> {
                    show(p, asExample ? null : file, w);
                    if (!asExample) {
                        settings.opened(file);
                        saveSettings();
                    }
                    done.complete(p);
                });
            } catch (IOException | RuntimeException e) {
                String why = e instanceof NoSuchFileException ? I18n.text("dialog.fileMissing", file)
                        : e.getMessage();
                Platform.runLater(() -> {
                    status.accept(I18n.text("status.openFailed", file.getFileName()));
                    Dialogs.error(stage, I18n.text("dialog.openFailed.title"),
                            I18n.text("dialog.openFailed.header", file), I18n.text("dialog.openFailed.content", why));
                    done.completeExceptionally(e);
                });
            }
        });
        return done;
    }

    /** Weights read with a project, or why they were not (the network is null then). */
    private record Weights(TrainedNetwork network, String message) {
    }

    /**
     * On the IO thread: the project's weights file beside it, loaded into a freshly compiled network; null when
     * there is none. Weights that do not fit (the graph was edited since) are ignored, said in a status line.
     */
    private static Weights readWeights(Project p, Path file) {
        Path w = WeightsFile.beside(p, file);
        if (!Files.isRegularFile(w)) {
            return null;
        }
        String name = w.getFileName().toString();
        try {
            TrainedNetwork t = networkWithWeights(p, p.training(), w, 0);
            return new Weights(t, I18n.text("status.weightsLoaded", p.name(), name));
        } catch (IllegalArgumentException e) {
            return new Weights(null, I18n.text("status.weightsMismatch", name));
        } catch (IOException | RuntimeException e) {
            return new Weights(null, I18n.text("status.weightsFailed", name, e.getMessage()));
        }
    }

    /**
     * On the IO thread: {@code project}'s network compiled afresh with the weights of {@code weights}, its inputs
     * prepared as {@code trainedWith} says (the settings the weights were trained with). Throws
     * {@link IllegalArgumentException} when the network has problems or the weights do not fit it.
     */
    static TrainedNetwork networkWithWeights(Project project, io.deepcanvas.engine.io.TrainingSettings trainedWith,
                                             Path weights, long steps) throws IOException {
        ShapeReport report = ShapeInference.infer(project.graph());
        if (!report.isValid()) {
            throw new IllegalArgumentException(report.problems().get(0).message());
        }
        GraphModule module = GraphCompiler.compile(report, project.name().replaceAll("[^A-Za-z0-9_]", ""));
        WeightsFile.read(module, weights);
        return new TrainedNetwork(module, TrainingRecipe.transform(trainedWith), report.outputShape(report.inputId()),
                project.name(), steps);
    }

    /**
     * A run ended: its weights go beside the project file, when there is one, on the IO thread (the JSON names them
     * from the next save; until then, opening finds them by their default name).
     */
    public void saveWeights(TrainedNetwork network) {
        Path file = model.file();
        if (file == null || network == readWithProject) {
            return;
        }
        Project project = model.toProject();
        Path target = WeightsFile.beside(project, file);
        io.execute(() -> {
            try {
                WeightsFile.write(network.module(), target);
                // quietly: the status bar keeps the run's result
                Platform.runLater(() -> {
                    if (file.equals(model.file())) {
                        model.setWeights(target.getFileName().toString());
                    }
                });
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.saveFailed", target.getFileName(),
                        e.getMessage())));
            }
        });
    }

    void openExample(Path file) {
        openFile(file, true);
    }

    /** Shows a project read from {@code file}, with the weights read beside it ({@code w}, null for none). */
    private void show(Project p, Path file, Weights w) {
        model.load(p, file);
        canvas.showView(p.view());
        status.accept(I18n.text("status.opened", p.name()));
        if (w != null) {
            status.accept(w.message());
            if (w.network() != null) {
                readWithProject = w.network();
                weightsRead.accept(w.network());
            }
        }
        // after the weights: the history's newest run shows with them
        projectShown.accept(file);
    }

    // ---- save -----------------------------------------------------------------------------------------------

    /** Saves to the project's file, or asks for one. */
    void save() {
        save(null);
    }

    private void save(Runnable then) {
        if (model.file() == null) {
            saveAs(then);
        } else {
            write(model.file(), then);
        }
    }

    void saveAs() {
        saveAs(null);
    }

    private void saveAs(Runnable then) {
        Path p = dialogs.choose(Purpose.SAVE_PROJECT, fileName(model.name()) + ".json");
        if (p != null) {
            write(p.getFileName().toString().endsWith(".json") ? p : p.resolveSibling(p.getFileName() + ".json"),
                    then);
        }
    }

    /** Writes the project to {@code file} on the IO thread; {@code then} runs after a successful save. */
    public CompletableFuture<Void> write(Path file, Runnable then) {
        model.setView(canvas.currentView());
        // trained weights travel with the project: NAME.safetensors beside NAME.json (kept under its own name
        // when saved to the same file)
        TrainedNetwork network = trained.get();
        boolean sameFile = file.equals(model.file());
        Path weightsFile = network == null ? null : sameFile ? WeightsFile.beside(model.toProject(), file)
                : file.toAbsolutePath().resolveSibling(WeightsFile.defaultName(file));
        // weights read with this very file need no rewrite if they are still there (checked on the IO thread)
        boolean maybeUnchanged = sameFile && network == readWithProject;
        if (weightsFile != null) {
            model.setWeights(weightsFile.getFileName().toString());
        }
        Project snapshot = model.toProject();
        long revision = model.revisionProperty().get();
        CompletableFuture<Void> done = new CompletableFuture<>();
        io.execute(() -> {
            try {
                if (weightsFile != null && !(maybeUnchanged && Files.isRegularFile(weightsFile))) {
                    WeightsFile.write(network.module(), weightsFile);
                }
                new ProjectFile().save(snapshot, file);
                recovery.clear();
                Platform.runLater(() -> {
                    // edits made while the file was written keep the project dirty
                    if (model.revisionProperty().get() == revision) {
                        model.markSaved(file, null);
                    }
                    projectSaved.accept(file);
                    settings.opened(file);
                    saveSettings();
                    status.accept(I18n.text("status.saved", file.getFileName()));
                    if (then != null) {
                        then.run();
                    }
                    done.complete(null);
                });
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> {
                    status.accept(I18n.text("status.saveFailed", file.getFileName(), e.getMessage()));
                    Dialogs.error(stage, I18n.text("dialog.saveFailed.title"), file.toString(), e.getMessage());
                    done.completeExceptionally(e);
                });
            }
        });
        return done;
    }

    void exportPyTorch() {
        Path file = dialogs.choose(Purpose.EXPORT_PYTORCH, fileName(model.name()).toLowerCase(java.util.Locale.ROOT)
                + ".py");
        if (file == null) {
            return;
        }
        String code;
        try {
            code = PyTorchExporter.export(model.report(), model.name());
        } catch (RuntimeException e) {
            status.accept(I18n.text("status.exportFailed", e.getMessage()));
            return;
        }
        io.execute(() -> {
            try {
                byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
                AtomicFiles.write(file, out -> out.write(bytes));
                Platform.runLater(() -> status.accept(I18n.text("status.exported", file.getFileName())));
            } catch (IOException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.saveFailed", file.getFileName(),
                        e.getMessage())));
            }
        });
    }

    /** Asks before unsaved changes are discarded; runs {@code then} unless the user cancels. */
    public void confirmDiscard(Runnable then) {
        if (!model.isDirty()) {
            then.run();
            return;
        }
        switch (Dialogs.unsavedChanges(stage, model.name())) {
            case SAVE -> save(then);
            case DISCARD -> {
                io.execute(recovery::clear);
                then.run();
            }
            case CANCEL -> { }
        }
    }

    // ---- menus ----------------------------------------------------------------------------------------------

    Menu examplesMenu() {
        Menu m = new Menu();
        m.setId("menu-examples");
        m.textProperty().bind(I18n.bind("menu.file.examples"));
        List<Path> files = Examples.all();
        for (Path p : files) {
            MenuItem item = new MenuItem(p.getFileName().toString().replace(".json", ""));
            item.setMnemonicParsing(false);
            item.setId("example-" + p.getFileName().toString().replace(".json", ""));
            item.setOnAction(e -> confirmDiscard(() -> openExample(p)));
            m.getItems().add(item);
        }
        // the projects' own names ("LeNet-5") replace the file names once the IO thread has read them
        io.execute(() -> {
            for (int i = 0; i < files.size(); i++) {
                String name = exampleName(files.get(i));
                MenuItem item = m.getItems().get(i);
                Platform.runLater(() -> item.setText(name));
            }
        });
        return m;
    }

    /** The example's project name (small files, read on the IO thread). */
    private static String exampleName(Path p) {
        try {
            return ProjectFile.withLayerRegistry().load(p).name();
        } catch (IOException | RuntimeException e) {
            return p.getFileName().toString();
        }
    }

    Menu recentMenu() {
        recentMenu.setId("menu-recent");
        recentMenu.textProperty().bind(I18n.bind("menu.file.recent"));
        recentMenu.setOnShowing(e -> fillRecent());
        fillRecent();
        return recentMenu;
    }

    private void fillRecent() {
        recentMenu.getItems().clear();
        for (Path p : settings.recent()) {
            MenuItem item = new MenuItem(p.getFileName() + "  —  " + p.getParent());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> openFile(p));
            recentMenu.getItems().add(item);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem(I18n.text("menu.file.recent.none"));
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem(I18n.text("menu.file.recent.clear"));
            clear.setOnAction(e -> {
                settings.clearRecent();
                saveSettings();
            });
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    // ---- recovery and settings ------------------------------------------------------------------------------

    /** Every few seconds: if there is unsaved work newer than the last copy, snapshot it (µs) and write it on IO. */
    private void writeRecovery() {
        long rev = model.revisionProperty().get();
        if (!model.isDirty() || rev == recoveredRevision) {
            return;
        }
        recoveredRevision = rev;
        model.setView(canvas.currentView());
        Project snapshot = model.toProject();
        Path origin = model.file();
        io.execute(() -> {
            try {
                recovery.write(snapshot, origin);
            } catch (IOException e) {
                Platform.runLater(() -> status.accept(I18n.text("status.saveFailed", "recovery.json",
                        e.getMessage())));
            }
        });
    }

    private void saveSettings() {
        io.execute(() -> {
            try {
                settings.save();
            } catch (IOException e) {
                // settings are a convenience; the project itself is safe
            }
        });
    }

    /** Clean exit: nothing unsaved remains to recover; settings are written; the IO thread finishes its queue. */
    public void shutdown() {
        autosave.stop();
        io.execute(recovery::clear);
        saveSettings();
        io.shutdown();
        try {
            io.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FileChooser chooser(String titleKey, String filterKey, String pattern) {
        FileChooser c = new FileChooser();
        c.setTitle(I18n.text(titleKey));
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(I18n.text(filterKey), pattern));
        Path dir = model.file() != null ? model.file().toAbsolutePath().getParent() : null;
        if (dir != null && Files.isDirectory(dir)) {
            c.setInitialDirectory(dir.toFile());
        }
        return c;
    }

    private static String fileName(String projectName) {
        String s = projectName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "network" : s;
    }
}
