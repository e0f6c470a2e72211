package io.deepcanvas.app.editor;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerType;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;

/**
 * Every layer type by category, each with its icon, and a search field. Drag a layer onto the canvas, or
 * double-click it to add it after the selected node, wired. The drag is made of the scene's own mouse events with
 * a ghost on the window's overlay, not the platform's drag and drop: it behaves the same on every platform and in
 * headless tests.
 */
public final class PaletteView extends VBox {
    /** What the palette needs of the window: where a layer was dropped, and where the ghost may float. */
    public interface DropTarget {
        /** A double-click: add the layer after the selection. */
        void append(String type);

        /** The ghost moved to a screen point (to highlight an edge the drop would insert into). */
        void hover(double screenX, double screenY);

        /** The layer was released at a screen point; false when that point is not on the canvas. */
        boolean drop(String type, double screenX, double screenY);
    }

    private final TextField search = new TextField();
    private final VBox groups = new VBox();
    private final DropTarget target;
    private final Pane ghostLayer;
    private HBox ghost;

    /** @param ghostLayer a mouse-transparent pane over the whole window, for the dragged ghost */
    public PaletteView(DropTarget target, Pane ghostLayer) {
        this.target = target;
        this.ghostLayer = ghostLayer;
        setId("palette");
        getStyleClass().add("palette");
        Label title = new Label();
        title.textProperty().bind(I18n.bind("palette.title"));
        title.getStyleClass().add("panel-title");
        search.setId("paletteSearch");
        // reached by a click (or Ctrl+K), never by default: the keyboard's home is the canvas, where Ctrl+Z
        // and Delete mean the network, not this field's text
        search.setFocusTraversable(false);
        search.promptTextProperty().bind(I18n.bind("palette.search"));
        search.textProperty().addListener((o, a, b) -> rebuild());
        ScrollPane scroll = new ScrollPane(groups);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("palette-scroll");
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        Label hint = new Label();
        hint.textProperty().bind(I18n.bind("palette.hint"));
        hint.setWrapText(true);
        hint.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        hint.getStyleClass().add("palette-hint");
        getChildren().addAll(title, search, scroll, hint);
        I18n.onChange(this, () -> rebuild());
        rebuild();
    }

    private void rebuild() {
        groups.getChildren().clear();
        List<LayerType> found = LayerSearch.find(search.getText());
        for (Category c : Category.values()) {
            List<LayerType> in = found.stream().filter(t -> t.category() == c).toList();
            if (in.isEmpty()) {
                continue;
            }
            Label heading = new Label(I18n.text("category." + c.name()));
            heading.getStyleClass().add("palette-category");
            groups.getChildren().add(heading);
            in.forEach(t -> groups.getChildren().add(item(t)));
        }
    }

    private HBox item(LayerType t) {
        Label name = new Label(t.displayName());
        HBox row = new HBox(8, Icons.view(t.icon(), 24), name);
        row.setId("palette-" + t.name());
        row.getStyleClass().add("palette-item");
        Tooltip tip = new Tooltip(I18n.text("layer." + t.name()));
        tip.setShowDelay(javafx.util.Duration.millis(400));
        Tooltip.install(row, tip);
        row.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                target.append(t.name());
            }
        });
        row.setOnMousePressed(e -> e.consume());
        row.setOnMouseDragged(e -> dragGhost(t, e));
        row.setOnMouseReleased(e -> {
            if (ghost != null) {
                ghostLayer.getChildren().remove(ghost);
                ghost = null;
                target.drop(t.name(), e.getScreenX(), e.getScreenY());
            }
        });
        return row;
    }

    private void dragGhost(LayerType t, MouseEvent e) {
        if (ghost == null) {
            ghost = new HBox(8, Icons.view(t.icon(), 24), new Label(t.displayName()));
            ghost.getStyleClass().add("palette-ghost");
            ghost.setMouseTransparent(true);
            ghostLayer.getChildren().add(ghost);
        }
        Point2D p = ghostLayer.screenToLocal(e.getScreenX(), e.getScreenY());
        if (p != null) {
            ghost.relocate(p.getX() + 8, p.getY() + 8);
        }
        target.hover(e.getScreenX(), e.getScreenY());
    }

    public TextField searchField() {
        return search;
    }
}
