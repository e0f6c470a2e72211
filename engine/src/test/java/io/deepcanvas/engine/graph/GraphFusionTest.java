package io.deepcanvas.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A compiled graph's {@code forward} runs each Linear whose only reader is a ReLU as one fused op, and each ReLU
 * whose only reader is a max-pool after the pool; {@code forwardAll} runs every node on its own. Both must give the same output and the same gradients, to the bit.
 */
class GraphFusionTest {
    private static List<float[]> outputAndGrads(GraphModule g, Tensor x, boolean fused) {
        g.zeroGrad();
        Tensor out = fused ? g.forward(x) : g.forwardAll(x).get(g.report().outputId());
        out.mul(out).sum().backward();
        List<float[]> all = new ArrayList<>();
        all.add(out.toArray());
        for (Parameter p : g.parameters()) {
            all.add(p.grad().toArray());
        }
        return all;
    }

    @Test
    void fusedForwardGivesTheOutputAndGradientsOfTheNodesRunApart() {
        Tensor.manualSeed(9);
        GraphModule g = GraphCompiler.compile(Graphs.lenet());
        assertEquals(2, g.fusedLinearReluPairs(), "LeNet-5's fc1 → relu and fc2 → relu");
        assertEquals(2, g.poolFirstPairs(), "LeNet-5's two relu → max-pool");
        Tensor x = Tensor.randn(3, 1, 32, 32);
        List<float[]> fused = outputAndGrads(g, x, true), apart = outputAndGrads(g, x, false);
        for (int i = 0; i < fused.size(); i++) {
            assertArrayEquals(apart.get(i), fused.get(i), i == 0 ? "output" : "grad of parameter " + (i - 1));
        }
    }
}
