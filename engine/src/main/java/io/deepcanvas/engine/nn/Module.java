package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of every layer and network ({@code torch.nn.Module}). Parameters, buffers and child modules are
 * registered by name in order, which gives PyTorch's state-dict names ({@code conv1.weight}) and its
 * {@code print(net)} tree.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Runs the layer. */
    public abstract Tensor forward(Tensor x);

    /** Registers (or replaces) a parameter under {@code name}; null registers nothing (e.g. bias=False). */
    protected final Parameter registerParameter(String name, Parameter p) {
        checkName(name);
        if (p != null) {
            parameters.put(name, p);
        } else {
            parameters.remove(name);
        }
        return p;
    }

    /** Registers persistent state that is not learned, such as BatchNorm's running statistics. */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers a child module under {@code name} ({@code self.name = module} in PyTorch). */
    public final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name '" + name + "' must be non-empty and contain no "
                    + "'.'");
        }
    }

    /** Every parameter of this module and its children, in registration order ({@code parameters()}). */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name ({@code named_parameters()}). */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out) {
        parameters.forEach((k, v) -> out.putIfAbsent(prefix + k, v));
        children.forEach((k, m) -> m.collectParameters(prefix + k + ".", out));
    }

    /** Direct children by name ({@code named_children()}). */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all below it by dotted name, this one first under "" ({@code named_modules()}). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), this);
        children.forEach((k, m) -> m.collectModules(prefix + k + ".", out));
    }

    /** Parameters and buffers by dotted name ({@code state_dict()}); the tensors are shared, not copied. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collectState(prefix + k + ".", out));
    }

    /**
     * Copies values into this module's parameters and buffers ({@code load_state_dict}). With {@code strict}, every
     * name must be present and none extra; shapes must always match. Nothing is changed if any check fails.
     * PyTorch's {@code num_batches_tracked} counters are accepted and ignored.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), wrongShape = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.shape().equals(e.getValue().shape())) {
                wrongShape.add(e.getKey() + ": checkpoint " + src.shape() + ", model " + e.getValue().shape());
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k) && !k.endsWith("num_batches_tracked")) {
                unexpected.add(k);
            }
        }
        if (!wrongShape.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state_dict for " + getClass().getSimpleName()
                    + ":");
            if (!missing.isEmpty()) {
                sb.append("\n  Missing key(s): ").append(String.join(", ", missing));
            }
            if (!unexpected.isEmpty()) {
                sb.append("\n  Unexpected key(s): ").append(String.join(", ", unexpected));
            }
            for (String w : wrongShape) {
                sb.append("\n  size mismatch for ").append(w);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        try (NoGrad ignored = GradMode.noGrad()) {
            own.forEach((k, t) -> {
                Tensor src = state.get(k);
                if (src != null) {
                    t.copy_(src);
                }
            });
        }
    }

    /** Sets every parameter's gradient to null ({@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        for (Parameter p : parameters()) {
            p.releaseGrad();
        }
    }

    /** Training mode (dropout active, batch statistics) for this module and its children; returns this. */
    public Module train() {
        return train(true);
    }

    public Module train(boolean mode) {
        training = mode;
        children.values().forEach(m -> m.train(mode));
        return this;
    }

    /** Evaluation mode ({@code eval()}). */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Total number of learnable values. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** The hyperparameters shown inside the parentheses of {@link #toString()} ({@code extra_repr()}). */
    protected String extraRepr() {
        return "";
    }

    /** The name printed for this module; the class name unless a subclass knows better. */
    protected String moduleName() {
        return getClass().getSimpleName();
    }

    /** Prints like PyTorch's {@code print(net)}: the module tree with each layer's hyperparameters. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(moduleName()).append('(');
        String extra = extraRepr();
        if (children.isEmpty()) {
            return sb.append(extra).append(')').toString();
        }
        sb.append('\n');
        if (!extra.isEmpty()) {
            sb.append("  ").append(extra.replace("\n", "\n  ")).append('\n');
        }
        children.forEach((name, m) -> sb.append("  (").append(name).append("): ")
                .append(m.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }
}
