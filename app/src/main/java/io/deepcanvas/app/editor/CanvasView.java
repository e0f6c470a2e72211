package io.deepcanvas.app.editor;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.ViewState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.input.ZoomEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

/**
 * The canvas: a grid, the network's edges and nodes in "world" coordinates under one pan-and-zoom transform, and the
 * gestures — drag nodes (several at once, snapped to the grid on release), drag from an output port to an input
 * port to connect, click an edge to select it, drag on empty space (or with the middle button) to pan, Shift+drag to
 * select with a rubber band, wheel or pinch to zoom around the pointer, arrow keys to pan, typing or Space to open
 * quick add. Views are kept in step with the model by {@link #refresh()}, which reuses the view of every node and
 * edge that still exists, so a 300-node graph repaints in a fraction of a frame.
 */
public final class CanvasView extends Region {
    public static final double GRID = 20;
    static final double MIN_ZOOM = 0.2;
    static final double MAX_ZOOM = 3;

    private final EditorModel model;
    private final Canvas grid = new Canvas();
    private final Group world = new Group();
    private final Group edgeLayer = new Group();
    private final Group nodeLayer = new Group();
    private final Pane overlay = new Pane();
    private final Translate pan = new Translate();
    private final Scale zoomScale = new Scale(1, 1, 0, 0);
    private final DoubleProperty zoom = new SimpleDoubleProperty(this, "zoom", 1);
    private final BooleanProperty snap = new SimpleBooleanProperty(this, "snap", true);
    private final Map<String, NodeView> nodes = new LinkedHashMap<>();
    /** Nodes whose views the last refreshes created, until {@link #revealCreated} looks at them. */
    private final Set<String> created = new HashSet<>();
    private boolean revealPending;
    private final Map<Edge, EdgeView> edges = new HashMap<>();
    private final Label emptyHint = new Label();
    private final QuickAdd quickAdd;
    private Consumer<String> status = s -> { };
    private Runnable editSelection = () -> { };

    // gesture state
    private Point2D pointer;
    private Point2D pressScreen;
    private Point2D lastWorld;
    private Point2D panStart;
    private boolean moved;
    private String linkFrom;
    private EdgeView linkPreview;
    private final Label linkReason = new Label();
    private Rectangle rubber;
    private Set<String> rubberBase = Set.of();
    private EdgeView dropTarget;

    public CanvasView(EditorModel model) {
        this.model = model;
        setId("canvas");
        getStyleClass().add("canvas-view");
        setFocusTraversable(true);
        world.getTransforms().addAll(pan, zoomScale);
        world.getChildren().addAll(edgeLayer, nodeLayer);
        overlay.setPickOnBounds(false);
        linkReason.getStyleClass().add("link-reason");
        linkReason.setVisible(false);
        linkReason.setMouseTransparent(true);
        emptyHint.getStyleClass().add("canvas-hint");
        emptyHint.textProperty().bind(I18n.bind("canvas.empty"));
        emptyHint.setMouseTransparent(true);
        quickAdd = new QuickAdd(this::quickAdded);
        overlay.getChildren().addAll(linkReason, quickAdd);
        getChildren().addAll(grid, world, emptyHint, overlay);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);

        zoom.addListener((o, a, b) -> {
            zoomScale.setX(b.doubleValue());
            zoomScale.setY(b.doubleValue());
            zooming();
            viewChanged();
        });
        pan.xProperty().addListener((o, a, b) -> viewChanged());
        pan.yProperty().addListener((o, a, b) -> viewChanged());
        widthProperty().addListener((o, a, b) -> drawGrid());
        heightProperty().addListener((o, a, b) -> drawGrid());
        model.revisionProperty().addListener((o, a, b) -> refresh());
        model.selection().addListener((javafx.collections.SetChangeListener<String>) c -> refreshSelection());
        model.selectedEdgeProperty().addListener((o, a, b) -> refreshSelection());

