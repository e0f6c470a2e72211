package io.deepcanvas.engine.optim;

import static io.deepcanvas.engine.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.nn.Tanh;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SGD, Adam and RMSprop follow PyTorch's update rules: four steps of each configuration in fixtures/optim.json. */
class OptimizerReferenceTest {
    private static final JsonObject FX = Fixtures.load("optim.json");

    static Stream<Integer> configs() {
        return IntStream.range(0, FX.getAsJsonArray("configs").size()).boxed();
    }

    private static float f(JsonObject c, String key, float dflt) {
        return c.has(key) ? c.get(key).getAsFloat() : dflt;
    }

    private static boolean bool(JsonObject c, String key) {
        return c.has(key) && c.get(key).getAsBoolean();
    }

    static Optimizer<?> make(String type, JsonObject c, List<Parameter> ps) {
        float lr = c.get("lr").getAsFloat();
        return switch (type) {
            case "SGD" -> new SGD(ps, lr, f(c, "momentum", 0), f(c, "dampening", 0), f(c, "weight_decay", 0),
                    bool(c, "nesterov"));
            case "Adam" -> {
                JsonArray betas = c.has("betas") ? c.getAsJsonArray("betas") : null;
                yield new Adam(ps, lr, betas == null ? 0.9f : betas.get(0).getAsFloat(),
                        betas == null ? 0.999f : betas.get(1).getAsFloat(), f(c, "eps", 1e-8f), f(c, "weight_decay", 0),
                        bool(c, "amsgrad"));
            }
            case "RMSprop" -> new RMSprop(ps, lr, f(c, "alpha", 0.99f), f(c, "eps", 1e-8f), f(c, "weight_decay", 0),
                    f(c, "momentum", 0), bool(c, "centered"));
            default -> throw new IllegalArgumentException(type);
        };
    }

    @ParameterizedTest(name = "config {0}")
    @MethodSource("configs")
    void fourStepsMatchPyTorch(int index) {
        JsonObject cfg = FX.getAsJsonArray("configs").get(index).getAsJsonObject();
        Sequential net = new Sequential(new Linear(5, 4), new Tanh(), new Linear(4, 3));
        net.loadStateDict(Fixtures.tensors(FX.getAsJsonObject("params")), true);
        Optimizer<?> opt = make(cfg.get("optimizer").getAsString(), cfg.getAsJsonObject("config"), net.parameters());
        Tensor x = Fixtures.tensor(FX.get("x")), y = Fixtures.tensor(FX.get("y"));
        JsonArray losses = cfg.getAsJsonArray("losses");
        String what = cfg.get("optimizer").getAsString() + " " + cfg.getAsJsonObject("config");
        for (int step = 0; step < 4; step++) {
            opt.zeroGrad();
            Tensor loss = new MSELoss().forward(net.forward(x), y);
            JsonElement want = losses.get(step);
            assertEquals(want.getAsDouble(), loss.item(), 1e-5 * Math.abs(want.getAsDouble()) + 1e-7,
                    what + " loss at step " + (step + 1));
            loss.backward();
            opt.step();
        }
        Map<String, Tensor> after = Fixtures.tensors(cfg.getAsJsonObject("after"));
        net.namedParameters().forEach((name, p) -> assertClose(after.get(name), p, 1e-4, 1e-6, what + " " + name));
    }
}
