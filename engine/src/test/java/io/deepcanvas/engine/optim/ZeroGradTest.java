package io.deepcanvas.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code zero_grad(set_to_none)} both ways: the same training to the bit, only the buffers differ. */
class ZeroGradTest {
    private static List<float[]> train(boolean setToNone, List<Tensor> gradsSeen) {
        Tensor.manualSeed(11);
        Sequential net = new Sequential(new Linear(300, 200), new ReLU(), new Linear(200, 10));
        SGD opt = new SGD(net.parameters(), 0.1f, 0.9f);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
        for (int step = 0; step < 4; step++) {
            opt.zeroGrad(setToNone);
            ce.forward(net.forward(Tensor.randn(8, 300)), y).backward();
            if (gradsSeen != null) {
                gradsSeen.add(net.parameters().get(0).grad());
            }
            opt.step();
        }
        List<float[]> weights = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            weights.add(p.toArray());
        }
        return weights;
    }

    @Test
    void zeroingInPlaceTrainsExactlyLikeSettingToNone() {
        List<Tensor> none = new ArrayList<>(), zeroed = new ArrayList<>();
        List<float[]> a = train(true, none), b = train(false, zeroed);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter " + i);
        }
        // set_to_none=False keeps one gradient tensor per parameter for the whole run
        for (Tensor g : zeroed) {
            assertSame(zeroed.get(0), g);
        }
    }

    @Test
    void settingToNoneWithTheGradsRecycledTrainsExactlyLikeZeroingInPlace() {
        // nobody reads the grads, so zeroGrad() hands their memory to the next backward (poisoned with NaN in tests)
        List<float[]> recycled = train(true, null), zeroed = train(false, new ArrayList<>());
        for (int i = 0; i < recycled.size(); i++) {
            assertArrayEquals(zeroed.get(i), recycled.get(i), "parameter " + i);
        }
    }

    @Test
    void aSecondBackwardAddsItsLinearWeightGradientIntoTheSameGrad() {
        Tensor.manualSeed(5);
        Linear layer = new Linear(70, 40);
        Tensor x1 = Tensor.randn(9, 70), x2 = Tensor.randn(9, 70);
        layer.forward(x1).sum().backward();
        Tensor grad = layer.weight.grad();
        float[] first = grad.toArray();
        layer.forward(x2).sum().backward();
        assertSame(grad, layer.weight.grad(), "the second gradient is added into the grad already there");
        // d(sum(x·Wᵀ + b))/dW[o][i] = sum over the batch of x[b][i], the same for every output o
        float[] second = grad.toArray();
        float[] a = x1.toArray(), b = x2.toArray();
        for (int o = 0; o < 40; o++) {
            for (int i = 0; i < 70; i++) {
                float s1 = 0, s2 = 0;
                for (int r = 0; r < 9; r++) {
                    s1 += a[r * 70 + i];
                    s2 += b[r * 70 + i];
                }
                assertEquals(s1, first[o * 70 + i], 1e-4f);
                assertEquals(s1 + s2, second[o * 70 + i], 1e-4f, "W[" + o + "][" + i + "]");
            }
        }
    }

    @Test
    void zeroGradBothWays() {
        Parameter p = new Parameter(Tensor.ones(3));
        SGD opt = new SGD(List.of(p), 0.1f);
        p.mul(2f).sum().backward();
        Tensor g = p.grad();
        opt.zeroGrad(false);
        assertSame(g, p.grad());
        assertArrayEquals(new float[] {0, 0, 0}, g.toArray());
        opt.zeroGrad();
        assertNull(p.grad());
    }
}
