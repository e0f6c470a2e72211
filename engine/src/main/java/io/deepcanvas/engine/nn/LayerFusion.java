package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * Pairs of adjacent layers that a container runs as one, with the same values and gradients to the bit as running
 * them apart — the one place to add a fusion. {@link Sequential} applies it to neighbouring children and
 * {@code GraphModule.forward} to a node whose value only the next node of a pair reads, so nothing outside sees
 * the value between the two. (The editor's per-node view, {@code GraphModule.forwardAll}, runs every node apart.)
 * <ul>
 * <li>Linear then ReLU: one {@link Functional#linearRelu}, the ReLU applied as the product is written — one pass
 * over the activation and one buffer fewer;
 * <li>ReLU then MaxPool2d: the pool, then the ReLU — the maximum of ReLUs is the ReLU of the maximum, and a window
 * with no positive value gives zero gradient either way — so the ReLU and its backward touch a quarter of the
 * values.
 * </ul>
 */
public final class LayerFusion {
    private LayerFusion() {
    }

    /** Whether {@code first} followed by {@code second}, which reads only first's output, runs as one. */
    public static boolean fuses(Module first, Module second) {
        return first instanceof Linear && second instanceof ReLU || first instanceof ReLU && second instanceof MaxPool2d;
    }

    /**
     * Runs the pair on {@code x}: {the value made between the two (an inner activation, to be recycled as such), or
     * null when there is none; the pair's output}.
     */
    public static Tensor[] run(Module first, Module second, Tensor x) {
        if (first instanceof Linear linear && second instanceof ReLU) {
            return new Tensor[] {null, Functional.linearRelu(x, linear.weight, linear.bias)};
        }
        if (first instanceof ReLU && second instanceof MaxPool2d) {
            Tensor pooled = second.forward(x);
            return new Tensor[] {pooled, first.forward(pooled)};
        }
        throw new IllegalArgumentException(first.getClass().getSimpleName() + " then "
                + second.getClass().getSimpleName() + " do not run as one: check LayerFusion.fuses first");
    }
}
