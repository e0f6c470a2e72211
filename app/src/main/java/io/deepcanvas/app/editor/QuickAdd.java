package io.deepcanvas.app.editor;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.LayerType;
import java.util.function.Consumer;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The search box that typing on the canvas opens at the pointer: {@code conv} ↵ adds Conv2d after the selection.
 * It lives inside the canvas rather than in a popup window, so it takes focus the same way on every platform.
 */
final class QuickAdd extends VBox {
    private final TextField field = new TextField();
    private final ListView<LayerType> list = new ListView<>();
    private final Consumer<String> onChoose;

    QuickAdd(Consumer<String> onChoose) {
        this.onChoose = onChoose;
        setId("quickAdd");
        getStyleClass().add("quick-add");
        field.setId("quickAddField");
        field.promptTextProperty().bind(I18n.bind("canvas.quickAdd.prompt"));
        list.setId("quickAddList");
        list.setPrefSize(260, 240);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LayerType t, boolean empty) {
                super.updateItem(t, empty);
                if (empty || t == null) {
                    setGraphic(null);
                    setText(null);
                } else {
                    Label name = new Label(t.displayName());
                    name.getStyleClass().add("quick-add-name");
                    Label cat = new Label(I18n.text("category." + t.category().name()));
                    cat.getStyleClass().add("quick-add-category");
                    HBox row = new HBox(8, Icons.view(t.icon(), 20), name, cat);
                    setGraphic(row);
                    setText(null);
                }
            }
        });
        field.textProperty().addListener((o, a, b) -> filter(b));
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                choose();
            }
        });
        list.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        field.focusedProperty().addListener((o, a, b) -> {
            if (!b && !list.isFocused()) {
                close();
            }
        });
        getChildren().addAll(field, list);
        setVisible(false);
        setManaged(false);
    }

    void open(double x, double y, String text) {
        relocate(x, y);
        setVisible(true);
        toFront();
        field.setText(text);
        filter(text);
        field.requestFocus();
        field.end();
    }

    void close() {
        if (isVisible()) {
            setVisible(false);
            if (getParent() != null && getParent().getParent() != null) {
                getParent().getParent().requestFocus();
            }
        }
    }

    private void filter(String q) {
        list.getItems().setAll(LayerSearch.find(q));
        list.getSelectionModel().selectFirst();
        list.setPlaceholder(new Label(I18n.text("canvas.quickAdd.none", q)));
    }

    private void key(KeyEvent e) {
        switch (e.getCode()) {
            case ENTER -> choose();
            case ESCAPE -> close();
            case DOWN -> list.getSelectionModel().selectNext();
            case UP -> list.getSelectionModel().selectPrevious();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void choose() {
        LayerType t = list.getSelectionModel().getSelectedItem();
        if (t == null) {
            return;
        }
        close();
        onChoose.accept(t.name());
    }

}
