package io.deepcanvas.engine.train;

import io.deepcanvas.engine.data.Compose;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.io.OptimizerSettings;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.NLLLoss;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.RMSprop;
import io.deepcanvas.engine.optim.SGD;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's training settings turned into engine objects: the data transform, the loss and the optimizer. One
 * place for the command line and the app, so both train a project the same way. Unsupported settings are an
 * {@link IllegalArgumentException} whose message names the value and the fix.
 */
public final class TrainingRecipe {
    private TrainingRecipe() {
    }

    /** The project's transforms as one (Pad, then Normalize, as listed), or null for none; MNIST only. */
    public static Transform transform(TrainingSettings s) {
        if (!s.dataset().equalsIgnoreCase("mnist")) {
            throw new IllegalArgumentException("dataset '" + s.dataset() + "' is not supported: DeepCanvas trains "
                    + "on MNIST; set \"dataset\": \"mnist\" in the project");
        }
        List<Transform> list = new ArrayList<>();
        for (TrainingSettings.Transform t : s.transforms()) {
            if (t instanceof TrainingSettings.Pad p) {
                list.add(new io.deepcanvas.engine.data.Pad(p.padding()));
            } else if (t instanceof TrainingSettings.Normalize n) {
                list.add(new io.deepcanvas.engine.data.Normalize((float) n.mean(), (float) n.std()));
            }
        }
        return list.isEmpty() ? null : new Compose(list);
    }

    /**
     * {@code nn.CrossEntropyLoss()} and friends, by PyTorch's class name; MSELoss compares the class labels as
     * one-hot rows ({@link MSELossOnLabels}), as the exported PyTorch program does.
     */
    public static Loss loss(String name) {
        return switch (name) {
            case "CrossEntropyLoss" -> new CrossEntropyLoss();
            case "NLLLoss" -> new NLLLoss();
            case "MSELoss" -> new MSELossOnLabels();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "': use CrossEntropyLoss, "
                    + "NLLLoss or MSELoss");
        };
    }

    /** The project's optimizer over the model's parameters, with the learning rate overridden when given. */
    public static Optimizer<?> optimizer(OptimizerSettings o, Double lrOverride, Module model) {
        float lr = (float) (lrOverride != null ? lrOverride : o.lr());
        var params = model.parameters();
        if (o instanceof OptimizerSettings.SGD s) {
            return new SGD(params, lr, (float) s.momentum(), (float) s.dampening(), (float) s.weightDecay(),
                    s.nesterov());
        } else if (o instanceof OptimizerSettings.Adam a) {
            return new Adam(params, lr, (float) a.beta1(), (float) a.beta2(), (float) a.eps(), (float) a.weightDecay(),
                    a.amsgrad());
        } else if (o instanceof OptimizerSettings.RMSprop r) {
            return new RMSprop(params, lr, (float) r.alpha(), (float) r.eps(), (float) r.weightDecay(),
                    (float) r.momentum(), r.centered());
        }
        throw new IllegalArgumentException("unknown optimizer '" + o.type() + "': use SGD, Adam or RMSprop");
    }
}
