package io.deepcanvas.app;

import io.deepcanvas.app.i18n.I18n;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.stage.Modality;
import javafx.stage.Stage;

/**
 * Help ▸ Keyboard Shortcuts: every menu command that has a shortcut, read from the menu bar itself (so the list
 * cannot fall behind a changed accelerator), then the canvas's keys and gestures, which no menu shows. Not modal:
 * it can stay open beside the editor while one learns the keys; asking for it again brings that one forward.
 */
final class ShortcutsDialog {
    /** The canvas's keys and gestures: bundle keys {@code shortcuts.canvas.N.keys} and {@code .what}. */
    static final int CANVAS_ROWS = 9;

    /** One line of the list: what the command does and its keys. */
    record Row(String what, String keys) {
    }

    /** One titled group of lines. */
    record Group(String title, List<Row> rows) {
    }

    private ShortcutsDialog() {
    }

    /** The groups as the dialog lists them: each menu's commands with shortcuts, then the canvas's keys. */
    static List<Group> groups(MenuBar bar) {
        List<Group> groups = new ArrayList<>();
        for (Menu menu : bar.getMenus()) {
            List<Row> rows = new ArrayList<>();
            collect(menu, rows);
            if (!rows.isEmpty()) {
                groups.add(new Group(plain(menu.getText()), rows));
            }
        }
        List<Row> canvas = new ArrayList<>();
        for (int i = 1; i <= CANVAS_ROWS; i++) {
            canvas.add(new Row(I18n.text("shortcuts.canvas." + i + ".what"), I18n.text("shortcuts.canvas." + i
                    + ".keys")));
        }
        groups.add(new Group(I18n.text("shortcuts.canvas"), canvas));
        return groups;
    }

    private static void collect(Menu menu, List<Row> rows) {
        for (MenuItem item : menu.getItems()) {
            if (item instanceof Menu sub) {
                collect(sub, rows);
            } else if (item.getAccelerator() != null && item.getText() != null) {
                // Undo and Redo name what they would undo ("Undo Add Linear"): the list names the command
                String text = "menu-undo".equals(item.getId()) ? I18n.text("menu.edit.undo")
                        : "menu-redo".equals(item.getId()) ? I18n.text("menu.edit.redo") : item.getText();
                rows.add(new Row(plain(text), item.getAccelerator().getDisplayText()));
            }
        }
    }

    /** A menu text without its mnemonic mark. */
    static String plain(String text) {
        return text.replace("_", "");
    }

    /** The owner's property that holds its open list, so a second F1 brings it forward instead of a copy. */
    private static final String OPEN = "deepcanvas.shortcutsDialog";

    static void show(Stage owner, MenuBar bar) {
        if (owner.getProperties().get(OPEN) instanceof Alert open && open.isShowing()) {
            Stage window = (Stage) open.getDialogPane().getScene().getWindow();
            window.toFront();
            window.requestFocus();
            return;
        }
        GridPane grid = new GridPane();
        grid.setId("shortcutsList");
        grid.setHgap(24);
        grid.setVgap(4);
        grid.setPadding(new Insets(4, 12, 4, 4));
        int row = 0;
        for (Group g : groups(bar)) {
            Label title = new Label(g.title());
            title.getStyleClass().add("shortcuts-group");
            GridPane.setMargin(title, new Insets(row == 0 ? 0 : 10, 0, 2, 0));
            grid.add(title, 0, row++, 2, 1);
            for (Row r : g.rows()) {
                Label what = new Label(r.what());
                Label keys = new Label(r.keys());
                keys.getStyleClass().add("shortcuts-keys");
                // whole texts: the grid's columns would otherwise cut "Fit to Window" to "Fit to Wi…"
                what.setMinWidth(Region.USE_PREF_SIZE);
                // a gesture's description wraps instead ("Arrow keys (Shift: further), drag empty space, …")
                keys.setWrapText(true);
                keys.setMaxWidth(300);
                keys.setMinHeight(Region.USE_PREF_SIZE);
                grid.add(what, 0, row);
                grid.add(keys, 1, row++);
            }
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(520);
        scroll.setPrefViewportWidth(600);
        Alert a = new Alert(Alert.AlertType.NONE, "", ButtonType.CLOSE);
        a.initOwner(owner);
        a.initModality(Modality.NONE);
        a.setTitle(I18n.text("shortcuts.title"));
        a.setHeaderText(null);
        a.getDialogPane().setId("shortcutsDialog");
        a.getDialogPane().setContent(scroll);
        a.setResizable(true);
        owner.getProperties().put(OPEN, a);
        a.setOnHidden(e -> owner.getProperties().remove(OPEN, a));
        a.show();
    }
}
