package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.nn.Functional;
import io.deepcanvas.engine.nn.Intermediates;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MaxPool2d;
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
     * Per step: for a Linear whose value only a ReLU reads, that ReLU's step; for that ReLU, the Linear's step; else
     * -1. {@code forward} runs such a pair as one {@link Functional#linearRelu} (same values and gradients, one pass
     * over the activation fewer); {@code forwardAll}, which shows every node's own value, runs them apart.
     */
    private final int[] fusedWith;
    /**
     * Per step: for a ReLU whose value only a MaxPool2d reads, that pool's step; for that pool, the ReLU's step;
     * else -1. {@code forward} pools first and applies the ReLU to the pooled values, as Sequential does (the same
     * values and gradients, a quarter of the ReLU's work).
     */
    private final int[] poolBeforeRelu;

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
        int[] none = new int[steps.size()];
        Arrays.fill(none, -1);
        fusedWith = findPairs(Linear.class, ReLU.class, none);
        poolBeforeRelu = findPairs(ReLU.class, MaxPool2d.class, fusedWith);
    }

    /** How many Linear → ReLU pairs {@code forward} runs fused (for tests). */
    int fusedLinearReluPairs() {
        return pairs(fusedWith);
    }

    /** How many ReLU → MaxPool2d pairs {@code forward} runs pool first (for tests). */
    int poolFirstPairs() {
        return pairs(poolBeforeRelu);
    }

    private int pairs(int[] pair) {
        int n = 0;
        for (int i = 0; i < steps.size(); i++) {
            n += pair[i] > i ? 1 : 0;
        }
        return n;
    }

    /**
     * Steps whose module is a {@code first} whose value only a {@code second} reads (and is not the output), paired
     * both ways; steps already in a pair of {@code taken} (≥ 0 there) are left out.
     */
    private int[] findPairs(Class<? extends Module> first, Class<? extends Module> second, int[] taken) {
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
            if (first.isInstance(steps.get(i).module) && readers[i] == 1 && i != outputSlot && taken[i] < 0
                    && second.isInstance(steps.get(j).module) && taken[j] < 0) {
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
            if (fuse && poolBeforeRelu[i] >= 0) {
                if (s.module instanceof ReLU) {
                    // for now the ReLU's input; its pool, later, replaces it with the pooled values
                    values[i] = values[s.inputSlots[0]];
                } else {
                    int relu = poolBeforeRelu[i];
                    values[relu] = s.module.forward(values[s.inputSlots[0]]);
                    values[i] = steps.get(relu).module.forward(values[relu]);
                }
                continue;
            }
            if (fuse && fusedWith[i] >= 0) {
                // the Linear computes its ReLU's value too; the ReLU, later, passes it on
                values[i] = s.module instanceof Linear linear ? Functional.linearRelu(values[s.inputSlots[0]],
                        linear.weight, linear.bias) : values[fusedWith[i]];
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
