package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Dropout;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MaxPool2d;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Buffers the engine hands back for reuse (consumed gradients, inner activations, pooling indices) must be ones
 * nobody can still see. The tests run with {@code -Ddeepcanvas.poisonRecycled=true}: a recycled array is filled
 * with NaN, so a tensor the user holds whose storage was wrongly recycled shows NaN or changed values.
 */
class RecyclingTest {
    private static Sequential net() {
        Tensor.manualSeed(3);
        return new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 13 * 13,
                10));
    }

    @Test
    void testsRunWithPoisonedRecycling() {
        assertTrue(Boolean.getBoolean("deepcanvas.poisonRecycled"), "surefire must set -Ddeepcanvas.poisonRecycled=true");
    }

    @Test
    void aTrainingStepRecyclesItsInnerBuffers() {
        Sequential net = net();
        Tensor x = Tensor.randn(8, 1, 28, 28);
        Tensor y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
        Tensor loss = new CrossEntropyLoss().forward(net.forward(x), y);
        BufferPool.clear();
        loss.backward();
        assertTrue(BufferPool.pooledFloats() > 0, "nothing was recycled");
    }

    @Test
    void whatTheUserHoldsSurvivesBackwardAndLaterSteps() {
        Sequential net = net();
        Tensor x = Tensor.randn(8, 1, 28, 28);
        float[] input = x.toArray();
        Tensor y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
        Tensor logits = net.forward(x);
        float[] logitValues = logits.toArray();
        Tensor loss = new CrossEntropyLoss().forward(logits, y);
        loss.backward();
        List<float[]> grads = new ArrayList<>();
        List<Tensor> gradTensors = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            gradTensors.add(p.grad());
            grads.add(p.grad().toArray());
            for (float v : p.grad().toArray()) {
                assertTrue(Float.isFinite(v), "a parameter's gradient was recycled");
            }
        }
        // more steps recycle and reuse buffers of every size this network uses
        for (int step = 0; step < 3; step++) {
            for (Parameter p : net.parameters()) {
                p.setGrad(null);
            }
            new CrossEntropyLoss().forward(net.forward(Tensor.randn(8, 1, 28, 28)), y).backward();
        }
        assertArrayEquals(input, x.toArray());
        assertArrayEquals(logitValues, logits.toArray());
        for (float v : logitValues) {
            assertTrue(Float.isFinite(v));
        }
        for (int i = 0; i < grads.size(); i++) {
            assertArrayEquals(grads.get(i), gradTensors.get(i).toArray(), "gradient " + i);
        }
    }

    @Test
    void anOutputThatIsAViewOfAnInnerActivationIsKept() {
        Tensor.manualSeed(4);
        Sequential net = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Flatten(), new Dropout(0.5f));
        net.eval();
        for (boolean grad : new boolean[] {true, false}) {
            Tensor out;
            if (grad) {
                out = net.forward(Tensor.randn(2, 1, 10, 10));
                float[] before = out.toArray();
                out.sum().backward();
                net.forward(Tensor.randn(2, 1, 10, 10)).sum().backward();
                assertArrayEquals(before, out.toArray());
            } else {
                try (NoGrad ignored = GradMode.noGrad()) {
                    out = net.forward(Tensor.randn(2, 1, 10, 10));
                    float[] before = out.toArray();
                    net.forward(Tensor.randn(2, 1, 10, 10));
                    assertArrayEquals(before, out.toArray());
                }
            }
        }
    }

    @Test
    void inferenceWithoutAutogradRecyclesActivationsButNotItsOutput() {
        Sequential net = net();
        try (NoGrad ignored = GradMode.noGrad()) {
            BufferPool.clear();
            Tensor first = net.forward(Tensor.randn(8, 1, 28, 28));
            assertTrue(BufferPool.pooledFloats() > 0, "inner activations went back to the pool");
            float[] values = first.toArray();
            Tensor second = net.forward(Tensor.randn(8, 1, 28, 28));
            assertArrayEquals(values, first.toArray());
            assertFalse(Float.isNaN(second.toArray()[0]));
        }
    }

    @Test
    void zeroGradGivesAGradNobodySawToTheNextBackward() {
        Sequential net = net();
        Parameter weight = net.parameters().get(2);
        SGD opt = new SGD(net.parameters(), 0.01f);
        Tensor y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        ce.forward(net.forward(Tensor.randn(8, 1, 28, 28)), y).backward();
        float[] first = ((CpuBuffer) weight.gradForUpdate().buffer()).array();
        BufferPool.clear();
        opt.zeroGrad();
        assertTrue(BufferPool.pooledFloats() >= first.length, "the released grads went back to the pool");
        ce.forward(net.forward(Tensor.randn(8, 1, 28, 28)), y).backward();
        assertSame(first, ((CpuBuffer) weight.gradForUpdate().buffer()).array(),
                "the Linear weight gradient is written into the old grad's memory");
    }

    @Test
    void aGradTheCallerHoldsIsNeverGivenToTheNextBackward() {
        Sequential net = net();
        SGD opt = new SGD(net.parameters(), 0.01f);
        Tensor y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        ce.forward(net.forward(Tensor.randn(8, 1, 28, 28)), y).backward();
        List<Tensor> held = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            held.add(p.grad());
            values.add(p.grad().toArray());
        }
        opt.zeroGrad();
        for (int step = 0; step < 2; step++) {
            ce.forward(net.forward(Tensor.randn(8, 1, 28, 28)), y).backward();
            opt.step();
            opt.zeroGrad();
        }
        for (int i = 0; i < held.size(); i++) {
            assertArrayEquals(values.get(i), held.get(i).toArray(), "grad of parameter " + i + " changed after zeroGrad");
        }
    }
}
