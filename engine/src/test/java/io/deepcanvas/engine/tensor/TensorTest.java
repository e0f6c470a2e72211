package io.deepcanvas.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.autograd.AccumulateGrad;
import io.deepcanvas.engine.autograd.Function;
import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.nn.Functional;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor creation, views, autograd bookkeeping and the messages bad input gets. */
class TensorTest {
    @Test
    void copyIntoWritesTheRowMajorValuesAtTheIndexAndNothingElse() {
        Tensor t = Tensor.arange(6).view(2, 3).t(); // a strided view: row-major it reads 0 3 1 4 2 5
        float[] dst = {-1, -1, -1, -1, -1, -1, -1, -1};
        t.copyInto(dst, 1);
        assertArrayEquals(new float[] {-1, 0, 3, 1, 4, 2, 5, -1}, dst);
        Tensor.arange(2).view(1, 2).narrow(1, 1, 1).copyInto(dst, 7); // an offset into its storage
        assertEquals(1f, dst[7]);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.copyInto(dst, 3));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.copyInto(dst, -1));
    }

    @Test
    void viewsShareStorageWithTheirBase() {
        Tensor base = Tensor.arange(6);
        Tensor v = base.view(2, 3);
        Tensor t = v.t();
        Tensor u = v.unsqueeze(0);
        try (NoGrad ignored = GradMode.noGrad()) {
            v.mul_(10f);
        }
        assertArrayEquals(new float[] {0, 10, 20, 30, 40, 50}, base.toArray());
        assertArrayEquals(new int[] {3, 2}, t.size());
        assertEquals(40f, t.get(1, 1));
        assertArrayEquals(new int[] {1, 2, 3}, u.size());
        assertSame(base.buffer(), t.buffer());
        assertFalse(t.isContiguous());
        assertArrayEquals(new float[] {0, 30, 10, 40, 20, 50}, t.contiguous().toArray());
        assertArrayEquals(new int[] {2, 3}, u.squeeze().size());
        assertArrayEquals(new int[] {6}, v.flatten().size());
        assertArrayEquals(new int[] {3, 2}, v.reshape(-1, 2).size());
    }

    @Test
    void creationFromArraysAndGenerators() {
        Tensor.manualSeed(42);
        float[] a = Tensor.randn(1000).toArray();
        Tensor.manualSeed(42);
        assertArrayEquals(a, Tensor.randn(1000).toArray(), "same seed, same numbers");
        double mean = 0, sq = 0;
        for (float v : a) {
            mean += v;
            sq += v * v;
        }
        mean /= a.length;
        assertEquals(0, mean, 0.1);
        assertEquals(1, Math.sqrt(sq / a.length - mean * mean), 0.1);
        for (float v : Tensor.rand(500).toArray()) {
            assertTrue(v >= 0 && v < 1);
        }
        assertArrayEquals(new float[] {7, 7, 7, 7}, Tensor.full(7f, 2, 2).toArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).toArray());
        assertEquals(3.5f, Tensor.scalar(3.5f).item());
        assertArrayEquals(new int[] {2, 5}, Tensor.randnLike(Tensor.zeros(2, 5)).size());
    }

    @Test
    void printsLikePyTorch() {
        Tensor x = Tensor.fromArray(new float[] {1, -2.5f, 3, 4}, 2, 2).requiresGrad(true);
        assertEquals("tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  4.0000]], requires_grad=True)", x.toString());
        assertEquals("tensor([[ 2., -5.],\n        [ 6.,  8.]], grad_fn=<MulBackward0>)",
                x.mul(2f).toString());
        assertEquals("tensor([0., 1., 2.])", Tensor.arange(3).toString());
        assertEquals("tensor(2.5000)", Tensor.scalar(2.5f).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00])", Tensor.fromArray(new float[] {1e-5f, 1f}, 2).toString());
        assertEquals("ReshapeAliasBackward0", x.reshape(4).gradFn().name());
        assertEquals("ViewBackward0", x.view(4).gradFn().name());
        assertEquals("MaxBackward1", x.max().gradFn().name());
        assertEquals("SubBackward0", x.sub(1f).gradFn().name());
        String big = Tensor.zeros(2000).toString();
        assertTrue(big.contains("..."), big);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, 3).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toArray());
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toArray());
    }

    @Test
    void backwardWithExplicitGradientOnNonScalar() {
        Tensor x = Tensor.fromArray(new float[] {1, 2}, 2).requiresGrad(true);
        x.exp().backward(Tensor.fromArray(new float[] {1, 0}, 2));
        assertEquals((float) Math.E, x.grad().toArray()[0], 1e-6);
        assertEquals(0f, x.grad().toArray()[1]);
    }

    @Test
    void gradFnCanBeWalkedLikePyTorch() {
        Tensor w = Tensor.randn(3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(3).requiresGrad(true);
        Tensor y = Functional.linear(Tensor.randn(2, 4), w, b);
        Function fn = y.gradFn();
        assertEquals("AddmmBackward0", fn.name());
        List<Function> next = fn.nextFunctions();
        assertEquals(3, next.size());
        assertTrue(next.get(0) instanceof AccumulateGrad acc && acc.variable() == b);
        assertNull(next.get(1), "the input does not require grad");
        assertSame(w.gradAccumulator(), next.get(2));
    }

    @Test
    void backwardTwiceThroughAFreedGraphExplainsRetainGraph() {
        Tensor x = Tensor.randn(3).requiresGrad(true);
        Tensor loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("backward(true)"), e.getMessage());
        Tensor kept = x.exp().sum();
        kept.backward(true);
        kept.backward();
    }

    @Test
    void detachAndNoGradStopTheGraph() {
        Tensor x = Tensor.randn(3).requiresGrad(true);
        assertFalse(x.detach().requiresGrad());
        assertNull(x.mul(2f).detach().gradFn());
        try (NoGrad ignored = GradMode.noGrad()) {
            assertNull(x.mul(2f).gradFn());
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertNotEquals(null, x.mul(2f).gradFn());
    }

    @Test
    void manualSgdUpdateOnData() {
        Tensor w = Tensor.fromArray(new float[] {1, 1}, 2).requiresGrad(true);
        w.mul(w).sum().backward();
        w.data().sub_(w.grad().mul(0.1f));
        assertArrayEquals(new float[] {0.8f, 0.8f}, w.toArray(), 1e-6f);
        w.grad().zero_();
        assertArrayEquals(new float[] {0, 0}, w.grad().toArray());
    }

    @Test
    void inPlaceOnALeafThatRequiresGradIsRefused() {
        Tensor w = Tensor.ones(2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.add_(1f));
        assertTrue(e.getMessage().contains("in-place") && e.getMessage().contains("noGrad"), e.getMessage());
    }

    @Test
    void mmOfIncompatibleShapesNamesBothAndTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(1, 5).mm(Tensor.zeros(1, 5)));
        assertTrue(e.getMessage().contains("1x5 and 1x5") && e.getMessage().contains("t()"), e.getMessage());
    }

    @Test
    void viewWithWrongSizeNamesTheSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).view(5, 3));
        assertTrue(e.getMessage().contains("[5, 3]") && e.getMessage().contains("12"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> Tensor.zeros(3, 4).t().view(12));
        assertTrue(s.getMessage().contains("reshape"), s.getMessage());
    }

    @Test
    void convOnA3dTensorSaysToAddTheBatchDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(
                Tensor.zeros(1, 28, 28), Tensor.zeros(6, 1, 5, 5), null, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, 1));
        assertTrue(e.getMessage().contains("[1, 28, 28]") && e.getMessage().contains("unsqueeze(0)"), e.getMessage());
    }

    @Test
    void kernelLargerThanInputIsRefusedAlsoWithStride() {
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(
                Tensor.zeros(1, 1, 3, 3), Tensor.zeros(2, 1, 5, 5), null, new int[] {2, 2}, new int[] {0, 0},
                new int[] {1, 1}, 1));
        assertTrue(conv.getMessage().contains("larger than the padded input 3x3"), conv.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class, () -> Functional.maxPool2d(
                Tensor.zeros(1, 1, 2, 2), new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, false));
        assertTrue(pool.getMessage().contains("larger than its input"), pool.getMessage());
    }

    @Test
    void broadcastFailureNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void itemOfManyElementsAndScalarBackwardOfVectorAreExplained() {
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).item());
        Tensor x = Tensor.randn(3).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2f).backward());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void crossEntropyRejectsOutOfRangeTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.crossEntropy(
                Tensor.zeros(2, 10), Tensor.fromArray(new float[] {3, 12}, 2), io.deepcanvas.engine.nn.Reduction.MEAN));
        assertTrue(e.getMessage().contains("12") && e.getMessage().contains("[0, 9]"), e.getMessage());
    }

    @Test
    void argmaxAndMaxAlongDimensions() {
        Tensor x = Tensor.fromArray(new float[] {1, 9, 3, 7, 2, 8}, 2, 3);
        assertArrayEquals(new int[] {1, 2}, x.argmax(1).toIntArray());
        assertArrayEquals(new float[] {7, 9, 8}, x.max(0, false).values().toArray());
        assertEquals(1, x.argmax().item());
        assertArrayEquals(new int[] {2, 1}, x.max(1, true).values().size());
    }
}
