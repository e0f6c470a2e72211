package io.deepcanvas.engine.autograd;

import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Counts, during one backward pass, the references to each gradient buffer, so a buffer whose last reference has
 * been consumed goes back to its backend for reuse (see {@code Backend.recycle}).
 *
 * <p>A gradient tensor of the backward pass lives only inside the engine: it is created by a backward rule,
 * waits in the pending map for the function it feeds, and is dead once that function has run — unless a leaf
 * keeps it as its {@code grad} or the caller passed it in, which {@link #keep} marks. Rules may hand the incoming
 * gradient on as it is or as a view ({@code AddBackward0}, {@code ViewBackward0}), and one buffer may then be
 * pending for several functions, which is why buffers, not tensors, are counted.
 */
final class GradientBuffers {
    private final Map<Buffer, int[]> holds = new IdentityHashMap<>();
    private final Set<Buffer> kept = Collections.newSetFromMap(new IdentityHashMap<>());

    /** One more reference to {@code t}'s buffer. */
    void hold(Tensor t) {
        holds.computeIfAbsent(t.buffer(), b -> new int[1])[0]++;
    }

    /** {@code t}'s buffer outlives the backward pass: never recycled. */
    void keep(Tensor t) {
        kept.add(t.buffer());
    }

    /** Whether {@code t} holds the only reference to its buffer, and the buffer is the engine's to give away. */
    boolean soleHolder(Tensor t) {
        int[] count = holds.get(t.buffer());
        return count != null && count[0] == 1 && !kept.contains(t.buffer());
    }

    /** One reference to {@code t}'s buffer is gone; the last one recycles it. */
    void release(Tensor t) {
        Buffer b = t.buffer();
        int[] count = holds.get(b);
        if (count == null) {
            throw new IllegalStateException("gradient buffer released more often than held");
        }
        if (--count[0] == 0) {
            holds.remove(b);
            if (!kept.contains(b)) {
                b.backend().recycle(b);
            }
        }
    }
}
