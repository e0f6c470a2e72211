package io.deepcanvas.app.model;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.ProjectFormatException;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.io.ViewState;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

/**
 * The editor's view-model over one project's {@link NetworkGraph}: what the canvas, inspector, problems list and
 * code view show, and every edit the user can make, each one {@link Command} on the {@link CommandStack}. It knows no
 * controls (JabRef's rule), so it is tested without the FX thread.
 *
 * <p>The path of an edit: a view calls a method here → the graph changes → {@link ShapeInference} (microseconds)
 * → {@link #revisionProperty()} ticks → the views repaint from {@link #graph()} and {@link #report()}.
 */
public final class EditorModel {
    /** Horizontal distance between a node and the one appended after it. */
    public static final double STEP_X = 200;
    /** Vertical distance between nodes side by side in auto-layout. */
    public static final double STEP_Y = 130;
    /** A node's size on the canvas, for placing new nodes where they overlap nothing. */
    public static final double NODE_WIDTH = 172;
    public static final double NODE_HEIGHT = 86;
    static final double ORIGIN_X = 40;
    static final double ORIGIN_Y = 200;

    private NetworkGraph graph = new NetworkGraph();
    private TrainingSettings training = TrainingSettings.defaults();
    private ViewState view = ViewState.DEFAULT;
    private String weights;
    /** The state the last command left: the "before" of the next one (and the start of a drag). */
    private EditorState current = EditorState.of(graph, training);

    private final CommandStack commands = new CommandStack();
    private final ReadOnlyObjectWrapper<ShapeReport> report = new ReadOnlyObjectWrapper<>(this, "report",
            ShapeInference.infer(graph));
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper(this, "name", "Untitled");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final ReadOnlyBooleanWrapper locked = new ReadOnlyBooleanWrapper(this, "locked");
    private final ObservableSet<String> selection = FXCollections.observableSet(new LinkedHashSet<>());
    private final ObjectProperty<Edge> selectedEdge = new SimpleObjectProperty<>(this, "selectedEdge");

    // ---- what the views read ------------------------------------------------------------------------------

    /** The graph as it is now; views read it, only this model changes it. */
    public NetworkGraph graph() {
        return graph;
    }

    public TrainingSettings training() {
        return training;
    }

    public ShapeReport report() {
        return report.get();
    }

    public ReadOnlyObjectProperty<ShapeReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** Ticks after every change of the graph or the settings: edits, undo, redo, drags, opening a project. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public String name() {
        return name.get();
    }

    /** The file the project was opened from or last saved to; null for a new project. */
    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    public Path file() {
        return file.get();
    }

    public CommandStack commands() {
        return commands;
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return commands.dirtyProperty();
    }

    public boolean isDirty() {
        return commands.dirtyProperty().get();
    }

    /** Ids of the selected nodes, in the order they were selected. */
    public ObservableSet<String> selection() {
        return selection;
    }

    public ObjectProperty<Edge> selectedEdgeProperty() {
        return selectedEdge;
    }

    /** The one selected node, or null when none or several are selected. */
    public Node selectedNode() {
        return selection.size() == 1 ? graph.node(selection.iterator().next()) : null;
    }

    /** While training runs the graph is locked: edits are refused and the UI says so. */
    public ReadOnlyBooleanProperty lockedProperty() {
        return locked.getReadOnlyProperty();
    }

    public void setLocked(boolean value) {
        locked.set(value);
    }

    public ViewState view() {
        return view;
    }

    /** Where the canvas looks; saved with the project, not an edit. */
    public void setView(ViewState view) {
        this.view = view;
    }

    /** The trained weights' file name beside the project file (null: none); saved with the project, not an edit. */
    public void setWeights(String fileName) {
        this.weights = fileName;
    }

    // ---- projects -----------------------------------------------------------------------------------------

    /** Shows {@code project} as opened from {@code from} (null for an example or a new one); history starts anew. */
    public void load(Project project, Path from) {
        graph = project.graph().copy();
        training = project.training();
        view = project.view();
        weights = project.weights();
        name.set(project.name());
        file.set(from);
        selection.clear();
        selectedEdge.set(null);
        current = EditorState.of(graph, training);
        commands.clear();
        changed();
    }

