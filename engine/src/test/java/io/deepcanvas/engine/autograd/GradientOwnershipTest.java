package io.deepcanvas.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.deepcanvas.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A leaf takes a gradient buffer as its grad without copying only when nothing else holds it: never the buffer
 * a rule hands to two inputs (AddBackward0) nor the caller's gradient. Otherwise a later in-place accumulation
 * into one leaf's grad would change another's, or the caller's tensor.
 */
class GradientOwnershipTest {
    @Test
    void twoLeavesFedTheSameGradientGetTheirOwnBuffers() {
        Tensor a = Tensor.wrap(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.wrap(new float[] {4, 5, 6}, 3).requiresGrad(true);
        Tensor w = Tensor.wrap(new float[] {7, 8, 9}, 3);
        a.add(b).mul(w).sum().backward();
        a.sum().backward();
        assertArrayEquals(new float[] {8, 9, 10}, a.grad().toArray());
        assertArrayEquals(new float[] {7, 8, 9}, b.grad().toArray());
    }

    @Test
    void theCallersGradientIsNeverTakenOver() {
        Tensor a = Tensor.wrap(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor gradient = Tensor.wrap(new float[] {3, 4}, 2);
        a.add(0f).backward(gradient);
        a.sum().backward();
        assertArrayEquals(new float[] {4, 5}, a.grad().toArray());
        assertArrayEquals(new float[] {3, 4}, gradient.toArray());
    }
}
