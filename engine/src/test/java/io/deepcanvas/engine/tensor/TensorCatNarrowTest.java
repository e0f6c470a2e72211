package io.deepcanvas.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code Tensor.cat} and {@code Tensor.narrow}, which the graph's Concat node needs. */
class TensorCatNarrowTest {

    @Test
    void catJoinsAlongAnyDimension() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.fromArray(new float[] {7, 8, 9, 10}, 2, 2);
        Tensor c = Tensor.cat(1, a, b);
        assertEquals(Shape.of(2, 5), c.shape());
        assertArrayEquals(new float[] {1, 2, 3, 7, 8, 4, 5, 6, 9, 10}, c.toArray());
        Tensor rows = Tensor.cat(0, a, Tensor.fromArray(new float[] {0, 0, 0}, 1, 3));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0, 0}, rows.toArray());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6, 7, 9, 8, 10}, Tensor.cat(-2, a.t(), b.t()).toArray(),
                "non-contiguous inputs are read through their strides");
    }

    @Test
    void catGradientIsTheSliceOfEachInput() {
        Tensor a = Tensor.randn(2, 3).requiresGrad(true);
        Tensor b = Tensor.randn(2, 1).requiresGrad(true);
        Tensor w = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        Tensor c = Tensor.cat(1, a, b);
        assertEquals("CatBackward0", c.gradFn().name());
        c.mul(w).sum().backward();
        assertArrayEquals(new float[] {1, 2, 3, 5, 6, 7}, a.grad().toArray());
        assertArrayEquals(new float[] {4, 8}, b.grad().toArray());
    }

    @Test
    void catNamesTheMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.cat(1, Tensor.zeros(2, 3), Tensor.zeros(3, 3)));
        assertEquals("cat: sizes of tensors must match except in dimension 1, but tensor 1 has shape [3, 3] and "
                + "tensor 0 has shape [2, 3]", e.getMessage());
    }

    @Test
    void narrowIsAViewWhoseGradientIsZeroOutsideTheSlice() {
        Tensor x = Tensor.arange(12).reshape(3, 4).detach().requiresGrad(true);
        Tensor n = x.narrow(1, 1, 2);
        assertEquals(Shape.of(3, 2), n.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, n.toArray());
        n.mul(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2)).sum().backward();
        assertArrayEquals(new float[] {0, 1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0}, x.grad().toArray());
        assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 3, 2));
    }
}