        addEventHandler(MouseEvent.MOUSE_MOVED, e -> pointer = new Point2D(e.getX(), e.getY()));
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getClickCount() == 2 && e.getButton() == MouseButton.PRIMARY && hitNode(e) == null
                    && hitEdge(e) == null && !quickAdd.isVisible()) {
                openQuickAdd(e.getX(), e.getY(), "");
            }
        });
        addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        addEventHandler(ZoomEvent.ZOOM, e -> {
            zoomAround(zoom.get() * e.getZoomFactor(), e.getX(), e.getY());
            e.consume();
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        addEventHandler(KeyEvent.KEY_TYPED, this::keyTyped);
        refresh();
    }

    // ---- public API for the window --------------------------------------------------------------------------

    /** Where the window reports one-line messages (a refused link, a pasted project). */
    public void setStatusSink(Consumer<String> sink) {
        this.status = sink;
    }

    /** What Enter on the canvas does with a selected node: the window moves the focus to its parameters. */
    public void setOnEditSelection(Runnable action) {
        this.editSelection = action;
    }

    public DoubleProperty zoomProperty() {
        return zoom;
    }

    public BooleanProperty snapProperty() {
        return snap;
    }

    public void zoomIn() {
        zoomAround(zoom.get() * 1.25, getWidth() / 2, getHeight() / 2);
    }

    public void zoomOut() {
        zoomAround(zoom.get() / 1.25, getWidth() / 2, getHeight() / 2);
    }

    public void actualSize() {
        zoomAround(1, getWidth() / 2, getHeight() / 2);
    }

    /** Zooms and pans so the whole network fits, with a margin; never beyond 100%. */
    public void fit() {
        Bounds b = contentBounds();
        if (b == null || getWidth() <= 0 || getHeight() <= 0) {
            return;
        }
        double margin = 40;
        double z = Math.min((getWidth() - 2 * margin) / b.getWidth(), (getHeight() - 2 * margin) / b.getHeight());
        z = clampZoom(Math.min(1, z));
        zoom.set(z);
        pan.setX((getWidth() - b.getWidth() * z) / 2 - b.getMinX() * z);
        pan.setY((getHeight() - b.getHeight() * z) / 2 - b.getMinY() * z);
    }

    /** The bounds of all nodes in world coordinates, or null for an empty graph. */
    public Bounds contentBounds() {
        return boundsOf(model.graph().nodes());
    }

    /** The visible part of the world, for the minimap. */
    public Bounds viewport() {
        double z = zoom.get();
        return new BoundingBox(-pan.getX() / z, -pan.getY() / z, getWidth() / z, getHeight() / z);
    }

    /** Pans so that world point (x, y) is at the centre of the canvas. */
    public void centerOn(double x, double y) {
        pan.setX(getWidth() / 2 - x * zoom.get());
        pan.setY(getHeight() / 2 - y * zoom.get());
    }

    /** Restores a saved view (zoom and pan) or, for a project that has none, fits the network. */
    public void showView(ViewState v) {
        if (v == null || v.equals(ViewState.DEFAULT)) {
            if (getWidth() > 0) {
                fit();
            } else {
                // not laid out yet: fit once the window gives the canvas a size
                widthProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends Number> o, Number a, Number b) {
                        if (b.doubleValue() > 0) {
                            widthProperty().removeListener(this);
                            javafx.application.Platform.runLater(CanvasView.this::fit);
                        }
                    }
                });
            }
            return;
        }
        zoom.set(clampZoom(v.zoom()));
        pan.setX(v.panX());
        pan.setY(v.panY());
        keepContentInView();
    }

    /**
     * Pans the least that brings the whole network into view, with a margin, when it fits at the current zoom
     * (when it does not, only a network entirely out of view is brought back, its start at the left or top). A
     * view is saved as pan offsets in the canvas as it was then: reopened in a smaller window, or with the training
     * panels taking the bottom of the window, the network came back partly above the view.
     */
    public void keepContentInView() {
        Bounds b = contentBounds();
        if (b != null) {
            reveal(b);
        }
    }

    /** Pans the least that brings world bounds {@code b} into view (see {@link #intoView}). */
    public void reveal(Bounds b) {
        if (getWidth() <= 0 || getHeight() <= 0) {
            return;
        }
        double z = zoom.get();
        pan.setX(pan.getX() + intoView(b.getMinX() * z + pan.getX(), b.getMaxX() * z + pan.getX(), getWidth()));
        pan.setY(pan.getY() + intoView(b.getMinY() * z + pan.getY(), b.getMaxY() * z + pan.getY(), getHeight()));
    }

    /** The shift that brings [from, to] inside [margin, size − margin] (see {@link #keepContentInView}). */
    static double intoView(double from, double to, double size) {
        double margin = Math.min(40, size / 10);
        if (to - from <= size - 2 * margin) {
            return from < margin ? margin - from : to > size - margin ? size - margin - to : 0;
        }
        return to < margin || from > size - margin ? margin - from : 0;
    }

    public ViewState currentView() {
        return new ViewState(zoom.get(), pan.getX(), pan.getY());
    }

    /** Converts canvas (world) coordinates to a point on the screen. */
    public Point2D worldToScreen(double x, double y) {
        return localToScreen(pan.getX() + x * zoom.get(), pan.getY() + y * zoom.get());
    }

    /** Where input {@code port} of node {@code id} is on the screen (for tests and tools that drive the canvas). */
    public Point2D inputPortOnScreen(String id, int port) {
        Point2D w = nodes.get(id).inputPoint(port);
        return worldToScreen(w.getX(), w.getY());
    }

    /** Where the output port of node {@code id} is on the screen. */
    public Point2D outputPortOnScreen(String id) {
        Point2D w = nodes.get(id).outputPoint();
        return worldToScreen(w.getX(), w.getY());
    }

    /** Converts a point on the screen to canvas (world) coordinates. */
    public Point2D screenToWorld(double screenX, double screenY) {
        Point2D local = screenToLocal(screenX, screenY);
        return localToWorld(local.getX(), local.getY());
    }

    private Point2D localToWorld(double x, double y) {
        return new Point2D((x - pan.getX()) / zoom.get(), (y - pan.getY()) / zoom.get());
    }

    /** Whether a screen point lies on the canvas, for drops from the palette. */
    public boolean containsScreen(double screenX, double screenY) {
        Point2D local = screenToLocal(screenX, screenY);
        return local != null && local.getX() >= 0 && local.getY() >= 0 && local.getX() <= getWidth()
                && local.getY() <= getHeight();
    }

    /**
     * A layer dropped from the palette at a screen point: onto an edge it is inserted there, elsewhere it is placed
     * with its centre under the pointer, snapped to the grid.
     */
    public void dropLayer(String type, double screenX, double screenY) {
        Point2D w = screenToWorld(screenX, screenY);
        EdgeView on = edgeNear(w);
        highlightDrop(null);
        if (on != null) {
            model.insertOnEdge(type, on.edge, snap(w.getX() - NodeView.WIDTH / 2), snap(w.getY() - NodeView.HEIGHT / 2));
        } else {
            model.addNode(type, snap(w.getX() - NodeView.WIDTH / 2), snap(w.getY() - NodeView.HEIGHT / 2));
        }
        requestFocus();
    }

    /** While a palette drag hovers, the edge a drop would insert into lights up. */
    public void hoverDrop(double screenX, double screenY) {
        highlightDrop(containsScreen(screenX, screenY) ? edgeNear(screenToWorld(screenX, screenY)) : null);
    }

    /** Opens quick add at the pointer's last position over the canvas (or near the centre). */
    public void openQuickAdd() {
        openQuickAdd("");
    }

    private void openQuickAdd(String text) {
        if (pointer != null && pointer.getX() < getWidth() && pointer.getY() < getHeight()) {
            openQuickAdd(pointer.getX(), pointer.getY(), text);
        } else {
            openQuickAdd(getWidth() / 2 - 130, getHeight() / 3, text);
        }
    }

    // ---- keeping the views in step with the model -----------------------------------------------------------

    /**
     * Brings the layers just added into view once the edit that added them is done (its selection set): quick add
     * and the palette's double-click append after the network's end, which may lie past the canvas's edge, and
     * the user would add layers they cannot see. Layers added without being selected (a project opening) are left.
     */
    private void revealCreated() {
        revealPending = false;
        Bounds b = boundsOf(created.stream().filter(model.selection()::contains).map(model.graph()::node)
                .filter(java.util.Objects::nonNull).toList());
        created.clear();
        if (b != null) {
            reveal(b);
        }
    }

    /** The bounds of the given nodes in world coordinates, or null for none. */
    private static Bounds boundsOf(Iterable<Node> list) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Node n : list) {
            minX = Math.min(minX, n.x());
            minY = Math.min(minY, n.y());
            maxX = Math.max(maxX, n.x() + NodeView.WIDTH);
            maxY = Math.max(maxY, n.y() + NodeView.HEIGHT);
        }
        return minX == Double.MAX_VALUE ? null : new BoundingBox(minX, minY, maxX - minX, maxY - minY);
    }

    /** Brings every node and edge view up to date with the graph and the last shape inference. */
    void refresh() {
        ShapeReport report = model.report();
        Set<String> alive = new HashSet<>();
        Map<String, Integer> used = new HashMap<>();
        for (Edge e : model.graph().edges()) {
            used.merge(e.to(), 1, Integer::sum);
        }
        for (Node n : model.graph().nodes()) {
            alive.add(n.id());
            NodeView v = nodes.get(n.id());
            if (v == null) {
                v = new NodeView(n.id());
                nodes.put(n.id(), v);
                nodeLayer.getChildren().add(v);
                tint(n.id());
                created.add(n.id());
            }
            v.update(n, report.info(n.id()), report.problemsAt(n.id()), model.selection().contains(n.id()),
                    used.getOrDefault(n.id(), 0));
        }
        if (!created.isEmpty() && !revealPending) {
            revealPending = true;
            javafx.application.Platform.runLater(this::revealCreated);
        }
        nodes.keySet().removeIf(id -> {
            if (!alive.contains(id)) {
                nodeLayer.getChildren().remove(nodes.get(id));
                return true;
            }
            return false;
        });
        Set<Edge> liveEdges = new HashSet<>(model.graph().edges());
        edges.keySet().removeIf(e -> {
            if (!liveEdges.contains(e)) {
                edgeLayer.getChildren().remove(edges.get(e));
                return true;
            }
            return false;
        });
        for (Edge e : model.graph().edges()) {
            EdgeView v = edges.computeIfAbsent(e, k -> {
                EdgeView ev = new EdgeView(k);
                edgeLayer.getChildren().add(ev);
                return ev;
            });
            NodeView from = nodes.get(e.from());
            NodeView to = nodes.get(e.to());
            v.setEnds(from.outputPoint(), to.inputPoint(e.toPort()));
            v.setSelected(e.equals(model.selectedEdgeProperty().get()));
        }
        emptyHint.setVisible(nodes.isEmpty());
        viewChanged();
    }

    private void refreshSelection() {
        for (NodeView v : nodes.values()) {
            v.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("selected"),
                    model.selection().contains(v.id));
        }
        Edge sel = model.selectedEdgeProperty().get();
        edges.forEach((e, v) -> v.setSelected(e.equals(sel)));
    }

    /** While zoom changes, node bitmaps are scaled rather than redrawn; 200 ms after it settles they are sharp again. */
    private final javafx.animation.PauseTransition zoomSettled = new javafx.animation.PauseTransition(
            javafx.util.Duration.millis(200));

    private void zooming() {
        if (zoomSettled.getStatus() != javafx.animation.Animation.Status.RUNNING) {
            nodes.values().forEach(v -> v.setCacheHint(javafx.scene.CacheHint.SCALE));
            zoomSettled.setOnFinished(e -> nodes.values().forEach(v -> v.setCacheHint(javafx.scene.CacheHint.QUALITY)));
        }
        zoomSettled.playFromStart();
    }

    // ---- gradient health while training ---------------------------------------------------------------------

    private static final javafx.css.PseudoClass VANISHING = javafx.css.PseudoClass.getPseudoClass("vanishing");
    private static final javafx.css.PseudoClass EXPLODING = javafx.css.PseudoClass.getPseudoClass("exploding");
    private javafx.collections.ObservableMap<String, io.deepcanvas.app.training.TrainingViewModel.GradientHealth> health =
            javafx.collections.FXCollections.observableHashMap();

    /** Tints each layer by its gradients' health while a run trains (node id → health; absent means no tint). */
    public void showGradientHealth(javafx.collections.ObservableMap<String, io.deepcanvas.app.training.TrainingViewModel.GradientHealth>
                                           byNode) {
        this.health = byNode;
        byNode.addListener((javafx.collections.MapChangeListener<String, io.deepcanvas.app.training.TrainingViewModel.GradientHealth>)
                c -> tint(c.getKey()));
        nodes.keySet().forEach(this::tint);
    }

    private void tint(String id) {
        NodeView v = nodes.get(id);
        if (v != null) {
            io.deepcanvas.app.training.TrainingViewModel.GradientHealth h = health.get(id);
            v.pseudoClassStateChanged(VANISHING, h == io.deepcanvas.app.training.TrainingViewModel.GradientHealth.VANISHING);
            v.pseudoClassStateChanged(EXPLODING, h == io.deepcanvas.app.training.TrainingViewModel.GradientHealth.EXPLODING);
        }
    }

    /** Listeners (the minimap) learn that pan, zoom or content moved. */
    private final List<Runnable> viewListeners = new java.util.ArrayList<>();

    public void addViewListener(Runnable r) {
        viewListeners.add(r);
    }

    private void viewChanged() {
        drawGrid();
        cull();
        viewListeners.forEach(Runnable::run);
    }

    /**
     * Hides the node and edge views outside the visible part of the canvas: a 300-node graph then costs the
     * renderer only what is on screen (measured with {@code deepcanvas bench-editor}).
     */
    private void cull() {
        if (getWidth() <= 0) {
            return;
        }
        Bounds port = viewport();
        double m = 40 / zoom.get();
        Bounds wide = new BoundingBox(port.getMinX() - m, port.getMinY() - m, port.getWidth() + 2 * m,
                port.getHeight() + 2 * m);
        for (NodeView v : nodes.values()) {
            boolean in = wide.intersects(v.getLayoutX(), v.getLayoutY(), NodeView.WIDTH, NodeView.HEIGHT);
            if (v.isVisible() != in) {
                v.setVisible(in);
            }
        }
        for (EdgeView v : edges.values()) {
            boolean in = v.getBoundsInParent().intersects(wide);
            if (v.isVisible() != in) {
                v.setVisible(in);
            }
        }
    }


    @Override
    protected void layoutChildren() {
        grid.setWidth(getWidth());
        grid.setHeight(getHeight());
        emptyHint.autosize();
        emptyHint.relocate((getWidth() - emptyHint.getWidth()) / 2, (getHeight() - emptyHint.getHeight()) / 2);
        overlay.resize(getWidth(), getHeight());
        quickAdd.autosize();
        drawGrid();
    }

    private void drawGrid() {
        GraphicsContext g = grid.getGraphicsContext2D();
        double w = grid.getWidth();
        double h = grid.getHeight();
        g.clearRect(0, 0, w, h);
        double z = zoom.get();
        double step = GRID * z;
        while (step < 10) {
            step *= 5; // zoomed far out: a coarser grid instead of a grey wash
        }
        g.setFill(Color.web("#c3c9d4", 0.9));
        double x0 = ((pan.getX() % step) + step) % step;
        double y0 = ((pan.getY() % step) + step) % step;
        double dot = Math.max(1, 1.5 * Math.min(1, z));
        for (double x = x0; x < w; x += step) {
            for (double y = y0; y < h; y += step) {
                g.fillRect(x - dot / 2, y - dot / 2, dot, dot);
            }
        }
    }

    // ---- zoom and pan ---------------------------------------------------------------------------------------

    private static double clampZoom(double z) {
        return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
    }

    /** Zooms to {@code z} keeping the world point under local (x, y) where it is. */
    void zoomAround(double z, double x, double y) {
        z = clampZoom(z);
        Point2D w = localToWorld(x, y);
        zoom.set(z);
        pan.setX(x - w.getX() * z);
        pan.setY(y - w.getY() * z);
    }

    private void scrolled(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        if (e.isInertia()) {
            return;
        }
        double factor = Math.pow(1.0015, e.getDeltaY());
        zoomAround(zoom.get() * factor, e.getX(), e.getY());
        e.consume();
    }

    public void panBy(double dx, double dy) {
        pan.setX(pan.getX() + dx);
        pan.setY(pan.getY() + dy);
    }

    // ---- mouse gestures -------------------------------------------------------------------------------------

    private NodeView hitNode(MouseEvent e) {
        for (javafx.scene.Node n = e.getPickResult().getIntersectedNode(); n != null && n != this; n = n.getParent()) {
            if (n instanceof NodeView v) {
                return v;
            }
        }
        return null;
    }

    private EdgeView hitEdge(MouseEvent e) {
        for (javafx.scene.Node n = e.getPickResult().getIntersectedNode(); n != null && n != this; n = n.getParent()) {
            if (n instanceof EdgeView v && v.edge != null) {
                return v;
            }
        }
        return null;
    }

    private static Circle hitPort(MouseEvent e) {
        return e.getPickResult().getIntersectedNode() instanceof Circle c && c.getStyleClass().contains("port")
                ? c : null;
    }

    private void pressed(MouseEvent e) {
        requestFocus();
        if (quickAdd.isVisible() && !quickAdd.getBoundsInParent().contains(e.getX(), e.getY())) {
            quickAdd.close();
        }
        pressScreen = new Point2D(e.getScreenX(), e.getScreenY());
        lastWorld = localToWorld(e.getX(), e.getY());
        moved = false;
        if (e.getButton() == MouseButton.MIDDLE || e.getButton() == MouseButton.SECONDARY) {
            panStart = new Point2D(e.getX() - pan.getX(), e.getY() - pan.getY());
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        NodeView node = hitNode(e);
        Circle port = hitPort(e);
        if (node != null && port != null && port.getStyleClass().contains("port-out") && !model.lockedProperty().get()) {
            startLink(node.id, e);
            return;
        }
        if (node != null) {
            if (e.isShiftDown() || e.isShortcutDown()) {
                if (!model.selection().remove(node.id)) {
                    model.selectedEdgeProperty().set(null);
                    model.selection().add(node.id);
                }
            } else if (!model.selection().contains(node.id)) {
                model.select(node.id);
            }
            return;
        }
        EdgeView edge = hitEdge(e);
        if (edge != null) {
            model.selectEdge(edge.edge);
            return;
        }
        if (e.isShiftDown() || e.isShortcutDown()) {
            rubber = new Rectangle(e.getX(), e.getY(), 0, 0);
            rubber.getStyleClass().add("rubber-band");
            rubber.setMouseTransparent(true);
            overlay.getChildren().add(rubber);
            rubberBase = new HashSet<>(model.selection());
        } else {
            model.select(null);
            panStart = new Point2D(e.getX() - pan.getX(), e.getY() - pan.getY());
        }
    }

    private void dragged(MouseEvent e) {
        if (pressScreen == null) {
            return;
        }
        if (!moved && pressScreen.distance(e.getScreenX(), e.getScreenY()) < 3) {
            return; // a click with a shaky hand is not a drag
        }
        moved = true;
        Point2D w = localToWorld(e.getX(), e.getY());
        if (panStart != null) {
            pan.setX(e.getX() - panStart.getX());
            pan.setY(e.getY() - panStart.getY());
        } else if (linkFrom != null) {
            dragLink(e, w);
        } else if (rubber != null) {
            dragRubber(e);
        } else if (!model.selection().isEmpty() && !model.lockedProperty().get()) {
            model.previewMove(List.copyOf(model.selection()), w.getX() - lastWorld.getX(), w.getY() - lastWorld.getY());
            lastWorld = w;
            highlightDrop(model.selection().size() == 1 ? insertTarget(model.selection().iterator().next()) : null);
        }
        e.consume();
    }

    private void released(MouseEvent e) {
        if (pressScreen == null) {
            return;
        }
        try {
            if (linkFrom != null) {
                finishLink(e);
            } else if (rubber != null) {
                overlay.getChildren().remove(rubber);
                rubber = null;
            } else if (panStart == null && moved && !model.selection().isEmpty() && !model.lockedProperty().get()) {
                finishMove();
            }
        } finally {
            pressScreen = null;
            panStart = null;
            linkFrom = null;
            moved = false;
            highlightDrop(null);
        }
    }

    /** Snaps the dragged nodes (by the first one's offset, so their arrangement holds), then records one command. */
    private void finishMove() {
        String first = model.selection().iterator().next();
        EdgeView target = model.selection().size() == 1 ? insertTarget(first) : null;
        Node n = model.graph().require(first);
        if (snap.get()) {
            double dx = snap(n.x()) - n.x();
            double dy = snap(n.y()) - n.y();
            if (dx != 0 || dy != 0) {
                model.previewMove(List.copyOf(model.selection()), dx, dy);
            }
        }
        // a lone, unwired node dropped onto a link goes into it: move and insert are one command
        if (target != null && model.insertExisting(first, target.edge)) {
            return;
        }
        model.finishMove();
    }

    /** The edge under the centre of node {@code id} while it is dragged, if the node is free to be inserted. */
    private EdgeView insertTarget(String id) {
        if (!model.graph().inputsOf(id).isEmpty() || !model.graph().outputsOf(id).isEmpty()) {
            return null;
        }
        Node n = model.graph().require(id);
        EdgeView ev = edgeNear(new Point2D(n.x() + NodeView.WIDTH / 2, n.y() + NodeView.HEIGHT / 2));
        return ev != null && !ev.edge.from().equals(id) && !ev.edge.to().equals(id) ? ev : null;
    }

    private EdgeView edgeNear(Point2D world) {
        for (EdgeView v : edges.values()) {
            if (v.passesNear(world)) {
                return v;
            }
        }
        return null;
    }

    private void highlightDrop(EdgeView target) {
        if (dropTarget != null) {
            dropTarget.getStyleClass().remove("drop-target");
        }
        dropTarget = target;
        if (target != null) {
            target.getStyleClass().add("drop-target");
        }
    }

    double snap(double v) {
        return snap.get() ? Math.round(v / GRID) * GRID : v;
    }

    private void startLink(String from, MouseEvent e) {
        linkFrom = from;
        linkPreview = new EdgeView(null);
        linkPreview.getStyleClass().add("link-preview");
        linkPreview.setMouseTransparent(true);
        edgeLayer.getChildren().add(linkPreview);
        NodeView v = nodes.get(from);
        linkPreview.setEnds(v.outputPoint(), localToWorld(e.getX(), e.getY()));
    }

    /** The input port (node id, port) under the pointer, or the first free port of the node under it. */
    private Object[] linkTarget(MouseEvent e) {
        NodeView node = hitNode(e);
        if (node == null || node.id.equals(linkFrom) && hitPort(e) == null) {
            return node == null ? null : new Object[]{node.id, -1};
        }
        Circle port = hitPort(e);
        int p = port != null && port.getProperties().get("port") instanceof Integer i ? i : -1;
        return new Object[]{node.id, p};
    }

    private void dragLink(MouseEvent e, Point2D w) {
        Object[] target = linkTarget(e);
        NodeView from = nodes.get(linkFrom);
        String why = null;
        Point2D end = w;
        if (target != null) {
            String to = (String) target[0];
            int port = (Integer) target[1];
            why = model.whyNotConnect(linkFrom, to, port);
            if (why == null) {
                int p = port < 0 ? model.freePort(to) : port;
                end = nodes.get(to).inputPoint(Math.max(0, p));
            }
        }
        linkPreview.setEnds(from.outputPoint(), end);
        linkPreview.setRefused(why != null);
        linkReason.setText(why == null ? "" : why);
        linkReason.setVisible(why != null);
        linkReason.relocate(e.getX() + 14, e.getY() + 14);
    }

    private void finishLink(MouseEvent e) {
        edgeLayer.getChildren().remove(linkPreview);
        linkPreview = null;
        linkReason.setVisible(false);
        Object[] target = linkTarget(e);
        if (target == null) {
            return;
        }
        String why = model.connect(linkFrom, (String) target[0], (Integer) target[1]);
        if (why != null) {
            status.accept(why);
        }
    }

    private void dragRubber(MouseEvent e) {
        Point2D start = screenToLocal(pressScreen);
        double x = Math.min(start.getX(), e.getX());
        double y = Math.min(start.getY(), e.getY());
        rubber.setX(x);
        rubber.setY(y);
        rubber.setWidth(Math.abs(e.getX() - start.getX()));
        rubber.setHeight(Math.abs(e.getY() - start.getY()));
        Point2D a = localToWorld(x, y);
        Point2D b = localToWorld(x + rubber.getWidth(), y + rubber.getHeight());
        Bounds box = new BoundingBox(a.getX(), a.getY(), b.getX() - a.getX(), b.getY() - a.getY());
        Set<String> inside = new HashSet<>(rubberBase);
        for (Node n : model.graph().nodes()) {
            if (box.intersects(n.x(), n.y(), NodeView.WIDTH, NodeView.HEIGHT)) {
                inside.add(n.id());
            }
        }
        model.selection().retainAll(inside);
        model.selection().addAll(inside);
    }

    // ---- keys -----------------------------------------------------------------------------------------------

    private void keyPressed(KeyEvent e) {
        if (quickAdd.isVisible()) {
            return;
        }
        double step = e.isShiftDown() ? 200 : 40;
        switch (e.getCode()) {
            case LEFT -> panBy(step, 0);
            case RIGHT -> panBy(-step, 0);
            case UP -> panBy(0, step);
            case DOWN -> panBy(0, -step);
            case SPACE -> openQuickAdd();
            case ENTER -> {
                if (model.selectedNode() == null) {
                    return;
                }
                editSelection.run();
            }
            case ESCAPE -> model.select(null);
            case DELETE, BACK_SPACE -> {
                if (!model.lockedProperty().get()) {
                    model.deleteSelection();
                }
            }
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void keyTyped(KeyEvent e) {
        String c = e.getCharacter();
        if (quickAdd.isVisible() || e.isShortcutDown() || e.isAltDown() || c.isEmpty()
                || !Character.isLetterOrDigit(c.charAt(0))) {
            return;
        }
        openQuickAdd(c);
        e.consume();
    }

    private Point2D quickAddAt;

    private void openQuickAdd(double x, double y, String text) {
        if (model.lockedProperty().get()) {
            status.accept(I18n.text("edit.locked"));
            return;
        }
        quickAddAt = localToWorld(x, y);
        quickAdd.open(Math.max(0, Math.min(x, getWidth() - 280)), Math.max(0, Math.min(y, getHeight() - 300)), text);
    }

    /** Quick add chose {@code type}: after the selection (or the network's end), wired; first layer at the pointer. */
    private void quickAdded(String type) {
        boolean anchor = model.selectedNode() != null || !model.graph().nodes().isEmpty();
        if (anchor && LayerTypes.get(type).maxInputs() > 0) {
            model.append(type);
        } else {
            Point2D at = quickAddAt != null ? quickAddAt : new Point2D(40, 200);
            model.addNode(type, snap(at.getX()), snap(at.getY()));
        }
        requestFocus();
    }


}