    /** A new, empty project. */
    public void newProject() {
        load(Project.of(I18n.text("project.untitled"), new NetworkGraph()), null);
    }

    /** The project as it stands, for saving: a copy, safe to hand to another thread. */
    public Project toProject() {
        return new Project(name.get(), graph.copy(), training, view, weights);
    }

    /** The project was written to {@code to}; it is the project's file from now on and counts as saved. */
    public void markSaved(Path to, String newName) {
        file.set(to);
        if (newName != null) {
            name.set(newName);
        }
        commands.markSaved();
    }

    /** For a project restored from a recovery file: it has changes no file holds. */
    public void markUnsaved() {
        commands.markUnsaved();
    }

    // ---- undo and redo ------------------------------------------------------------------------------------

    public void undo() {
        if (locked.get()) {
            return;
        }
        Command c = commands.popUndo();
        if (c != null) {
            restore(c.before());
        }
    }

    public void redo() {
        if (locked.get()) {
            return;
        }
        Command c = commands.popRedo();
        if (c != null) {
            restore(c.after());
        }
    }

    private void restore(EditorState s) {
        graph = s.graphCopy();
        training = s.training();
        current = s;
        changed();
    }

    // ---- edits --------------------------------------------------------------------------------------------

    /**
     * Runs {@code change} on the graph as one command named {@code description}. A change that fails puts the state
     * back and rethrows; one that changes nothing records nothing.
     */
    private void edit(String description, Runnable change) {
        if (locked.get()) {
            throw new IllegalStateException(I18n.text("edit.locked"));
        }
        EditorState before = current;
        try {
            change.run();
        } catch (RuntimeException e) {
            graph = before.graphCopy();
            training = before.training();
            changed();
            throw e;
        }
        EditorState after = EditorState.of(graph, training);
        if (!after.sameAs(before)) {
            commands.push(new Command(description, before, after));
            current = after;
        }
        changed();
    }

    /** Adds a layer of {@code type} at canvas position (x, y), selects it and returns its id. */
    public String addNode(String type, double x, double y) {
        LayerType t = LayerTypes.get(type);
        String[] id = new String[1];
        edit(I18n.text("edit.add", t.displayName()), () -> id[0] = graph.add(newNode(t, x, y)).id());
        select(id[0]);
        return id[0];
    }

    /**
     * Adds a layer after the selected node (or after the network's output when nothing is selected), wired to it,
     * and selects it. Where the anchor already feeds other layers, the new one is inserted between: a chain stays
     * a chain, and everything downstream moves one step right to make room.
     */
    public String append(String type) {
        LayerType t = LayerTypes.get(type);
        Node anchor = appendAnchor();
        String[] id = new String[1];
        edit(I18n.text("edit.add", t.displayName()), () -> {
            if (anchor == null) {
                id[0] = graph.add(newNode(t, ORIGIN_X, ORIGIN_Y)).id();
                return;
            }
            List<Edge> outs = t.maxInputs() > 0 ? graph.outputsOf(anchor.id()) : List.of();
            shiftDownstream(outs, STEP_X);
            Node n = graph.add(newNode(t, anchor.x() + STEP_X, freeRow(anchor.x() + STEP_X, anchor.y())));
            id[0] = n.id();
            if (t.maxInputs() > 0) {
                graph.connect(anchor.id(), n.id());
                for (Edge e : outs) {
                    graph.disconnect(e);
                    graph.connect(n.id(), e.to(), e.toPort());
                }
            }
        });
        select(id[0]);
        return id[0];
    }

    private Node appendAnchor() {
        Node sel = selectedNode();
        if (sel != null) {
            return sel;
        }
        ShapeReport r = report();
        if (r.outputId() != null) {
            return graph.node(r.outputId());
        }
        Node last = null;
        for (Node n : graph.nodes()) {
            last = n;
        }
        return last;
    }

