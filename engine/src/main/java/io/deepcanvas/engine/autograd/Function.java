package io.deepcanvas.engine.autograd;

import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One recorded operation in the autograd graph: PyTorch's {@code grad_fn}. It knows its inputs and the rule that
 * turns the gradient of its output into gradients of those inputs. Its {@link #name()} follows PyTorch
 * ({@code AddmmBackward0}, {@code ConvolutionBackward0}) so tutorials that walk {@code next_functions} read the same.
 *
 * <p>Each differentiable op in {@code Tensor} and {@code Functional} builds its output and, right beside it,
 * its Function, so the forward and backward rule of a primitive sit together.
 */
public class Function {
    /** The backward rule: gradient of the output → one gradient per input (null where an input needs none). */
    @FunctionalInterface
    public interface Rule {
        Tensor[] backward(Tensor gradOutput);
    }

    private final String name;
    private final Tensor[] inputs;
    private Rule rule;
    /** Buffers only this node's rule still needs (or nobody but the graph holds): recycled when it is released. */
    private Buffer[] recycleOnRelease = new Buffer[0];

    public Function(String name, Rule rule, Tensor... inputs) {
        this.name = name;
        this.rule = rule;
        this.inputs = inputs;
    }

    /** PyTorch's name for this node, e.g. {@code AddmmBackward0}. */
    public String name() {
        return name;
    }

    /**
     * The functions gradients flow to next, one per input, like PyTorch's {@code next_functions}: the input's own
     * grad_fn, an {@link AccumulateGrad} for a leaf that requires grad, or null for an input without grad.
     */
    public List<Function> nextFunctions() {
        List<Function> next = new ArrayList<>(inputs.length);
        for (Tensor t : inputs) {
            next.add(t == null ? null : t.gradFn() != null ? t.gradFn()
                    : t.requiresGrad() ? t.gradAccumulator() : null);
        }
        return Collections.unmodifiableList(next);
    }

    Tensor[] inputs() {
        return inputs;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (rule == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (" + name
                    + "): its saved values were freed after the first backward(). Call backward(true) "
                    + "(retain_graph=True) the first time if you need to backward twice.");
        }
        return rule.backward(gradOutput);
    }

    /**
     * Hands {@code b} back to its backend when this node is released after its backward: for values saved for the
     * backward only (max-pooling indices) and activations that nothing outside the graph can see (see
     * {@code nn.Intermediates}). Every consumer of this node's output runs its backward before this node does.
     */
    public void recycleOnRelease(Buffer b) {
        Buffer[] more = java.util.Arrays.copyOf(recycleOnRelease, recycleOnRelease.length + 1);
        more[recycleOnRelease.length] = b;
        recycleOnRelease = more;
    }

    /** Drops the saved values so the graph cannot be walked again (PyTorch frees them after backward). */
    void release() {
        rule = null;
        for (Buffer b : recycleOnRelease) {
            b.backend().recycle(b);
        }
        recycleOnRelease = new Buffer[0];
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
