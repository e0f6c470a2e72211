package io.deepcanvas.app.editor;

import atlantafx.base.theme.PrimerLight;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import java.util.Locale;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * A panel of this package alone in a window, headless under Monocle, over LeNet-5 in English: for the smoke tests
 * of the inspector, problems, code and summary views (the window's own tests drive them together).
 */
abstract class InspectorPanelFxTest extends FxRobot {
    protected EditorModel model;
    protected Stage stage;

    /** The view under test, built over {@link #model}. */
    protected abstract Parent view();

    @BeforeEach
    void openWindow() throws Exception {
        // TestFX's ApplicationExtension finds @Start only on the concrete class, not on this base
        Stage primary = FxToolkit.registerPrimaryStage();
        interact(() -> start(primary));
    }

    @AfterEach
    void english() {
        interact(() -> I18n.setLocale(Locale.ENGLISH));
    }

    private void start(Stage stage) {
        this.stage = stage;
        I18n.setLocale(Locale.ENGLISH);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = InspectorFixtures.open("lenet5");
        Scene scene = new Scene(view(), 420, 720);
        scene.getStylesheets().add(Objects.requireNonNull(
                InspectorPanelFxTest.class.getResource("/io/deepcanvas/app/app.css")).toExternalForm());
        stage.setScene(scene);
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    protected TextField field(String id) {
        return lookup("#" + id).queryAs(TextField.class);
    }

    /** Clicks into text field {@code id}, selects its text and types {@code text} over it (no Enter). */
    protected void typeInto(String id, String text) {
        clickOn("#" + id);
        interact(() -> field(id).selectAll());
        if (text.isEmpty()) {
            type(KeyCode.BACK_SPACE);
        } else {
            write(text);
        }
    }
}