    /** The first y at or below {@code y} where a node at x overlaps no other node (a layer left lying there). */
    private double freeRow(double x, double y) {
        for (double at = y; ; at += STEP_Y) {
            double row = at;
            boolean taken = graph.nodes().stream().anyMatch(o -> Math.abs(o.x() - x) < NODE_WIDTH
                    && Math.abs(o.y() - row) < NODE_HEIGHT);
            if (!taken) {
                return at;
            }
        }
    }

    /** Moves every node reachable through {@code edges} (their targets and what follows) right by {@code dx}. */
    private void shiftDownstream(Collection<Edge> edges, double dx) {
        shiftFrom(graph, edges.stream().map(Edge::to).toList(), dx);
    }

    /** Moves the nodes {@code starts} and everything downstream of them right by {@code dx}, each once. */
    static void shiftFrom(NetworkGraph g, Collection<String> starts, double dx) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(starts);
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (seen.add(id)) {
                Node n = g.require(id);
                n.moveTo(n.x() + dx, n.y());
                g.outputsOf(id).forEach(e -> todo.add(e.to()));
            }
        }
    }

    private Node newNode(LayerType t, double x, double y) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (ParamSpec p : t.params()) {
            if (p.defaultValue() != null) {
                params.put(p.name(), p.defaultValue());
            }
        }
        return new Node(nextId(t), t.name(), params, x, y);
    }

    /** {@code conv1}, {@code conv2}, ...: short names in the tutorials' style, usable as Python attributes. */
    String nextId(LayerType t) {
        String base = switch (t.name()) {
            case "Conv2d" -> "conv";
            case "MaxPool2d", "AvgPool2d" -> "pool";
            case "Linear" -> "fc";
            case "BatchNorm1d", "BatchNorm2d" -> "bn";
            case "Input" -> "input";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
        if (t.isInput() && !graph.contains(base)) {
            return base;
        }
        for (int i = 1; ; i++) {
            if (!graph.contains(base + i)) {
                return base + i;
            }
        }
    }

    /** Deletes the selected nodes (with their edges) and the selected edge, as one command. */
    public void deleteSelection() {
        Set<String> nodes = new LinkedHashSet<>(selection);
        Edge edge = selectedEdge.get();
        if (nodes.isEmpty() && edge == null) {
            return;
        }
        String what = nodes.isEmpty() ? I18n.text("edit.disconnect")
                : nodes.size() == 1 ? I18n.text("edit.delete", graph.require(nodes.iterator().next()).label())
                : I18n.text("edit.deleteMany", nodes.size());
        edit(what, () -> {
            if (edge != null) {
                graph.disconnect(edge);
            }
            nodes.forEach(graph::remove);
        });
        selection.clear();
        selectedEdge.set(null);
    }

    /**
     * Why {@code from} cannot feed input {@code port} of {@code to}, in the user's words, or null when it can. A
     * negative port means "the first free one".
     */
    public String whyNotConnect(String from, String to, int port) {
        if (from.equals(to)) {
            return I18n.text("connect.self");
        }
        Node target = graph.node(to);
        LayerType t = target == null ? null : LayerTypes.find(target.type()).orElse(null);
        if (t != null && t.maxInputs() == 0) {
            return I18n.text("connect.noInputs", target.label());
        }
        // a cycle is the more fundamental refusal: say it even when the port is also taken
        if (reaches(to, from)) {
            return I18n.text("connect.cycle", graph.require(from).label(), target.label());
        }
        int p = port < 0 ? freePort(to) : port;
        if (p < 0 || t != null && p >= t.maxInputs()) {
            return I18n.text("connect.portTaken", target.label());
        }
        for (Edge e : graph.inputsOf(to)) {
            if (e.toPort() == p) {
                return I18n.text("connect.portTaken", target.label());
            }
        }
        return null;
    }

    /** The lowest input port of {@code to} with no edge, or -1 when the layer takes no more inputs. */
    public int freePort(String to) {
        Node n = graph.require(to);
        int max = LayerTypes.find(n.type()).map(LayerType::maxInputs).orElse(1);
        Set<Integer> used = new HashSet<>();
        graph.inputsOf(to).forEach(e -> used.add(e.toPort()));
        for (int p = 0; p < max; p++) {
            if (!used.contains(p)) {
                return p;
            }
        }
        return -1;
    }

    /** Whether a path of edges leads from {@code a} to {@code b} (or they are the same node). */
    boolean reaches(String a, String b) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(a));
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (id.equals(b)) {
                return true;
            }
            if (seen.add(id)) {
                graph.outputsOf(id).forEach(e -> todo.add(e.to()));
            }
        }
        return false;
    }

    /** Connects {@code from} into {@code to} (port < 0: the first free one); returns the refusal, or null. */
    public String connect(String from, String to, int port) {
        String why = whyNotConnect(from, to, port);
        if (why != null) {
            return why;
        }
        int p = port < 0 ? freePort(to) : port;
        edit(I18n.text("edit.connect", graph.require(from).label(), graph.require(to).label()),
                () -> graph.connect(from, to, p));
        return null;
    }

    public void disconnect(Edge e) {
        edit(I18n.text("edit.disconnect"), () -> graph.disconnect(e));
        if (e.equals(selectedEdge.get())) {
            selectedEdge.set(null);
        }
    }

    /**
     * Adds a layer of {@code type} at (x, y) into the middle of {@code edge}: from → new → to. Returns the new id.
     */
    public String insertOnEdge(String type, Edge edge, double x, double y) {
        LayerType t = LayerTypes.get(type);
        String[] id = new String[1];
        edit(I18n.text("edit.insert", t.displayName()), () -> {
            Node n = graph.add(newNode(t, x, y));
            id[0] = n.id();
            if (t.maxInputs() > 0) { // an Input dropped on a link is only placed: nothing may feed it
                splice(n.id(), edge);
            }
        });
        select(id[0]);
        return id[0];
    }

    /** Moves the existing, unconnected node {@code id} into the middle of {@code edge}; false if it is wired. */
    public boolean insertExisting(String id, Edge edge) {
        if (!graph.inputsOf(id).isEmpty() || !graph.outputsOf(id).isEmpty() || edge.from().equals(id)
                || edge.to().equals(id)
                || LayerTypes.find(graph.require(id).type()).map(LayerType::maxInputs).orElse(1) == 0) {
            return false;
        }
        edit(I18n.text("edit.insert", graph.require(id).label()), () -> splice(id, edge));
        return true;
    }

    private void splice(String id, Edge edge) {
        graph.disconnect(edge);
        graph.connect(edge.from(), id, 0);
        graph.connect(id, edge.to(), edge.toPort());
    }

    /** Sets one hyperparameter ({@code null} resets it to the layer's default). */
    public void setParam(String id, String param, Object value) {
        Node n = graph.require(id);
        edit(I18n.text("edit.param", n.label(), param), () -> graph.require(id).setParam(param, value));
    }

    /** Renames the layer as it appears in parameter names and exported code ({@code conv1}). */
    public void setLabel(String id, String label) {
        edit(I18n.text("edit.rename", graph.require(id).label(), label), () -> graph.require(id).setLabel(label));
    }

    public void setTraining(TrainingSettings settings) {
        edit(I18n.text("edit.training"), () -> training = settings);
    }

    /** Renames the project. */
    public void setName(String newName) {
        if (newName != null && !newName.isBlank() && !newName.equals(name.get())) {
            name.set(newName);
        }
    }

    // ---- moving: a drag is one command ---------------------------------------------------------------------

    /** Moves nodes live while the pointer drags them; nothing is recorded until {@link #finishMove()}. */
    public void previewMove(Collection<String> ids, double dx, double dy) {
        if (locked.get()) {
            return;
        }
        for (String id : ids) {
            Node n = graph.require(id);
            n.moveTo(n.x() + dx, n.y() + dy);
        }
        revision.set(revision.get() + 1);
    }

    /** Ends a drag: every position moved since the last command becomes one "Move" command. */
    public void finishMove() {
        EditorState after = EditorState.of(graph, training);
        if (!after.sameAs(current)) {
            commands.push(new Command(I18n.text("edit.move"), current, after));
            current = after;
        }
        changed();
    }

    /** Moves nodes to new positions as one command (keyboard nudges, snapping). */
    public void moveTo(Map<String, double[]> positions) {
        edit(I18n.text("edit.move"), () -> positions.forEach((id, p) -> graph.require(id).moveTo(p[0], p[1])));
    }

    /** Lays the network out left to right by depth from the Input, side branches stacked. One command. */
    public void autoLayout() {
        edit(I18n.text("edit.autoLayout"), () -> AutoLayout.apply(graph, report(), ORIGIN_X, ORIGIN_Y, STEP_X,
                STEP_Y));
    }

    /** Applies a problem's one-click fix as one command. */
    public void apply(Fix fix) {
        edit(fix.description(), () -> fix.change().accept(graph));
    }

    // ---- selection ----------------------------------------------------------------------------------------

    public void select(String id) {
        selectedEdge.set(null);
        selection.clear();
        if (id != null && graph.contains(id)) {
            selection.add(id);
        }
    }

    public void selectAll() {
        selectedEdge.set(null);
        graph.nodes().forEach(n -> selection.add(n.id()));
    }

    public void selectEdge(Edge e) {
        selection.clear();
        selectedEdge.set(e);
    }

    // ---- clipboard ----------------------------------------------------------------------------------------

    /** The selected nodes and the edges between them as a project document, or null when nothing is selected. */
    public String copySelection() {
        if (selection.isEmpty()) {
            return null;
        }
        NetworkGraph part = new NetworkGraph();
        for (Node n : graph.nodes()) {
            if (selection.contains(n.id())) {
                part.add(n.copy());
            }
        }
        for (Edge e : graph.edges()) {
            if (selection.contains(e.from()) && selection.contains(e.to())) {
                part.connect(e);
            }
        }
        return new ProjectFile().toJson(Project.of("clipboard", part));
    }

    /**
     * Adds the nodes of a {@link #copySelection()} document, moved by (dx, dy), with fresh ids where theirs are
     * taken, and selects them. Returns false when the text is not a DeepCanvas clipboard.
     */
    public boolean paste(String text, double dx, double dy) {
        if (text == null || text.isBlank()) {
            return false;
        }
        NetworkGraph part;
        try {
            part = ProjectFile.withLayerRegistry().fromJson(text, "clipboard").graph();
        } catch (ProjectFormatException | RuntimeException e) {
            return false;
        }
        if (part.nodes().isEmpty()) {
            return false;
        }
        Map<String, String> ids = new HashMap<>();
        edit(I18n.text("edit.paste", part.nodes().size()), () -> {
            for (Node n : part.nodes()) {
                LayerType t = LayerTypes.get(n.type());
                String id = graph.contains(n.id()) ? nextId(t) : n.id();
                ids.put(n.id(), id);
                Node copy = new Node(id, n.type(), n.params(), n.x() + dx, n.y() + dy);
                // a cut-and-paste keeps a custom name, unless a layer already bears it
                String label = n.label();
                if (!label.equals(n.id()) && graph.nodes().stream().noneMatch(o -> o.label().equals(label))) {
                    copy.setLabel(label);
                }
                graph.add(copy);
            }
            for (Edge e : part.edges()) {
                graph.connect(ids.get(e.from()), ids.get(e.to()), e.toPort());
            }
        });
        selectedEdge.set(null);
        selection.clear();
        selection.addAll(ids.values());
        return true;
    }

    /** Copies and pastes the selection beside itself. */
    public void duplicate() {
        paste(copySelection(), 40, 40);
    }

    // ---- after every change -------------------------------------------------------------------------------

    private void changed() {
        report.set(ShapeInference.infer(graph));
        selection.removeIf(id -> !graph.contains(id));
        Edge e = selectedEdge.get();
        if (e != null && !graph.edges().contains(e)) {
            selectedEdge.set(null);
        }
        revision.set(revision.get() + 1);
    }
}
