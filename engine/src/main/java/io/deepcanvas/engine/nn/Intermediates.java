package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Gives the activations inside a container's forward back to the backend once nothing can use them.
 *
 * <p>A network's inner activations (a convolution's output, the ReLU after it) are megabytes each at training
 * batch sizes, and a fresh Java array that size costs more to allocate (zeroing memory that is not in cache) than
 * the layer that fills it. The caller of {@code forward} sees only the output, so the layers in between own their
 * activations outright: with autograd on, each is recycled when the node that made it is released after backward
 * (by then every consumer has used it); with autograd off, at the end of the forward. The next step's
 * activations then reuse the same, still cached, memory — as PyTorch's allocator does.
 *
 * <p>Never recycled: the input, the output, anything sharing storage with either (a Flatten view of the last
 * activation, a Dropout that returns its input), tensors that are views of other storage, and leaves
 * (parameters). Activations a caller wants to keep come from {@code GraphModule.forwardAll}, which recycles
 * nothing.
 */
public final class Intermediates {
    private Intermediates() {
    }

    /** {@code produced}: every module's output, in order, the last possibly {@code output} itself. */
    public static void release(Tensor input, Tensor output, Tensor... produced) {
        boolean grad = GradMode.isEnabled();
        Map<Buffer, Tensor> owners = new IdentityHashMap<>();
        for (Tensor t : produced) {
            if (t != null && owns(t) && (grad ? t.gradFn() != null : !t.requiresGrad())) {
                // first come, the maker: a later whole-storage view of it (Flatten) does not register it again
                owners.putIfAbsent(t.buffer(), t);
            }
        }
        owners.remove(input.buffer());
        owners.remove(output.buffer());
        for (Tensor t : owners.values()) {
            recycleAfterBackward(t, t.buffer());
        }
    }

    /**
     * Gives {@code b}, which only the backward of {@code madeBy}'s node can still need, back to its backend once
     * that node has run its backward — or at once when {@code madeBy} has no node (made without autograd).
     */
    static void recycleAfterBackward(Tensor madeBy, Buffer b) {
        if (madeBy.gradFn() != null) {
            madeBy.gradFn().recycleOnRelease(b);
        } else {
            b.backend().recycle(b);
        }
    }

    /** Whether {@code t} is the whole of its storage, so recycling the storage frees exactly this tensor. */
    private static boolean owns(Tensor t) {
        return t.spansWholeBuffer() && !(t instanceof Parameter);
    }
}
