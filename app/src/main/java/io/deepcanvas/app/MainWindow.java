package io.deepcanvas.app;

import io.deepcanvas.app.editor.CanvasView;
import io.deepcanvas.app.editor.CodeView;
import io.deepcanvas.app.editor.InspectorView;
import io.deepcanvas.app.editor.MinimapView;
import io.deepcanvas.app.editor.PaletteView;
import io.deepcanvas.app.editor.ProblemsView;
import io.deepcanvas.app.editor.SummaryBar;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.AppSettings;
import io.deepcanvas.app.training.RunHistory;
import io.deepcanvas.app.training.TrainingDock;
import io.deepcanvas.app.training.TrainingViewModel;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The editor window: menus and toolbar, the palette, the canvas with its minimap, the inspector / problems / code
 * tabs and the status bar with the network's summary. It wires views to the one {@link EditorModel}; file work
 * goes through {@link FileActions}, which does its IO off the FX thread.
 */
public final class MainWindow {
    private final Stage stage;
    private final EditorModel model;
    private final AppSettings settings;
    private final CanvasView canvas;
    private final MinimapView minimap;
    private final FileActions files;
    private final TrainingViewModel training;
    private final TrainingDock trainingDock;
    /** The project's runs, kept beside its file by {@link #runFiles}. */
    private final RunHistory history;
    private final RunFiles runFiles;
    /** The editor above, the training panels below once a run has started (or View ▸ Training panels). */
    private final SplitPane workArea = new SplitPane();
    private final CheckMenuItem trainingPanelsItem = new CheckMenuItem();
    private final Label status = new Label();
    private final Pane ghostLayer = new Pane();
    private final Scene scene;
    private int pasteCount;

