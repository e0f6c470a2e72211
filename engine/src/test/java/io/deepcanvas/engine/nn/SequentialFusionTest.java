package io.deepcanvas.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.tensor.Tensor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Sequential runs a Linear followed by a ReLU as one fused op, and a ReLU followed by a max-pool pool first: it
 * must give exactly what the modules give one after the other, forward and backward.
 */
class SequentialFusionTest {
    private static List<float[]> stepOnce(boolean fused) {
        Tensor.manualSeed(21);
        Linear first = new Linear(37, 70);
        ReLU relu = new ReLU();
        Linear second = new Linear(70, 6);
        Sequential net = new Sequential(first, relu, second);
        Tensor x = Tensor.randn(9, 37);
        Tensor out = fused ? net.forward(x) : second.forward(relu.forward(first.forward(x)));
        out.mul(out).sum().backward();
        List<float[]> all = new ArrayList<>();
        all.add(out.toArray());
        for (Parameter p : net.parameters()) {
            all.add(p.grad().toArray());
        }
        return all;
    }

    @Test
    void sequentialFusionGivesExactlyTheValuesAndGradientsOfTheTwoModules() {
        List<float[]> fused = stepOnce(true), apart = stepOnce(false);
        assertEquals(apart.size(), fused.size());
        for (int i = 0; i < fused.size(); i++) {
            assertArrayEquals(apart.get(i), fused.get(i), i == 0 ? "output" : "grad of parameter " + (i - 1));
        }
        // the tested network's ReLU really cut some units off, so its backward was exercised: the same draws as
        // stepOnce (first layer, second layer, then the input)
        Tensor.manualSeed(21);
        Linear first = new Linear(37, 70);
        new Linear(70, 6);
        float[] out = first.forward(Tensor.randn(9, 37)).relu().toArray();
        int zeros = 0;
        for (float v : out) {
            zeros += v == 0f ? 1 : 0;
        }
        assertTrue(zeros > 0 && zeros < out.length);
    }

    /** ReLU → MaxPool2d runs as the pool, then the ReLU: the same values and gradients. */
    @Test
    void reluThenMaxPoolRunsPoolFirstWithTheSameValuesAndGradients() {
        Tensor.manualSeed(31);
        // inputs on a coarse grid: ties inside windows, and windows with no positive value
        float[] grid = Tensor.randn(4, 2, 11, 11).toArray();
        for (int i = 0; i < grid.length; i++) {
            grid[i] = Math.round(grid[i] * 2) / 2f;
        }
        Sequential net = new Sequential(new ReLU(), new MaxPool2d(2));
        Tensor x1 = Tensor.wrap(grid.clone(), 4, 2, 11, 11).requiresGrad(true);
        Tensor x2 = Tensor.wrap(grid.clone(), 4, 2, 11, 11).requiresGrad(true);
        Tensor fused = net.forward(x1);
        fused.mul(fused).sum().backward();
        Tensor apart = new MaxPool2d(2).forward(new ReLU().forward(x2));
        apart.mul(apart).sum().backward();
        assertArrayEquals(apart.toArray(), fused.toArray(), "output");
        assertArrayEquals(x2.grad().toArray(), x1.grad().toArray(), "input gradient");
        float[] out = fused.toArray();
        int zeros = 0;
        for (float v : out) {
            zeros += v == 0f ? 1 : 0;
        }
        assertTrue(zeros > 0 && zeros < out.length, "some pooled windows are all ≤ 0");
    }

    @Test
    void linearReluMatchesReluOfLinearForBatchesWithExtraDimensions() {
        Tensor.manualSeed(4);
        Linear layer = new Linear(12, 8);
        Tensor x = Tensor.randn(2, 3, 12);
        Tensor fused = Functional.linearRelu(x, layer.weight, layer.bias);
        assertArrayEquals(new int[] {2, 3, 8}, fused.size());
        assertArrayEquals(layer.forward(x).relu().toArray(), fused.toArray());
    }

    /** A backend that does not fuse (the interface's default linear) gives the same values as the CPU's fused one. */
    @Test
    void theBackendDefaultLinearMatchesTheFusedCpuLinear() {
        Tensor.manualSeed(8);
        Backend cpu = Tensor.zeros(1).backend();
        InvocationHandler delegate = (proxy, method, args) -> method.isDefault() && method.getName().equals("linear")
                ? InvocationHandler.invokeDefault(proxy, method, args) : method.invoke(cpu, args);
        Backend plain = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                delegate);
        int m = 40, n = 50, k = 30;
        Tensor x = Tensor.randn(m, k), w = Tensor.randn(n, k), b = Tensor.randn(n);
        for (boolean relu : new boolean[] {false, true}) {
            Buffer viaDefault = plain.allocate(m * n), fused = cpu.allocate(m * n);
            plain.linear(false, true, m, n, k, x.buffer(), w.buffer(), b.buffer(), relu, viaDefault);
            cpu.linear(false, true, m, n, k, x.buffer(), w.buffer(), b.buffer(), relu, fused);
            float[] want = cpu.download(viaDefault, 0, m * n), got = cpu.download(fused, 0, m * n);
            for (int i = 0; i < m * n; i++) {
                assertEquals(want[i], got[i], 1e-4f, "relu=" + relu + " at " + i);
            }
        }
    }

    @Test
    void linearProductNamesTheShapesWhenTheyDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.linearProduct(Tensor.randn(5), Tensor.randn(3, 5), null, true));
        assertTrue(e.getMessage().contains("x [5]") && e.getMessage().contains("x must be [m, k]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.linearProduct(Tensor.randn(2, 5), Tensor.randn(3, 5), Tensor.randn(4), false));
        assertTrue(e.getMessage().contains("bias [4]"), e.getMessage());
    }
}
