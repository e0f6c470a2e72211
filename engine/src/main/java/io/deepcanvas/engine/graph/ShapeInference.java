package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.graph.Problem.Kind;
import io.deepcanvas.engine.tensor.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Works out, for a {@link NetworkGraph}, every node's output shape (without the batch dimension), parameter count
 * and multiply-accumulates, and every problem that keeps it from being a runnable network, each tied to its node and
 * port with a message that names the fix. Several problems are all reported; a node downstream of a broken one is
 * skipped without a message of its own, so one mistake gives one problem.
 *
 * <p>It runs after every edit, so it only does int arithmetic on shapes: no tensors, about a microsecond per node.
 * The PyTorch equivalent is running a dummy batch through the model, which this replaces.
 */
public final class ShapeInference {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Python keywords and nn.Module attributes a layer attribute must not shadow. */
    private static final Set<String> RESERVED = Set.of("False", "None", "True", "and", "as", "assert", "async",
            "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
            "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
            "while", "with", "yield", "self", "forward", "training", "train", "eval", "parameters", "children",
            "modules", "state_dict", "to", "cuda", "cpu", "type", "float", "double", "half", "apply", "zero_grad");

    private final List<Node> nodes;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<List<Edge>> in = new ArrayList<>();
    private final List<List<Integer>> out = new ArrayList<>();
    private final LayerType[] types;
    private final LayerParams[] params;
    /** Nodes with a problem of their own: no shape, and the nodes after them stay quiet. */
    private final boolean[] broken;
    private final List<Problem> problems = new ArrayList<>();

