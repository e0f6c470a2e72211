package io.deepcanvas.app.editor;

import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.Node;
import javafx.geometry.Bounds;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;

/**
 * A small overview of the whole network with the visible part outlined; click or drag in it to look elsewhere.
 * Drawn on a canvas (a rectangle per node), so it costs the same at 300 nodes as at 10.
 */
public final class MinimapView extends StackPane {
    static final double W = 200;
    static final double H = 130;
    private final Canvas canvas = new Canvas(W, H);
    private final EditorModel model;
    private final CanvasView view;
    private double scale = 1;
    private double originX;
    private double originY;
    private boolean pending;

    public MinimapView(EditorModel model, CanvasView view) {
        this.model = model;
        this.view = view;
        setId("minimap");
        getStyleClass().add("minimap");
        setMaxSize(W, H);
        setPrefSize(W, H);
        getChildren().add(canvas);
        view.addViewListener(this::redrawSoon);
        canvas.setOnMousePressed(this::look);
        canvas.setOnMouseDragged(this::look);
        visibleProperty().addListener((o, a, b) -> redrawSoon());
        redrawSoon();
    }

    /** Many view changes in one pulse (a drag, a zoom) draw once. */
    private void redrawSoon() {
        if (!pending && isVisible()) {
            pending = true;
            javafx.application.Platform.runLater(() -> {
                pending = false;
                redraw();
            });
        }
    }

    private void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        // cleared first: the background is translucent, so painting over the last drawing left the network of the
        // project before a New or an Open faintly in the overview of an empty canvas
        g.clearRect(0, 0, W, H);
        g.setFill(Color.web("#f8fafc", 0.92));
        g.fillRect(0, 0, W, H);
        Bounds content = view.contentBounds();
        Bounds port = view.viewport();
        if (content == null) {
            return;
        }
        double minX = Math.min(content.getMinX(), port.getMinX());
        double minY = Math.min(content.getMinY(), port.getMinY());
        double maxX = Math.max(content.getMaxX(), port.getMaxX());
        double maxY = Math.max(content.getMaxY(), port.getMaxY());
        scale = Math.min((W - 8) / (maxX - minX), (H - 8) / (maxY - minY));
        originX = minX - (W / scale - (maxX - minX)) / 2;
        originY = minY - (H / scale - (maxY - minY)) / 2;
        g.setStroke(Color.web("#94a3b8"));
        g.setLineWidth(1);
        for (Edge e : model.graph().edges()) {
            Node a = model.graph().node(e.from());
            Node b = model.graph().node(e.to());
            g.strokeLine(x(a.x() + NodeView.WIDTH), y(a.y() + NodeView.HEIGHT / 2), x(b.x()),
                    y(b.y() + NodeView.HEIGHT / 2));
        }
        for (Node n : model.graph().nodes()) {
            boolean bad = !model.report().problemsAt(n.id()).isEmpty();
            g.setFill(model.selection().contains(n.id()) ? Color.web("#2563eb") : bad ? Color.web("#dc2626")
                    : Color.web("#64748b"));
            g.fillRect(x(n.x()), y(n.y()), Math.max(2, NodeView.WIDTH * scale), Math.max(2, NodeView.HEIGHT * scale));
        }
        g.setStroke(Color.web("#2563eb"));
        g.setLineWidth(1.5);
        g.strokeRect(x(port.getMinX()), y(port.getMinY()), port.getWidth() * scale, port.getHeight() * scale);
    }

    private double x(double worldX) {
        return (worldX - originX) * scale;
    }

    private double y(double worldY) {
        return (worldY - originY) * scale;
    }

    private void look(MouseEvent e) {
        view.centerOn(e.getX() / scale + originX, e.getY() / scale + originY);
        e.consume();
    }
}
