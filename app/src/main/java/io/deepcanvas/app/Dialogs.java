package io.deepcanvas.app;

import io.deepcanvas.app.i18n.I18n;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

/** The app's few dialogs, all texts from the bundle. */
final class Dialogs {
    enum Choice { SAVE, DISCARD, CANCEL }

    private Dialogs() {
    }

    static Choice unsavedChanges(Stage owner, String projectName) {
        ButtonType save = new ButtonType(I18n.text("dialog.unsaved.save"), ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType(I18n.text("dialog.unsaved.discard"), ButtonBar.ButtonData.NO);
        ButtonType cancel = new ButtonType(I18n.text("dialog.unsaved.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, I18n.text("dialog.unsaved.content"), save, discard, cancel);
        a.initOwner(owner);
        a.setTitle(I18n.text("dialog.unsaved.title"));
        a.setHeaderText(I18n.text("dialog.unsaved.header", projectName));
        a.getDialogPane().setId("unsavedDialog");
        Optional<ButtonType> r = a.showAndWait();
        return r.isEmpty() || r.get() == cancel ? Choice.CANCEL : r.get() == save ? Choice.SAVE : Choice.DISCARD;
    }

    static void error(Stage owner, String title, String header, String content) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(header);
        a.setContentText(content);
        a.getDialogPane().setId("errorDialog");
        a.getDialogPane().setMinWidth(560);
        a.show(); // not showAndWait: nothing waits on the user having read it
    }

    static boolean restore(Stage owner, String projectName, String when) {
        ButtonType restore = new ButtonType(I18n.text("dialog.recovery.restore"), ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType(I18n.text("dialog.recovery.discard"), ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, I18n.text("dialog.recovery.content", projectName, when),
                restore, discard);
        a.initOwner(owner);
        a.setTitle(I18n.text("dialog.recovery.title"));
        a.setHeaderText(I18n.text("dialog.recovery.header", projectName));
        a.getDialogPane().setId("recoveryDialog");
        return a.showAndWait().orElse(discard) == restore;
    }

    static void about(Stage owner) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(I18n.text("dialog.about.title"));
        a.setHeaderText(I18n.text("app.name"));
        String version = Main.class.getPackage().getImplementationVersion();
        a.setContentText(I18n.text("dialog.about.content", version == null ? "0.1.0" : version,
                System.getProperty("java.version"), System.getProperty("javafx.runtime.version", "21")));
        a.show();
    }
}