    public MainWindow(Stage stage, EditorModel model, AppSettings settings) {
        this.stage = stage;
        this.model = model;
        this.settings = settings;
        this.canvas = new CanvasView(model);
        this.minimap = new MinimapView(model, canvas);
        this.files = new FileActions(stage, model, settings, canvas, this::setStatus);
        canvas.setStatusSink(this::setStatus);
        // the view-model locks the editor while a run goes
        this.training = new TrainingViewModel(model);
        this.history = new RunHistory();
        this.runFiles = new RunFiles(stage, model, history, training, files, this::setStatus);
        this.trainingDock = new TrainingDock(training, history, runFiles, this::train);
        runFiles.onRunsShown(() -> showTrainingPanels(true));
        training.statusProperty().addListener((o, a, b) -> setStatus(b));
        canvas.showGradientHealth(training.gradientHealthProperty());
        // trained weights go beside the project file; weights read with a project come back to the panels
        files.connectTraining(() -> training.trainedNetworkProperty().get(), training::useTrainedNetwork);
        training.trainedNetworkProperty().addListener((o, a, b) -> {
            if (b != null) {
                files.saveWeights(b);
            }
        });

        BorderPane root = new BorderPane();
        root.setTop(new VBox(menuBar(), toolBar()));
        root.setCenter(workArea());
        root.setBottom(statusBar());
        ghostLayer.setMouseTransparent(true);
        StackPane layers = new StackPane(root, ghostLayer);
        scene = new Scene(layers, 1440, 900);
        scene.getStylesheets().add(MainWindow.class.getResource("app.css").toExternalForm());
        // Ctrl+Y redoes too (the Windows habit); a menu item holds one accelerator, the scene the rest
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+Y"), model::redo);
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+EQUALS"), canvas::zoomIn);
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+ADD"), canvas::zoomIn);
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+SUBTRACT"), canvas::zoomOut);
        scene.getAccelerators().put(KeyCombination.keyCombination("BACK_SPACE"), this::delete);
        scene.getAccelerators().put(KeyCombination.keyCombination("Shortcut+K"), () -> palette.searchField()
                .requestFocus());
        acceptProjectDrops();
        // the keyboard belongs to the canvas: at start, and when the control that had it disappears (a fix button
        // in a rebuilt list) — else it would land in the palette's search field and Ctrl+Z would undo typing there
        scene.focusOwnerProperty().addListener((o, old, now) -> {
            if (old != null && old.getScene() == null && now instanceof TextInputControl) {
                canvas.requestFocus();
            }
        });
        javafx.application.Platform.runLater(canvas::requestFocus);
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.createStringBinding(() -> I18n.text("window.title",
                        model.isDirty() ? I18n.text("window.unsavedMark") : "", model.name()),
                model.nameProperty(), model.dirtyProperty(), I18n.localeProperty()));
        stage.setOnCloseRequest(e -> {
            e.consume();
            quit();
        });
        setStatus(I18n.text("status.ready"));
    }

    public Scene scene() {
        return scene;
    }

    public FileActions files() {
        return files;
    }

    public CanvasView canvas() {
        return canvas;
    }

    public TrainingViewModel training() {
        return training;
    }

    /** The training panels (shown under the editor from the first Train on). */
    /** The open project's runs. */
    public RunHistory history() {
        return history;
    }

    public TrainingDock trainingDock() {
        return trainingDock;
    }

    void setStatus(String text) {
        status.setText(text == null ? "" : text);
    }

    // ---- menus and toolbar ----------------------------------------------------------------------------------

    private Action newAction, open, save, saveAs, export, quit, undo, redo, cut, copy, paste, duplicate, delete,
            selectAll, quickAdd, zoomIn, zoomOut, fit, actualSize, autoLayout, train, stop, pause, resume;

    private void createActions() {
        javafx.beans.value.ObservableBooleanValue isLocked = model.lockedProperty();
        BooleanBinding nothingSelected = Bindings.createBooleanBinding(() -> model.selection().isEmpty()
                || model.lockedProperty().get(), model.selection(), model.lockedProperty());
        newAction = new Action("new", "menu.file.new", "Shortcut+N", files::newProject).disabledWhen(isLocked);
        open = new Action("open", "menu.file.open", "Shortcut+O", files::open).disabledWhen(isLocked);
        save = new Action("save", "menu.file.save", "Shortcut+S", files::save);
        saveAs = new Action("saveAs", "menu.file.saveAs", "Shortcut+Shift+S", files::saveAs);
        export = new Action("export", "menu.file.exportPyTorch", null, files::exportPyTorch);
        quit = new Action("quit", "menu.file.quit", "Shortcut+Q", this::quit);
        undo = new Action("undo", "menu.edit.undo", "Shortcut+Z", () -> textOr(TextInputControl::undo, model::undo))
                .disabledWhen(model.commands().canUndoProperty().not().or(model.lockedProperty()));
        redo = new Action("redo", "menu.edit.redo", "Shortcut+Shift+Z", () -> textOr(TextInputControl::redo,
                model::redo)).disabledWhen(model.commands().canRedoProperty().not().or(model.lockedProperty()));
        cut = new Action("cut", "menu.edit.cut", "Shortcut+X", () -> textOr(TextInputControl::cut, () -> {
            copyToClipboard();
            model.deleteSelection();
        })).disabledWhen(nothingSelected);
        // copying changes nothing, so it works while a run locks the network
        copy = new Action("copy", "menu.edit.copy", "Shortcut+C", () -> {
            if (scene.getFocusOwner() instanceof TextInputControl t) {
                t.copy();
            } else {
                copyToClipboard();
            }
        });
        paste = new Action("paste", "menu.edit.paste", "Shortcut+V", () -> textOr(TextInputControl::paste,
                this::pasteFromClipboard)).disabledWhen(isLocked);
        duplicate = new Action("duplicate", "menu.edit.duplicate", "Shortcut+D", model::duplicate)
                .disabledWhen(nothingSelected);
        delete = new Action("delete", "menu.edit.delete", "Delete", this::delete).disabledWhen(isLocked);
        selectAll = new Action("selectAll", "menu.edit.selectAll", "Shortcut+A", () -> textOr(
                TextInputControl::selectAll, model::selectAll));
        quickAdd = new Action("quickAdd", "menu.edit.quickAdd", null, canvas::openQuickAdd).disabledWhen(isLocked);
        zoomIn = new Action("zoomIn", "menu.view.zoomIn", "Shortcut+PLUS", canvas::zoomIn);
        zoomOut = new Action("zoomOut", "menu.view.zoomOut", "Shortcut+MINUS", canvas::zoomOut);
        fit = new Action("fit", "menu.view.fit", "Shortcut+F", canvas::fit);
        actualSize = new Action("actualSize", "menu.view.actualSize", "Shortcut+0", canvas::actualSize);
        autoLayout = new Action("autoLayout", "menu.view.autoLayout", "Shortcut+L", () -> {
            model.autoLayout();
            canvas.fit();
        }).disabledWhen(isLocked);
        train = new Action("train", "menu.run.train", "F5", this::train).disabledWhen(training.runningProperty());
        stop = new Action("stop", "menu.run.stop", "Shift+F5", training::stop)
                .disabledWhen(training.runningProperty().not());
        pause = new Action("pause", "menu.run.pause", null, training::pause).disabledWhen(Bindings.createBooleanBinding(
                () -> training.stateProperty().get() != TrainingViewModel.State.RUNNING, training.stateProperty()));
        resume = new Action("resume", "menu.run.resume", null, training::resume).disabledWhen(
                Bindings.createBooleanBinding(() -> !training.runningProperty().get()
                                || training.stateProperty().get() != TrainingViewModel.State.PAUSED
                                && training.stateProperty().get() != TrainingViewModel.State.DIVERGED,
                        training.stateProperty(), training.runningProperty()));
    }

    /** Edit commands act on the text field being typed in, if any, and on the network otherwise. */
    private void textOr(java.util.function.Consumer<TextInputControl> onText, Runnable onGraph) {
        if (scene.getFocusOwner() instanceof TextInputControl t) {
            onText.accept(t);
        } else if (!model.lockedProperty().get()) {
            onGraph.run();
        }
    }

    private void delete() {
        if (scene.getFocusOwner() instanceof TextInputControl t) {
            t.deleteNextChar();
        } else if (!model.lockedProperty().get()) {
            model.deleteSelection();
        }
    }

    private MenuBar menuBar() {
        createActions();
        Menu file = menu("menu.file", newAction.menuItem(), open.menuItem(), files.examplesMenu(),
                files.recentMenu(), new SeparatorMenuItem(), save.menuItem(), saveAs.menuItem(),
                export.menuItem(), new SeparatorMenuItem(), quit.menuItem());
        MenuItem undoItem = undo.menuItem();
        undoItem.textProperty().unbind();
        undoItem.textProperty().bind(Bindings.createStringBinding(() -> model.commands().canUndoProperty().get()
                        ? I18n.text("menu.edit.undoWhat", model.commands().undoDescriptionProperty().get())
                        : I18n.text("menu.edit.undo"), model.commands().undoDescriptionProperty(),
                model.commands().canUndoProperty(), I18n.localeProperty()));
        MenuItem redoItem = redo.menuItem();
        redoItem.textProperty().unbind();
        redoItem.textProperty().bind(Bindings.createStringBinding(() -> model.commands().canRedoProperty().get()
                        ? I18n.text("menu.edit.redoWhat", model.commands().redoDescriptionProperty().get())
                        : I18n.text("menu.edit.redo"), model.commands().redoDescriptionProperty(),
                model.commands().canRedoProperty(), I18n.localeProperty()));
        Menu edit = menu("menu.edit", undoItem, redoItem, new SeparatorMenuItem(), cut.menuItem(), copy.menuItem(),
                paste.menuItem(), duplicate.menuItem(), delete.menuItem(), new SeparatorMenuItem(),
                selectAll.menuItem(), quickAdd.menuItem());
        CheckMenuItem minimapItem = new CheckMenuItem();
        minimapItem.setId("menu-minimap");
        minimapItem.textProperty().bind(I18n.bind("menu.view.minimap"));
        minimapItem.setSelected(Boolean.parseBoolean(settings.get("minimap", "true")));
        minimap.visibleProperty().bind(minimapItem.selectedProperty());
        minimapItem.selectedProperty().addListener((o, a, b) -> settings.put("minimap", b.toString()));
        Menu view = menu("menu.view", zoomIn.menuItem(), zoomOut.menuItem(), fit.menuItem(), actualSize.menuItem(),
                new SeparatorMenuItem(), autoLayout.menuItem(), minimapItem, trainingPanelsItem(),
                new SeparatorMenuItem(), languageMenu());
        Menu run = menu("menu.run", train.menuItem(), pause.menuItem(), resume.menuItem(), stop.menuItem());
        MenuItem about = new MenuItem();
        about.textProperty().bind(I18n.bind("menu.help.about"));
        about.setOnAction(e -> Dialogs.about(stage));
        MenuItem shortcuts = new MenuItem();
        shortcuts.setId("menu-shortcuts");
        shortcuts.textProperty().bind(I18n.bind("menu.help.shortcuts"));
        shortcuts.setAccelerator(KeyCombination.keyCombination("F1"));
        Menu help = menu("menu.help", shortcuts, new SeparatorMenuItem(), about);
        MenuBar bar = new MenuBar(file, edit, view, run, help);
        shortcuts.setOnAction(e -> ShortcutsDialog.show(stage, bar));
        bar.setId("menuBar");
        return bar;
    }

    private static Menu menu(String key, MenuItem... items) {
        Menu m = new Menu();
        m.setId(key.replace('.', '-'));
        m.textProperty().bind(I18n.bind(key));
        m.getItems().addAll(items);
        return m;
    }

    private Menu languageMenu() {
        Menu m = menu("menu.view.language");
        ToggleGroup group = new ToggleGroup();
        for (Locale l : I18n.LANGUAGES) {
            RadioMenuItem item = new RadioMenuItem(I18n.nativeName(l));
            item.setId("language-" + l.toLanguageTag());
            item.setToggleGroup(group);
            item.setSelected(l.equals(I18n.locale()));
            item.setOnAction(e -> {
                I18n.setLocale(l);
                settings.put("language", l.toLanguageTag());
            });
            m.getItems().add(item);
        }
        I18n.onChange(m, () -> group.getToggles().forEach(t ->
                t.setSelected(((RadioMenuItem) t).getId().equals("language-" + I18n.locale().toLanguageTag()))));
        return m;
    }

    private ToolBar toolBar() {
        Button trainButton = train.button("", "toolbar.train");
        trainButton.setGraphic(ToolIcons.of("train"));
        trainButton.textProperty().bind(I18n.bind("menu.run.train").map(s -> s.replace("_", "")));
        trainButton.getStyleClass().add("train-button");
        Button stopButton = stop.button("", "toolbar.stop");
        stopButton.setGraphic(ToolIcons.of("stop"));
        stopButton.textProperty().bind(I18n.bind("menu.run.stop").map(s -> s.replace("_", "")));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar bar = new ToolBar(icon(newAction, "new", "toolbar.new"), icon(open, "open", "toolbar.open"),
                icon(save, "save", "toolbar.save"), new javafx.scene.control.Separator(),
                icon(undo, "undo", "toolbar.undo"), icon(redo, "redo", "toolbar.redo"),
                new javafx.scene.control.Separator(), icon(zoomOut, "zoomOut", "toolbar.zoomOut"),
                zoomLabel(), icon(zoomIn, "zoomIn", "toolbar.zoomIn"), icon(fit, "fit", "toolbar.fit"),
                icon(autoLayout, "layout", "toolbar.autoLayout"), spacer, trainButton, stopButton);
        bar.setId("toolBar");
        return bar;
    }

    private static Button icon(Action a, String icon, String tip) {
        Button b = a.button("", tip);
        b.setGraphic(ToolIcons.of(icon));
        return b;
    }

    private Label zoomLabel() {
        Label l = new Label();
        l.setId("zoomLabel");
        l.getStyleClass().add("zoom-label");
        l.textProperty().bind(Bindings.createStringBinding(() -> I18n.text("summary.zoom",
                Math.round(canvas.zoomProperty().get() * 100)), canvas.zoomProperty(), I18n.localeProperty()));
        l.setOnMouseClicked(e -> canvas.actualSize());
        return l;
    }

    // ---- panels ---------------------------------------------------------------------------------------------

    private PaletteView palette;

    private SplitPane center() {
        palette = new PaletteView(new PaletteView.DropTarget() {
            @Override
            public void append(String type) {
                if (!model.lockedProperty().get()) {
                    model.append(type);
                }
            }

            @Override
            public void hover(double x, double y) {
                canvas.hoverDrop(x, y);
            }

            @Override
            public boolean drop(String type, double x, double y) {
                if (model.lockedProperty().get() || !canvas.containsScreen(x, y)) {
                    canvas.hoverDrop(-1, -1);
                    return false;
                }
                canvas.dropLayer(type, x, y);
                return true;
            }
        }, ghostLayer);
        StackPane.setAlignment(minimap, Pos.BOTTOM_RIGHT);
        StackPane.setMargin(minimap, new Insets(12));
        Label lockedNote = new Label();
        lockedNote.textProperty().bind(I18n.bind("status.locked"));
        lockedNote.getStyleClass().add("locked-note");
        lockedNote.visibleProperty().bind(model.lockedProperty());
        lockedNote.setMouseTransparent(true);
        StackPane.setAlignment(lockedNote, Pos.TOP_CENTER);
        StackPane.setMargin(lockedNote, new Insets(10));
        StackPane canvasPane = new StackPane(canvas, minimap, lockedNote);
        canvasPane.getStyleClass().add("canvas-pane");
        InspectorView inspector = new InspectorView(model);
        TabPane side = new TabPane(tab("inspector.title", inspector),
                tab("problems.title", new ProblemsView(model)), tab("code.title", new CodeView(model)));
        side.setId("sideTabs");
        // keyboard editing: Enter on a selected node jumps to its first parameter, Escape comes back
        canvas.setOnEditSelection(() -> {
            side.getSelectionModel().select(0);
            inspector.focusFirstParameter();
        });
        inspector.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                canvas.requestFocus();
                e.consume();
            }
        });
        side.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane split = new SplitPane(palette, canvasPane, side);
        split.setDividerPositions(0.13, 0.76);
        SplitPane.setResizableWithParent(palette, false);
        SplitPane.setResizableWithParent(side, false);
        return split;
    }

    private SplitPane workArea() {
        workArea.setOrientation(javafx.geometry.Orientation.VERTICAL);
        workArea.setId("workArea");
        SplitPane editor = center();
        // the inspector's content must not hold the divider down: either side may shrink to a useful minimum
        editor.setMinHeight(220);
        trainingDock.setMinHeight(190);
        trainingDock.setMaxHeight(Double.MAX_VALUE);
        workArea.getItems().add(editor);
        SplitPane.setResizableWithParent(trainingDock, false);
        // hidden until the first run, so the editor has the whole height until there is something to watch
        trainingPanelsItem.selectedProperty().addListener((o, a, show) -> showTrainingPanels(show));
        return workArea;
    }

    /** Where the training panels begin: 55 % down the work area (about 340 px of a 900 px window for them). */
    private static final double DOCK_DIVIDER = 0.55;

    private CheckMenuItem trainingPanelsItem() {
        trainingPanelsItem.setId("menu-trainingPanels");
        trainingPanelsItem.textProperty().bind(I18n.bind("menu.view.trainingPanels"));
        trainingPanelsItem.setAccelerator(KeyCombination.keyCombination("Shortcut+J"));
        return trainingPanelsItem;
    }

    /** Shows or hides the training panels under the editor; the canvas keeps its centre in view. */
    private void showTrainingPanels(boolean show) {
        if (show == workArea.getItems().contains(trainingDock)) {
            return;
        }
        javafx.geometry.Point2D onScreen = canvas.localToScreen(canvas.getWidth() / 2, canvas.getHeight() / 2);
        javafx.geometry.Point2D centre = onScreen == null || canvas.getWidth() <= 0 ? null
                : canvas.screenToWorld(onScreen.getX(), onScreen.getY());
        if (show) {
            workArea.getItems().add(trainingDock);
            workArea.setDividerPositions(DOCK_DIVIDER);
        } else {
            workArea.getItems().remove(trainingDock);
        }
        trainingPanelsItem.setSelected(show);
        // after the split has laid the new item out (it places a new divider by the min sizes first)
        javafx.application.Platform.runLater(() -> {
            if (show) {
                workArea.setDividerPositions(DOCK_DIVIDER);
            }
            workArea.layout();
            if (centre != null) {
                canvas.centerOn(centre.getX(), centre.getY());
            }
            // the centre kept may leave an edge of the network out of the shorter canvas
            canvas.keepContentInView();
        });
    }

    private static Tab tab(String key, javafx.scene.Node content) {
        Tab t = new Tab();
        t.setId("tab-" + key.substring(0, key.indexOf('.')));
        t.textProperty().bind(I18n.bind(key));
        t.setContent(content);
        return t;
    }

    private HBox statusBar() {
        status.setId("status");
        status.getStyleClass().add("status-text");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(16, status, spacer, new SummaryBar(model));
        bar.setId("statusBar");
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    // ---- edit helpers ---------------------------------------------------------------------------------------

    private void copyToClipboard() {
        String text = model.copySelection();
        if (text != null) {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
            pasteCount = 0;
        }
    }

    private void pasteFromClipboard() {
        String text = Clipboard.getSystemClipboard().getString();
        pasteCount++;
        model.paste(text, 40 * pasteCount, 40 * pasteCount);
    }

    private void train() {
        String why = training.train(model.toProject());
        if (why != null) {
            setStatus(why);
        } else {
            showTrainingPanels(true);
        }
    }

    /** Dropping a project file on the window opens it (after asking about unsaved changes). */
    private void acceptProjectDrops() {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().stream()
                    .anyMatch(f -> f.getName().endsWith(".json"))) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            var f = e.getDragboard().getFiles().stream().filter(x -> x.getName().endsWith(".json")).findFirst();
            f.ifPresent(file -> files.openFile(file.toPath()));
            e.setDropCompleted(f.isPresent());
            e.consume();
        });
    }

    /** Quit asks about unsaved changes, stops a run, then closes. */
    public void quit() {
        files.confirmDiscard(() -> {
            training.stop();
            files.shutdown();
            stage.close();
            javafx.application.Platform.exit();
        });
    }
}
