package io.deepcanvas.app;

import atlantafx.base.theme.PrimerLight;
import io.deepcanvas.app.editor.Icons;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.AppSettings;
import io.deepcanvas.engine.io.Project;
import java.nio.file.Path;
import java.util.Locale;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The desktop program: one editor window over one project. Started by {@link Main}, which has already checked the
 * display and read the project named on the command line, so nothing here can fail with a stack trace at a user.
 */
public final class DeepCanvasApp extends Application {
    /** Set by {@link Main} before launch: the project named on the command line, read and checked, or null. */
    static volatile Project initialProject;
    static volatile Path initialFile;
    /** Read by {@link Main} before launch, so the FX thread never reads the settings file. */
    static volatile AppSettings settings;

    private MainWindow window;

    @Override
    public void start(Stage stage) {
        AppSettings settings = DeepCanvasApp.settings != null ? DeepCanvasApp.settings
                : new AppSettings(AppSettings.defaultHome());
        String language = settings.get("language", null);
        if (language != null) {
            I18n.setLocale(Locale.forLanguageTag(language));
        }
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        EditorModel model = new EditorModel();
        window = new MainWindow(stage, model, settings);
        for (int size : new int[]{16, 32, 48, 64, 128, 256}) {
            stage.getIcons().add(Icons.get("deepcanvas-" + size));
        }
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.show();
        // after the window is up: a recovery question or a file read never delays the first frame
        Platform.runLater(() -> window.files().start(initialProject, initialFile));
    }

    MainWindow window() {
        return window;
    }
}
