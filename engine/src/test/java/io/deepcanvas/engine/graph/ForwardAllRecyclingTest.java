package io.deepcanvas.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code forward} recycles a graph's inner activations after backward; the ones {@code forwardAll} hands to the
 * editor must never be among them (tests run with poisoned recycling: a wrongly recycled array turns to NaN).
 */
class ForwardAllRecyclingTest {
    @Test
    void everyActivationFromForwardAllStaysIntact() {
        GraphModule g = GraphCompiler.compile(Graphs.lenet());
        Tensor x = Tensor.randn(2, 1, 32, 32);
        Map<String, Tensor> all = g.forwardAll(x);
        List<float[]> copies = new ArrayList<>();
        for (Tensor t : all.values()) {
            copies.add(t.toArray());
        }
        g.forward(x).sum().backward();
        g.forward(x).sum().backward();
        int i = 0;
        for (Tensor t : all.values()) {
            assertArrayEquals(copies.get(i++), t.toArray());
        }
    }
}
