package io.deepcanvas.engine.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as the user draws it: layers (nodes) wired by edges into a directed graph. Nodes keep insertion
 * order (the file and the canvas list them that way). The graph itself only guards identity (unique ids, edges
 * between existing nodes, one edge per input port); whether it forms a valid network is {@code ShapeInference}'s
 * job, so a half-drawn graph can always be held and saved.
 */
public final class NetworkGraph {
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();

    public Collection<Node> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    public List<Edge> edges() {
        return Collections.unmodifiableList(edges);
    }

    public Node node(String id) {
        return nodes.get(id);
    }

    /** The node with {@code id}, or an error that names it. */
    public Node require(String id) {
        Node n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node with id '" + id + "' in the graph");
        }
        return n;
    }

    public boolean contains(String id) {
        return nodes.containsKey(id);
    }

    public Node add(Node node) {
        if (nodes.containsKey(node.id())) {
            throw new IllegalArgumentException("a node with id '" + node.id() + "' already exists: ids must be unique");
        }
        nodes.put(node.id(), node);
        return node;
    }

    /** Adds a node and returns it. */
    public Node add(String id, String type, Map<String, ?> params, double x, double y) {
        return add(new Node(id, type, params, x, y));
    }

    /** Removes a node and every edge touching it; returns the removed edges (for undo). */
    public List<Edge> remove(String id) {
        if (nodes.remove(id) == null) {
            throw new IllegalArgumentException("no node with id '" + id + "' to remove");
        }
        List<Edge> removed = new ArrayList<>();
        edges.removeIf(e -> {
            boolean touches = e.from().equals(id) || e.to().equals(id);
            if (touches) {
                removed.add(e);
            }
            return touches;
        });
        return removed;
    }

    /** Wires {@code from} into input port 0 of {@code to}. */
    public Edge connect(String from, String to) {
        return connect(new Edge(from, to, 0));
    }

    public Edge connect(String from, String to, int toPort) {
        return connect(new Edge(from, to, toPort));
    }

    public Edge connect(Edge e) {
        require(e.from());
        require(e.to());
        if (e.from().equals(e.to())) {
            throw new IllegalArgumentException("node '" + e.from() + "' cannot be connected to itself");
        }
        for (Edge other : edges) {
            if (other.to().equals(e.to()) && other.toPort() == e.toPort()) {
                throw new IllegalArgumentException("input " + e.toPort() + " of node '" + e.to()
                        + "' is already connected (from '" + other.from() + "'): remove that edge first");
            }
        }
        edges.add(e);
        return e;
    }

    public boolean disconnect(Edge e) {
        return edges.remove(e);
    }

    /** Edges into {@code id}, ordered by input port. */
    public List<Edge> inputsOf(String id) {
        List<Edge> in = new ArrayList<>();
        for (Edge e : edges) {
            if (e.to().equals(id)) {
                in.add(e);
            }
        }
        in.sort(Comparator.comparingInt(Edge::toPort));
        return in;
    }

    /** Edges out of {@code id}, in the order they were made. */
    public List<Edge> outputsOf(String id) {
        List<Edge> out = new ArrayList<>();
        for (Edge e : edges) {
            if (e.from().equals(id)) {
                out.add(e);
            }
        }
        return out;
    }

    /** A deep copy, for snapshots and undo. */
    public NetworkGraph copy() {
        NetworkGraph g = new NetworkGraph();
        nodes.values().forEach(n -> g.nodes.put(n.id(), n.copy()));
        g.edges.addAll(edges);
        return g;
    }

    /** An id not used yet, made from {@code base} ({@code conv}, {@code conv2}, ...). */
    public String freshId(String base) {
        if (!nodes.containsKey(base)) {
            return base;
        }
        for (int i = 2; ; i++) {
            if (!nodes.containsKey(base + i)) {
                return base + i;
            }
        }
    }
}
