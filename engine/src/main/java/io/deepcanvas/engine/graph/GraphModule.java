package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.nn.Intermediates;
import io.deepcanvas.engine.nn.LayerFusion;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network compiled from a graph by {@link GraphCompiler}: an {@code nn.Module} whose children are the layers
 * registered under their labels (so parameters are {@code conv1.weight}, as in PyTorch), whose {@code forward} runs
 * the nodes in topological order, and which prints like {@code print(net)}.
 */
public final class GraphModule extends Module {
    private final String name;
    private final ShapeReport report;
    private final List<Step> steps = new ArrayList<>();
    private final int outputSlot;
    /**
     * Per step: the other step of its {@link LayerFusion} pair (a node whose value only the pair's second node
     * reads), else -1. {@code forward} runs a pair as one; {@code forwardAll}, which shows every node's own value,
     * runs them apart.
     */
    private final int[] fusedWith;

    /** One node to run: its info, its module (null for Input and the merges) and where its inputs are. */
    private record Step(NodeInfo node, Module module, int[] inputSlots) {
    }

    GraphModule(String name, ShapeReport report) {
        this.name = name;
        this.report = report;
        Map<String, Integer> slot = new HashMap<>();
        for (String id : report.order()) {
            NodeInfo info = report.info(id);
            Module m = info.type().createModule(info.params(), info.inputShapes());
            if (m != null) {
                registerModule(info.label(), m);
            }
            int[] inputs = new int[info.inputs().size()];
            for (int p = 0; p < inputs.length; p++) {
                inputs[p] = slot.get(info.inputs().get(p));
            }
            slot.put(id, steps.size());
            steps.add(new Step(info, m, inputs));
        }
        outputSlot = slot.get(report.outputId());
        fusedWith = findFusedPairs();
    }

    /** How many Linear → ReLU pairs {@code forward} runs as one (for tests). */
    int fusedLinearReluPairs() {
        return pairsStartingWith(Linear.class);
    }

    /** How many ReLU → MaxPool2d pairs {@code forward} runs pool first (for tests). */
    int poolFirstPairs() {
        return pairsStartingWith(ReLU.class);
    }

    private int pairsStartingWith(Class<? extends Module> first) {
        int n = 0;
        for (int i = 0; i < steps.size(); i++) {
            n += fusedWith[i] > i && first.isInstance(steps.get(i).module) ? 1 : 0;
        }
        return n;
    }

    /**
     * Pairs, in running order, each step that is not the output and whose value one step alone reads with that
     * reader when {@link LayerFusion} runs the two as one; a step is in one pair at most (Linear → ReLU → MaxPool2d
     * pairs the Linear and the ReLU, which comes first).
     */
    private int[] findFusedPairs() {
        int[] readers = new int[steps.size()], lastReader = new int[steps.size()], pair = new int[steps.size()];
        Arrays.fill(pair, -1);
        for (int i = 0; i < steps.size(); i++) {
            for (int in : steps.get(i).inputSlots) {
                readers[in]++;
                lastReader[in] = i;
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            int j = lastReader[i];
            Module first = steps.get(i).module, second = steps.get(j).module;
            if (readers[i] == 1 && i != outputSlot && pair[i] < 0 && pair[j] < 0 && first != null && second != null
                    && LayerFusion.fuses(first, second)) {
                pair[i] = j;
                pair[j] = i;
            }
        }
        return pair;
    }

    /** The shape report it was compiled from: shapes, counts and the running order. */
    public ShapeReport report() {
        return report;
    }

    /** The module of node {@code nodeId}, or null for nodes that have none (Input, Add, Concat). */
    public Module module(String nodeId) {
        for (Step s : steps) {
            if (s.node.id().equals(nodeId)) {
                return s.module;
            }
        }
        throw new IllegalArgumentException("no node '" + nodeId + "' in " + name);
    }

    /** Runs the network on a batch shaped [batch, ...the Input's shape] and returns the output node's value. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor[] values = run(x, true);
        Tensor out = values[outputSlot];
        Intermediates.release(x, out, values);
        return out;
    }

    /**
     * Runs the network and returns every node's activation by node id, in running order (for the editor's
     * feature-map view).
     */
    public Map<String, Tensor> forwardAll(Tensor x) {
        Tensor[] values = run(x, false);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            out.put(steps.get(i).node.id(), values[i]);
        }
        return out;
    }

    private Tensor[] run(Tensor x, boolean fuse) {
        Shape expected = report.info(report.inputId()).outputShape();
        if (x.dim() != expected.rank() + 1 || !x.shape().without(0).equals(expected)) {
            throw new IllegalArgumentException(name + " expects a batch of shape [batch, " + expected.toString()
                    .substring(1) + " but got " + x.shape() + ": the Input node '" + report.inputId() + "' has shape "
                    + expected + (x.dim() == expected.rank() ? "; add a batch dimension with unsqueeze(0)" : ""));
        }
        Tensor[] values = new Tensor[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.node.type().isInput()) {
                values[i] = x;
                continue;
            }
            if (fuse && fusedWith[i] > i) {
                // the first of a pair runs both; its second, later, finds its value here (nothing reads it sooner)
                Tensor[] made = LayerFusion.run(s.module, steps.get(fusedWith[i]).module, values[s.inputSlots[0]]);
                values[i] = made[0] != null ? made[0] : made[1];
                values[fusedWith[i]] = made[1];
                continue;
            }
            if (fuse && fusedWith[i] >= 0) {
                continue;
            }
            List<Tensor> inputs = new ArrayList<>(s.inputSlots.length);
            for (int slot : s.inputSlots) {
                inputs.add(values[slot]);
            }
            values[i] = s.node.type().forward(s.module, s.node.params(), inputs);
        }
        return values;
    }

    @Override
    protected String moduleName() {
        return name;
    }
}
