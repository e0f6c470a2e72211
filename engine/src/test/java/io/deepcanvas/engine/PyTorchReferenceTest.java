package io.deepcanvas.engine;

import static io.deepcanvas.engine.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.deepcanvas.engine.autograd.Function;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.Fixtures;
import io.deepcanvas.engine.testing.LeNet5;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LeNet-5 with PyTorch's weights and batch gives PyTorch's logits, loss, gradients and optimizer steps. */
class PyTorchReferenceTest {
    private static JsonObject fx;

    @BeforeAll
    static void load() {
        fx = Fixtures.load("lenet5.json.gz");
    }

    private static LeNet5 netWithPyTorchWeights() {
        LeNet5 net = new LeNet5();
        net.loadStateDict(Fixtures.tensors(fx.getAsJsonObject("params")), true);
        return net;
    }

    @Test
    void logitsLossAndGradientsMatchPyTorch() {
        LeNet5 net = netWithPyTorchWeights();
        Tensor x = Fixtures.tensor(fx.get("x"));
        Tensor target = Fixtures.tensor(fx.get("target"));
        Tensor logits = net.forward(x);
        assertClose(Fixtures.tensor(fx.get("logits")), logits, 1e-5, 1e-6, "logits");
        Tensor loss = new CrossEntropyLoss().forward(logits, target);
        assertEquals(fx.get("loss").getAsDouble(), loss.item(), 1e-5 * Math.abs(fx.get("loss").getAsDouble()), "loss");
        loss.backward();
        Map<String, Tensor> grads = Fixtures.tensors(fx.getAsJsonObject("grads"));
        net.namedParameters().forEach((name, p) -> assertClose(grads.get(name), p.grad(), 1e-4, 1e-6,
                "grad of " + name));
    }

    @Test
    void gradFnChainHasPyTorchNames() {
        LeNet5 net = netWithPyTorchWeights();
        Tensor loss = new CrossEntropyLoss().forward(net.forward(Fixtures.tensor(fx.get("x"))),
                Fixtures.tensor(fx.get("target")));
        List<String> chain = new ArrayList<>();
        Function fn = loss.gradFn();
        while (fn != null) {
            chain.add(fn.name());
            fn = fn.nextFunctions().isEmpty() ? null : fn.nextFunctions().get(0);
        }
        JsonArray expected = fx.getAsJsonArray("grad_fn_chain");
        List<String> want = new ArrayList<>();
        expected.forEach(e -> want.add(e.getAsString().replace("torch::autograd::", "")));
        assertEquals(want, chain);
    }

    @Test
    void sgdMomentumStepsMatchPyTorch() {
        checkSteps("sgd", net -> new SGD(net.parameters(), 0.01f, 0.9f));
    }

    @Test
    void adamStepsMatchPyTorch() {
        checkSteps("adam", net -> new Adam(net.parameters(), 1e-3f));
    }

    private void checkSteps(String key, java.util.function.Function<LeNet5, Optimizer<?>> make) {
        JsonObject block = fx.getAsJsonObject(key);
        LeNet5 net = netWithPyTorchWeights();
        Optimizer<?> opt = make.apply(net);
        Tensor x = Fixtures.tensor(fx.get("x"));
        Tensor target = Fixtures.tensor(fx.get("target"));
        JsonArray losses = block.getAsJsonArray("losses");
        for (int step = 1; step <= 3; step++) {
            opt.zeroGrad();
            Tensor loss = new CrossEntropyLoss().forward(net.forward(x), target);
            double want = losses.get(step - 1).getAsDouble();
            assertEquals(want, loss.item(), 2e-5 * Math.abs(want), key + " loss at step " + step);
            loss.backward();
            opt.step();
            if (step == 1 || step == 3) {
                Map<String, Tensor> after = Fixtures.tensors(block.getAsJsonObject("after" + step));
                int s = step;
                net.namedParameters().forEach((name, p) -> assertClose(after.get(name), p, 1e-4, 2e-6,
                        key + " " + name + " after step " + s));
            }
        }
    }
}
