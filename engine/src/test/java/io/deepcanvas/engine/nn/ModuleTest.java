package io.deepcanvas.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.Fixtures;
import io.deepcanvas.engine.testing.LeNet5;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Modules register, print, count, save and load like PyTorch's. */
class ModuleTest {
    @Test
    void printsLikePyTorchPrintNet() {
        assertEquals("""
                Net(
                  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
                  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
                  (fc1): Linear(in_features=400, out_features=120, bias=True)
                  (fc2): Linear(in_features=120, out_features=84, bias=True)
                  (fc3): Linear(in_features=84, out_features=10, bias=True)
                )""", new LeNet5().toString());
        Sequential s = new Sequential(new Conv2d(1, 32, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Dropout(0.25f), new BatchNorm1d(10), new LeakyReLU(), new Sequential(new Softmax(1)));
        assertEquals("""
                Sequential(
                  (0): Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (1): ReLU()
                  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (3): Flatten(start_dim=1, end_dim=-1)
                  (4): Dropout(p=0.25, inplace=False)
                  (5): BatchNorm1d(10, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  (6): LeakyReLU(negative_slope=0.01)
                  (7): Sequential(
                    (0): Softmax(dim=1)
                  )
                )""", s.toString());
    }

    @Test
    void parametersAreNamedAndCountedLikePyTorch() {
        LeNet5 net = new LeNet5();
        assertEquals(61_706, net.parameterCount());
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(net.namedParameters().keySet()));
        BatchNorm2d bn = new BatchNorm2d(4);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"), List.copyOf(bn.stateDict().keySet()));
    }

    @Test
    void defaultInitialisationFollowsPyTorchBounds() {
        JsonObject layers = Fixtures.load("init.json").getAsJsonObject("layers");
        LeNet5 net = new LeNet5();
        Map<String, Module> modules = net.namedModules();
        for (String name : layers.keySet()) {
            double bound = layers.getAsJsonObject(name).get("bound").getAsDouble();
            for (Parameter p : modules.get(name).parameters()) {
                float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
                for (float v : p.toArray()) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                assertTrue(min >= -bound && max <= bound, name + " outside ±" + bound);
                if (p.numel() > 100) {
                    assertTrue(max > 0.9 * bound && min < -0.9 * bound, name + " does not fill ±" + bound);
                }
            }
        }
    }

    @Test
    void stateDictRoundTripsAndMismatchesAreNamed() {
        LeNet5 a = new LeNet5(), b = new LeNet5();
        b.loadStateDict(a.stateDict(), true);
        Tensor x = Tensor.randn(2, 1, 32, 32);
        assertEquals(a.forward(x).toString(), b.forward(x).toString());
        Map<String, Tensor> broken = new java.util.LinkedHashMap<>(a.stateDict());
        broken.put("fc1.weight", Tensor.zeros(120, 256));
        broken.remove("fc3.bias");
        broken.put("fc4.weight", Tensor.zeros(1));
        // a well-shaped entry with new values: a partial load would copy it
        broken.put("conv1.bias", Tensor.full(9f, 6));
        float before = b.fc1.weight.get(0, 0), biasBefore = b.conv1.bias.get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(broken, true));
        assertTrue(e.getMessage().contains("fc3.bias") && e.getMessage().contains("fc4.weight")
                && e.getMessage().contains("[120, 256]"), e.getMessage());
        assertEquals(before, b.fc1.weight.get(0, 0), "a failed load changes nothing");
        assertEquals(biasBefore, b.conv1.bias.get(0), "a failed load copies no entry, not even the valid ones");
    }

    @Test
    void trainAndEvalSwitchDropoutAndBatchNorm() {
        Sequential net = new Sequential(new Dropout(0.5f), new BatchNorm1d(3));
        Tensor x = Tensor.randn(8, 3);
        net.eval();
        io.deepcanvas.engine.testing.Fixtures.assertClose(x.div((float) Math.sqrt(1 + 1e-5)), net.forward(x), 1e-6, 1e-7,
                "eval: dropout off, running stats (0, 1) normalise");
        net.train();
        assertTrue(net.isTraining() && net.namedChildren().get("0").isTraining());
    }

    @Test
    void zeroGradClearsGradients() {
        Linear l = new Linear(3, 2);
        l.forward(Tensor.randn(4, 3)).sum().backward();
        assertTrue(l.weight.grad() != null);
        l.zeroGrad();
        assertEquals(null, l.weight.grad());
    }

    @Test
    void badHyperparametersAreRejectedWithTheValue() {
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
                () -> new SGD(new Linear(2, 2).parameters(), -1f));
        assertTrue(lr.getMessage().contains("Invalid learning rate: -1.0"), lr.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(new Linear(2, 2).parameters(), 0f));
        assertThrows(IllegalArgumentException.class, () -> new SGD(new Linear(2, 2).parameters(), 0.1f, 0f, 0f, 0f,
                true));
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 6, 0));
        assertTrue(k.getMessage().contains("kernel_size") && k.getMessage().contains("(0, 0)"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f));
    }

    @Test
    void linearFedAnImageSaysInsertFlatten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(400, 120).forward(Tensor.zeros(2, 16, 5, 4)));
        assertTrue(e.getMessage().contains("Flatten"), e.getMessage());
    }
}
