package io.deepcanvas.app.ui;

import atlantafx.base.theme.PrimerLight;
import io.deepcanvas.app.MainWindow;
import io.deepcanvas.app.editor.CanvasView;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.AppSettings;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Application;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testfx.api.FxToolkit;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The editor window as a user meets it, headless under Monocle: a fresh {@link MainWindow} per test over a
 * temporary DeepCanvas home, in English. Helpers act through the mouse and keyboard (the robot), never by calling
 * the model, except to set up a starting project or read back what happened.
 */
abstract class EditorFxTest extends FxRobot {
    protected Stage stage;
    protected MainWindow window;
    protected EditorModel model;
    protected CanvasView canvas;
    protected Path home;

    @BeforeEach
    void openWindow() throws Exception {
        Stage primary = FxToolkit.registerPrimaryStage();
        home = Files.createTempDirectory("deepcanvas-home");
        interact(() -> start(primary));
    }

    private void start(Stage stage) {
        this.stage = stage;
        I18n.setLocale(Locale.ENGLISH);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = new EditorModel();
        window = new MainWindow(stage, model, new AppSettings(home));
        canvas = window.canvas();
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @AfterEach
    void closeWindow() {
        interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            window.training().stop();
            window.files().shutdown();
            // dialogs a test left open must not reach the next one
            new java.util.ArrayList<>(javafx.stage.Window.getWindows()).stream()
                    .filter(w -> w != stage && w instanceof Stage).forEach(w -> ((Stage) w).close());
        });
    }

    /** Opens {@code layouts/NAME.json} as an example (not tied to the file) and fits it in the window. */
    protected void openLayout(String name) throws IOException {
        Project p = ProjectFile.withLayerRegistry().load(layout(name));
        interact(() -> {
            model.load(p, null);
            canvas.actualSize();
            canvas.fit();
        });
    }

    protected static Path layout(String name) {
        return Path.of(System.getProperty("deepcanvas.layouts", "../layouts")).resolve(name + ".json");
    }

    protected void emptyProject() {
        interact(() -> {
            model.newProject();
            canvas.actualSize();
            canvas.centerOn(500, 250);
        });
    }

    /** Drags layer {@code type} from the palette and drops it with its centre at canvas point (x, y). */
    protected String dragFromPalette(String type, double x, double y) {
        int before = model.graph().nodes().size();
        Point2D target = canvas.worldToScreen(x, y);
        if (!lookup("#palette-" + type).query().isVisible() || !onScreen("#palette-" + type)) {
            clickOn("#paletteSearch").write(type); // as a user finds a layer below the fold
        }
        drag("#palette-" + type, MouseButton.PRIMARY).moveBy(10, 0).moveTo(target).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        if (!lookup("#paletteSearch").queryAs(javafx.scene.control.TextField.class).getText().isEmpty()) {
            interact(() -> lookup("#paletteSearch").queryAs(javafx.scene.control.TextField.class).clear());
        }
        if (model.graph().nodes().size() != before + 1) {
            throw new AssertionError("dropping " + type + " added no node");
        }
        return model.selection().iterator().next();
    }

    /** Whether the node lies within its scroll pane's visible area (the palette scrolls). */
    private boolean onScreen(String query) {
        javafx.scene.Node n = lookup(query).query();
        javafx.geometry.Bounds b = n.localToScreen(n.getBoundsInLocal());
        javafx.scene.Node scroll = lookup(".palette-scroll").query();
        return scroll.localToScreen(scroll.getBoundsInLocal()).contains(b);
    }

    /** Drags from the output port of {@code from} to input {@code port} of {@code to}. */
    protected void connect(String from, String to, int port) {
        Point2D a = canvas.outputPortOnScreen(from);
        Point2D b = canvas.inputPortOnScreen(to, port);
        moveTo(a);
        press(MouseButton.PRIMARY);
        moveBy(20, 5);
        moveTo(b);
        release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    protected void connect(String from, String to) {
        connect(from, to, 0);
    }

    /** The text of a node's output-shape label on the canvas ({@code → 16×5×5}). */
    protected String shapeOnNode(String id) {
        return lookup("#shape-" + id).queryAs(Label.class).getText();
    }

    protected void clickNode(String id) {
        clickOn("#node-" + id);
    }

    /** Chooses the menu item with {@code id} as a click would (menus are popups TestFX cannot look into by id). */
    protected void chooseMenuItem(String id) {
        javafx.scene.control.MenuBar bar = lookup("#menuBar").queryAs(javafx.scene.control.MenuBar.class);
        javafx.scene.control.MenuItem item = find(bar.getMenus(), id);
        if (item == null) {
            throw new AssertionError("no menu item #" + id);
        }
        if (item.isDisable()) {
            throw new AssertionError("menu item #" + id + " is disabled");
        }
        interact(() -> {
            // a click on a check or radio item toggles it before its action, fire() alone does not
            if (item instanceof javafx.scene.control.CheckMenuItem c) {
                c.setSelected(!c.isSelected());
            } else if (item instanceof javafx.scene.control.RadioMenuItem r) {
                r.setSelected(true);
            }
            item.fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static javafx.scene.control.MenuItem find(java.util.List<? extends javafx.scene.control.MenuItem> items,
                                                      String id) {
        for (javafx.scene.control.MenuItem i : items) {
            if (id.equals(i.getId())) {
                return i;
            }
            if (i instanceof javafx.scene.control.Menu m) {
                javafx.scene.control.MenuItem found = find(m.getItems(), id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The visible text of the menu with {@code id} (mnemonic underscores removed). */
    protected String menuText(String id) {
        javafx.scene.control.MenuBar bar = lookup("#menuBar").queryAs(javafx.scene.control.MenuBar.class);
        return find(bar.getMenus(), id).getText().replace("_", "");
    }

    /** Presses {@code keys} with Ctrl held: a keyboard shortcut. */
    protected void shortcut(javafx.scene.input.KeyCode... keys) {
        press(javafx.scene.input.KeyCode.CONTROL);
        for (javafx.scene.input.KeyCode k : keys) {
            press(k);
        }
        for (int i = keys.length - 1; i >= 0; i--) {
            release(keys[i]);
        }
        release(javafx.scene.input.KeyCode.CONTROL);
    }

    /** As {@link #waitUntil}, for what takes longer (a training run); {@code what} names it when it fails. */
    protected static void waitLong(BooleanSupplier condition, int seconds, String what) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " within " + seconds + " s", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    protected static void waitUntil(BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("condition not met within 10 s", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}