    private ShapeInference(NetworkGraph graph) {
        this.nodes = new ArrayList<>(graph.nodes());
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).id(), i);
            in.add(new ArrayList<>(2));
            out.add(new ArrayList<>(2));
        }
        for (Edge e : graph.edges()) {
            in.get(index.get(e.to())).add(e);
            out.get(index.get(e.from())).add(index.get(e.to()));
        }
        for (List<Edge> edges : in) {
            edges.sort(Comparator.comparingInt(Edge::toPort));
        }
        types = new LayerType[n];
        params = new LayerParams[n];
        broken = new boolean[n];
    }

    /** Infers shapes and finds problems; never throws for a malformed graph, it reports. */
    public static ShapeReport infer(NetworkGraph graph) {
        return new ShapeInference(graph).run();
    }

    private ShapeReport run() {
        int n = nodes.size();
        resolveTypesAndParams();
        checkLabels();
        int input = findInput();
        List<Integer> order = topologicalOrder();
        boolean[] reached = reachableFrom(input);

        Shape[] shapes = new Shape[n];
        Map<String, NodeInfo> infos = new LinkedHashMap<>();
        for (int i : order) {
            NodeInfo info = inferNode(i, input >= 0, reached[i], shapes);
            if (info != null) {
                shapes[i] = info.outputShape();
                infos.put(info.id(), info);
            }
        }
        int output = findOutput(order, reached, input);
        if (output >= 0 && shapes[output] != null) {
            checkClassCount(input, output, infos);
        }

        // report in running order: graph-level first, then by node position
        int[] position = new int[n];
        Arrays.fill(position, Integer.MAX_VALUE);
        for (int k = 0; k < order.size(); k++) {
            position[order.get(k)] = k;
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingLong(p -> p.nodeId() == null ? -1L
                : (long) position[index.get(p.nodeId())] * n + index.get(p.nodeId())));
        List<String> ids = new ArrayList<>(order.size());
        for (int i : order) {
            ids.add(nodes.get(i).id());
        }
        return new ShapeReport(infos, sorted, ids, input >= 0 ? nodes.get(input).id() : null,
                output >= 0 ? nodes.get(output).id() : null);
    }

    // ---- per node ----------------------------------------------------------------------------------------------

    private void resolveTypesAndParams() {
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            LayerType type = LayerTypes.find(node.type()).orElse(null);
            if (type == null) {
                report(Kind.UNKNOWN_LAYER_TYPE, i, -1, "'" + node.id() + "': "
                        + LayerTypes.unknownMessage(node.type()));
                continue;
            }
            types[i] = type;
            List<String> errors = new ArrayList<>(0);
            params[i] = type.resolve(node.id(), node.params(), errors);
            for (String e : errors) {
                report(Kind.INVALID_PARAMETER, i, -1, where(i) + ": " + e);
            }
        }
    }

    private void checkLabels() {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String label = nodes.get(i).label();
            if (!IDENTIFIER.matcher(label).matches() || RESERVED.contains(label)) {
                // only the compile and the export need labels, so the shapes still flow
                problems.add(Problem.atNode(Kind.INVALID_LABEL, nodes.get(i).id(), where(i) + ": label '" + label
                        + "' cannot name a PyTorch attribute: use letters, digits and _ (not first a digit), and no "
                        + "Python keyword or nn.Module attribute, e.g. '" + suggestLabel(label) + "'"));
            } else if (seen.containsKey(label)) {
                problems.add(Problem.atNode(Kind.INVALID_LABEL, nodes.get(i).id(), where(i) + ": label '" + label
                        + "' is already used by '" + nodes.get(seen.get(label)).id() + "': labels name the parameters ("
                        + label + ".weight) and must be unique; rename one"));
            } else {
                seen.put(label, i);
            }
        }
    }

    private static String suggestLabel(String label) {
        String s = label.replaceAll("[^A-Za-z0-9_]", "_");
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "layer_" + s;
        }
        return RESERVED.contains(s) ? s + "1" : s;
    }

    /** The first Input node; later ones are reported. Returns -1 (and reports) when there is none. */
    private int findInput() {
        int input = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (types[i] != null && types[i].isInput()) {
                if (input < 0) {
                    input = i;
                } else {
                    report(Kind.EXTRA_INPUT_NODE, i, -1, where(i) + ": the network already has an Input ('"
                            + nodes.get(input).id() + "'); a network has one: delete '" + nodes.get(i).id() + "'");
                }
            }
        }
        if (input < 0) {
            problems.add(Problem.atNode(Kind.NO_INPUT_NODE, null, "the network has no Input node: add one from the "
                    + "palette and connect it to the first layer"));
        }
        return input;
    }

    /** Shape, counts and port checks for one node, or null (after reporting, unless the cause is upstream). */
    private NodeInfo inferNode(int i, boolean hasInput, boolean reached, Shape[] shapes) {
        Node node = nodes.get(i);
        List<Edge> edges = in.get(i);
        if (!reached) {
            // an unreached node fed by others is downstream of the unreached one that gets the message; a bad
            // parameter is a separate mistake, so both are said
            if (hasInput && edges.isEmpty() && types[i] != null && !types[i].isInput()) {
                report(Kind.NOT_CONNECTED, i, -1, types[i].name() + " '" + node.id()
                        + "' is not connected to the input: draw an edge into it from the layer before it, or "
                        + "delete it");
            }
            return null;
        }
        if (broken[i]) {
            return null;
        }
        LayerType type = types[i];
        if (!checkPorts(i, type, edges)) {
            return null;
        }
        List<Shape> inShapes = new ArrayList<>(edges.size());
        List<String> inIds = new ArrayList<>(edges.size());
        for (Edge e : edges) {
            Shape s = shapes[index.get(e.from())];
            if (s == null) {
                return null;
            }
            inShapes.add(s);
            inIds.add(e.from());
        }
        Shape outShape;
        try {
            outShape = type.outputShape(params[i], inShapes);
        } catch (ShapeError e) {
            report(Kind.SHAPE_MISMATCH, i, e.port(), where(i) + ": " + e.getMessage());
            return null;
        }
        return new NodeInfo(node.id(), node.label(), type, params[i], inIds, inShapes, outShape,
                type.parameterCount(params[i], inShapes), type.macs(params[i], inShapes, outShape));
    }

    /** Reports ports that are missing or that the layer does not have; true when the wiring is complete. */
    private boolean checkPorts(int i, LayerType type, List<Edge> edges) {
        boolean ok = true;
        int last = edges.isEmpty() ? -1 : edges.get(edges.size() - 1).toPort();
        for (Edge e : edges) {
            if (e.toPort() >= type.maxInputs()) {
                report(Kind.EXTRA_INPUT_EDGE, i, e.toPort(), where(i) + (type.maxInputs() == 0 ? " takes no inputs"
                        : " takes " + (type.maxInputs() == 1 ? "one input" : type.maxInputs() + " inputs"))
                        + " but input " + e.toPort() + " is connected (from '" + e.from() + "'): remove that edge");
                ok = false;
            }
        }
        int needed = Math.min(Math.max(last + 1, type.minInputs()), type.maxInputs());
        int k = 0;
        for (int port = 0; port < needed; port++) {
            while (k < edges.size() && edges.get(k).toPort() < port) {
                k++;
            }
            if (k >= edges.size() || edges.get(k).toPort() != port) {
                report(Kind.MISSING_INPUT_EDGE, i, port, where(i) + ": input " + port + " is not connected"
                        + (type.minInputs() > 1 ? " (" + type.name() + " needs at least " + type.minInputs()
                        + " inputs)" : "") + ": draw an edge into it");
                ok = false;
            }
        }
        return ok;
    }

    // ---- graph structure ---------------------------------------------------------------------------------------

    /** Kahn's algorithm, ties broken by insertion order; nodes on or after a cycle are left out and reported. */
    private List<Integer> topologicalOrder() {
        int n = nodes.size();
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) {
            indegree[i] = in.get(i).size();
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(i);
            for (int j : out.get(i)) {
                if (--indegree[j] == 0) {
                    ready.add(j);
                }
            }
        }
        if (order.size() < n) {
            reportCycles(indegree);
        }
        return order;
    }

    /**
     * Every node left after Kahn's algorithm has a predecessor that is also left, so walking predecessors from any
     * of them ends on a cycle. Nodes that only follow a cycle lead to one already found and get no message.
     */
    private void reportCycles(int[] indegree) {
        int n = nodes.size();
        boolean[] handled = new boolean[n];
        for (int start = 0; start < n; start++) {
            if (indegree[start] == 0 || handled[start]) {
                continue;
            }
            Map<Integer, Integer> walk = new LinkedHashMap<>();
            int cur = start;
            while (!handled[cur] && !walk.containsKey(cur)) {
                walk.put(cur, walk.size());
                int next = -1;
                for (Edge e : in.get(cur)) {
                    int p = index.get(e.from());
                    if (indegree[p] > 0) {
                        next = p;
                        break;
                    }
                }
                cur = next;
            }
            List<Integer> path = new ArrayList<>(walk.keySet());
            if (!handled[cur]) {
                // walked backwards, so reverse to follow the edges' direction
                List<Integer> cycle = new ArrayList<>(path.subList(walk.get(cur), path.size()));
                Collections.reverse(cycle);
                int first = cycle.indexOf(Collections.min(cycle));
                Collections.rotate(cycle, -first);
                StringBuilder names = new StringBuilder();
                for (int c : cycle) {
                    names.append("'").append(nodes.get(c).id()).append("' → ");
                    broken[c] = true;
                }
                names.append("'").append(nodes.get(cycle.get(0)).id()).append("'");
                report(Kind.CYCLE, cycle.get(0), -1, names + " form a cycle: data must flow one way from the input; "
                        + "remove one of these edges");
            }
            path.forEach(p -> handled[p] = true);
        }
    }

    private boolean[] reachableFrom(int input) {
        boolean[] reached = new boolean[nodes.size()];
        if (input < 0) {
            return reached;
        }
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        todo.add(input);
        reached[input] = true;
        while (!todo.isEmpty()) {
            for (int j : out.get(todo.poll())) {
                if (!reached[j]) {
                    reached[j] = true;
                    todo.add(j);
                }
            }
        }
        return reached;
    }

    /** The last reached node nothing consumes; other such nodes are dead ends and reported. */
    private int findOutput(List<Integer> order, boolean[] reached, int input) {
        if (input < 0) {
            return -1;
        }
        List<Integer> sinks = new ArrayList<>();
        for (int i : order) {
            if (reached[i] && out.get(i).isEmpty()) {
                sinks.add(i);
            }
        }
        if (sinks.isEmpty()) {
            return -1;
        }
        int output = sinks.get(sinks.size() - 1);
        for (int s : sinks.subList(0, sinks.size() - 1)) {
            report(Kind.DEAD_END, s, -1, where(s) + ": its output is used by nothing, but the network has one output ('"
                    + nodes.get(output).id() + "'): connect '" + nodes.get(s).id() + "' onward or delete it");
        }
        return output;
    }

    /** The output must have one value per class of the Input's data set: CrossEntropyLoss needs it. */
    private void checkClassCount(int input, int output, Map<String, NodeInfo> infos) {
        String dataset = params[input].getString("dataset");
        String id = nodes.get(output).id();
        String message = ClassCount.mismatch(where(output), infos.get(id).outputShape(), ClassCount.of(dataset),
                dataset, ClassCount.lastLinear(infos, id));
        if (message != null) {
            problems.add(Problem.atNode(Kind.CLASS_COUNT, id, message));
        }
    }

    // ---- reporting ---------------------------------------------------------------------------------------------

    /** {@code Conv2d 'conv1'}, or {@code 'conv1'} when the type is unknown. */
    private String where(int i) {
        return (types[i] != null ? types[i].name() + " " : "") + "'" + nodes.get(i).id() + "'";
    }

    /** Records a problem that breaks the node: it gets no shape and the nodes after it stay quiet. */
    private void report(Kind kind, int i, int port, String message) {
        broken[i] = true;
        problems.add(new Problem(kind, nodes.get(i).id(), port, message));
    }
}
