package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@link ShapeInference}: per node its output shape, parameter and multiply-accumulate counts, every
 * problem found, the totals and the order the network runs in. Immutable; shapes exclude the batch dimension.
 */
public final class ShapeReport {
    private final Map<String, NodeInfo> nodes;
    private final List<Problem> problems;
    private final List<String> order;
    private final String inputId;
    private final String outputId;
    private final long totalParameters;
    private final long totalMacs;

    ShapeReport(Map<String, NodeInfo> nodes, List<Problem> problems, List<String> order, String inputId,
                String outputId) {
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        this.problems = List.copyOf(problems);
        this.order = List.copyOf(order);
        this.inputId = inputId;
        this.outputId = outputId;
        long params = 0, macs = 0;
        for (NodeInfo n : nodes.values()) {
            params += n.parameters();
            macs += n.macs();
        }
        this.totalParameters = params;
        this.totalMacs = macs;
    }

    /** Whether the network can be trained: no problems at all. */
    public boolean isValid() {
        return problems.isEmpty();
    }

    /**
     * Whether the graph makes a module (compiles, exports as code): no problems but perhaps a
     * {@link Problem.Kind#CLASS_COUNT}, which only stops training on the data set, so the code of a network still
     * being built can be shown.
     */
    public boolean compiles() {
        for (Problem p : problems) {
            if (p.kind() != Problem.Kind.CLASS_COUNT) {
                return false;
            }
        }
        return true;
    }

    /** Every problem, grouped by node in running order; graph-level problems first. */
    public List<Problem> problems() {
        return problems;
    }

    /** The problems tied to one node (any port). */
    public List<Problem> problemsAt(String nodeId) {
        List<Problem> out = new ArrayList<>();
        for (Problem p : problems) {
            if (nodeId.equals(p.nodeId())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Info for each node whose output shape is known, in running order. */
    public Map<String, NodeInfo> nodes() {
        return nodes;
    }

    /** Info for one node, or null where its shape is unknown (it or something before it has a problem). */
    public NodeInfo info(String nodeId) {
        return nodes.get(nodeId);
    }

    /** The node's output shape without the batch, or null where unknown. */
    public Shape outputShape(String nodeId) {
        NodeInfo n = nodes.get(nodeId);
        return n == null ? null : n.outputShape();
    }

    /**
     * Node ids in a running (topological) order; ties keep the graph's insertion order. Nodes on or after a cycle
     * are left out.
     */
    public List<String> order() {
        return order;
    }

    /** The Input node's id, or null if there is none. */
    public String inputId() {
        return inputId;
    }

    /** The node whose output is the network's output (the last one nothing consumes), or null if unknown. */
    public String outputId() {
        return outputId;
    }

    /** Learnable values of all nodes with known shapes. */
    public long totalParameters() {
        return totalParameters;
    }

    /** Multiply-accumulates of one sample's forward pass over all nodes with known shapes. */
    public long totalMacs() {
        return totalMacs;
    }

    /**
     * A table like torchinfo's summary: one row per node with type, output shape and parameter count, then totals
     * and problems.
     */
    public String summary() {
        // Locale.ROOT: thousands separators are commas whatever the machine's language
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %-18s %14s%n", "Layer (type)",
                "Output shape", "Param #"));
        for (NodeInfo n : nodes.values()) {
            sb.append(String.format(Locale.ROOT, "%-24s %-18s %,14d%n", n.label() + " (" + n.type().name() + ")",
                    n.outputShape(), n.parameters()));
        }
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nMult-adds per sample: %,d%n", totalParameters,
                totalMacs));
        for (Problem p : problems) {
            sb.append("Problem: ").append(p.message()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
