package io.deepcanvas.engine.autograd;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass: a topological order of the graph from the root (iterative, so deep graphs cannot overflow
 * the stack), then one reverse sweep in which gradients of a node used several times add up.
 */
public final class Autograd {
    private Autograd() {
    }

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Function rootFn = root.gradFn();
        if (rootFn == null) {
            if (root.requiresGrad()) {
                root.accumulateGrad(gradient);
                return;
            }
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn: "
                    + "call requiresGrad(true) on the inputs you want gradients for before computing " + root.shape());
        }
        List<Function> order = topologicalOrder(rootFn);
        Map<Function, Tensor> grads = new IdentityHashMap<>();
        grads.put(rootFn, gradient);
        GradientBuffers buffers = new GradientBuffers();
        buffers.keep(gradient);
        buffers.hold(gradient);
        try (NoGrad ignored = GradMode.noGrad()) {
            for (Function fn : order) {
                Tensor g = grads.remove(fn);
                if (g == null) {
                    continue;
                }
                Tensor[] inputGrads = fn.apply(g);
                Tensor[] inputs = fn.inputs();
                // every gradient this rule returned holds its buffer until it is routed below
                for (Tensor gi : inputGrads) {
                    if (gi != null) {
                        buffers.hold(gi);
                    }
                }
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    Tensor gi = i < inputGrads.length ? inputGrads[i] : null;
                    if (gi == null) {
                        continue;
                    }
                    Function next = in == null ? null : in.gradFn();
                    if (next != null) {
                        Tensor pending = grads.get(next);
                        if (pending == null) {
                            grads.put(next, gi);
                            buffers.hold(gi);
                        } else {
                            Tensor sum = pending.add(gi);
                            grads.put(next, sum);
                            buffers.hold(sum);
                            buffers.release(pending);
                        }
                    } else if (in != null && in.requiresGrad()) {
                        // a buffer nothing else holds (not the incoming gradient passed on, not shared with
                        // another input's gradient) becomes the leaf's grad as it is: no copy of a big weight grad
                        if (buffers.soleHolder(gi)) {
                            in.accumulateOwnedGrad(gi);
                        } else {
                            in.accumulateGrad(gi);
                        }
                        if (in.gradForUpdate() != null && in.gradForUpdate().buffer() == gi.buffer()) {
                            buffers.keep(gi);
                        }
                    }
                    buffers.release(gi);
                }
                buffers.release(g);
                if (!retainGraph) {
                    fn.release();
                }
            }
        }
    }

    /** Functions ordered so that each comes before every function it feeds gradients to. */
    static List<Function> topologicalOrder(Function root) {
        List<Function> postOrder = new ArrayList<>();
        Map<Function, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Function fn = (Function) frame[0];
            int i = (Integer) frame[1];
            Tensor[] inputs = fn.inputs();
            if (i < inputs.length) {
                frame[1] = i + 1;
                Tensor in = inputs[i];
                Function next = in == null ? null : in.gradFn();
                if (next != null && visited.put(next, Boolean.TRUE) == null) {
                    stack.push(new Object[] {next, 0});
                }
            } else {
                stack.pop();
                postOrder.add(fn);
            }
        }
        // reverse post-order is a topological order from the root
        java.util.Collections.reverse(postOrder);
        return postOrder;
    }
}
