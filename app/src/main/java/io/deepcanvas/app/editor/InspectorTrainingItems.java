package io.deepcanvas.app.editor;

import io.deepcanvas.app.editor.InspectorValues.Result;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.io.InvalidSettingException;
import io.deepcanvas.engine.io.OptimizerSettings;
import io.deepcanvas.engine.io.TrainingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The inspector's rows when no layer is selected: the project's {@link TrainingSettings}. Each edit builds a new
 * settings record, whose constructor is the judge of a value (its message, naming the field, is what the user
 * reads), and commits it with {@link EditorModel#setTraining} as one undoable command.
 */
final class InspectorTrainingItems {
    private final EditorModel model;

    private InspectorTrainingItems(EditorModel model) {
        this.model = model;
    }

    /** The rows for the current optimizer: momentum only appears for SGD. */
    static List<InspectorItem> build(EditorModel model) {
        return new InspectorTrainingItems(model).items();
    }

    private List<InspectorItem> items() {
        String training = I18n.text("inspector.group.training");
        String optimizer = I18n.text("inspector.group.optimizer");
        String atLeastOne = I18n.text("inspector.range.min", "1");
        String atLeastZero = I18n.text("inspector.range.min", "0");
        List<InspectorItem> items = new ArrayList<>();
        items.add(InspectorItem.display("training-dataset", training, I18n.text("training.dataset"),
                I18n.text("training.dataset.description"), () -> t().dataset()));
        items.add(whole("batchSize", training, atLeastOne, TrainingSettings::batchSize,
                (t, v) -> t.withBatchSize((int) v)));
        items.add(whole("epochs", training, atLeastOne, TrainingSettings::epochs, (t, v) -> t.withEpochs((int) v)));
        items.add(InspectorItem.check("training-shuffle", training, I18n.text("training.shuffle"),
                I18n.text("training.shuffle.description"), () -> t().shuffle(),
                v -> commit(withShuffle(t(), (Boolean) v))));
        items.add(whole("seed", training, null, TrainingSettings::seed, InspectorTrainingItems::withSeed));
        items.add(InspectorItem.choice("training-loss", training, I18n.text("training.loss"),
                I18n.text("training.loss.description"), TrainingSettings.LOSSES, () -> t().loss(),
                v -> commit(t().withLoss((String) v))));
        items.add(InspectorItem.choice("training-device", training, I18n.text("training.device"),
                I18n.text("training.device.description"), TrainingSettings.DEVICES, () -> t().device(),
                v -> commit(t().withDevice((String) v))));

        items.add(InspectorItem.choice("training-optimizer", optimizer, I18n.text("training.optimizer"),
                I18n.text("training.optimizer.description"), OptimizerSettings.TYPES, () -> t().optimizer().type(),
                v -> commit(t().withOptimizer(withType(t().optimizer(), (String) v)))));
        items.add(real("lr", optimizer, I18n.text("inspector.range.above", "0"), OptimizerSettings::lr,
                InspectorTrainingItems::withLr));
        if (t().optimizer() instanceof OptimizerSettings.SGD) {
            items.add(real("momentum", optimizer, atLeastZero, InspectorTrainingItems::momentum,
                    InspectorTrainingItems::withMomentum));
        }
        items.add(real("weightDecay", optimizer, atLeastZero, InspectorTrainingItems::weightDecay,
                InspectorTrainingItems::withWeightDecay));
        return items;
    }

    private TrainingSettings t() {
        return model.training();
    }

    private void commit(TrainingSettings settings) {
        if (!settings.equals(model.training())) {
            model.setTraining(settings);
        }
    }

    /** How a typed whole number becomes new settings; may throw the record's {@link InvalidSettingException}. */
    private interface WholeChange {
        TrainingSettings apply(TrainingSettings current, long value);
    }

    /** How a typed real number becomes a new optimizer; may throw {@link InvalidSettingException}. */
    private interface RealChange {
        OptimizerSettings apply(OptimizerSettings current, double value);
    }

    /** A whole-number row; {@code allowed} is the range in words, or null for any whole number (the seed). */
    private InspectorItem whole(String field, String category, String allowed,
                                Function<TrainingSettings, Number> get, WholeChange change) {
        String name = I18n.text("training." + field);
        boolean isLong = field.equals("seed"); // the only long; the others are ints
        return InspectorItem.text("training-" + field, category, name, describe(field, allowed), null,
                () -> String.valueOf(get.apply(t())), text -> {
                    Result n = InspectorValues.parseWhole(name, text, isLong ? Long.MIN_VALUE : Integer.MIN_VALUE,
                            isLong ? Long.MAX_VALUE : Integer.MAX_VALUE);
                    return n.valid() ? settings(allowed, () -> change.apply(t(), (Long) n.value())) : n;
                }, v -> commit((TrainingSettings) v));
    }

    /** A real-number row of the optimizer. */
    private InspectorItem real(String field, String category, String allowed,
                               Function<OptimizerSettings, Double> get, RealChange change) {
        String name = I18n.text("training." + field);
        return InspectorItem.text("training-" + field, category, name, describe(field, allowed), null,
                () -> InspectorValues.format(get.apply(t().optimizer())), text -> {
                    Result n = InspectorValues.parseReal(name, text);
                    return n.valid() ? settings(allowed, () -> t().withOptimizer(
                            change.apply(t().optimizer(), (Double) n.value()))) : n;
                }, v -> commit((TrainingSettings) v));
    }

    /** Builds the new settings, or the record's own message with the allowed range. */
    private static Result settings(String allowed, Supplier<TrainingSettings> build) {
        try {
            return Result.ok(build.get());
        } catch (InvalidSettingException e) {
            return Result.error(InspectorValues.invalid(e.getMessage(), allowed));
        }
    }

    private static String describe(String field, String allowed) {
        String text = I18n.text("training." + field + ".description");
        return allowed == null ? text : I18n.text("inspector.describe", text, allowed);
    }

    // ---- settings the records have no wither for ----------------------------------------------------------

    static TrainingSettings withSeed(TrainingSettings t, long seed) {
        return new TrainingSettings(t.dataset(), t.transforms(), t.batchSize(), t.epochs(), t.shuffle(), seed,
                t.loss(), t.optimizer(), t.device());
    }

    static TrainingSettings withShuffle(TrainingSettings t, boolean shuffle) {
        return new TrainingSettings(t.dataset(), t.transforms(), t.batchSize(), t.epochs(), shuffle, t.seed(),
                t.loss(), t.optimizer(), t.device());
    }

    /**
     * The optimizer {@code type} with the learning rate and weight decay of {@code o} (and its momentum between
     * SGD and RMSprop, which both have one); the rest at PyTorch's defaults. Keeping the learning rate is what a user
     * switching optimizers to compare them expects.
     */
    static OptimizerSettings withType(OptimizerSettings o, String type) {
        if (o.type().equals(type)) {
            return o;
        }
        double lr = o.lr();
        double wd = weightDecay(o);
        double momentum = o instanceof OptimizerSettings.RMSprop r ? r.momentum() : momentum(o);
        return switch (type) {
            case "SGD" -> new OptimizerSettings.SGD(lr, momentum, 0, wd, false);
            case "Adam" -> new OptimizerSettings.Adam(lr, OptimizerSettings.Adam.DEFAULT_BETA1,
                    OptimizerSettings.Adam.DEFAULT_BETA2, OptimizerSettings.Adam.DEFAULT_EPS, wd, false);
            case "RMSprop" -> new OptimizerSettings.RMSprop(lr, OptimizerSettings.RMSprop.DEFAULT_ALPHA,
                    OptimizerSettings.RMSprop.DEFAULT_EPS, wd, momentum, false);
            default -> throw new IllegalArgumentException("unknown optimizer " + type + ": use one of "
                    + String.join(", ", OptimizerSettings.TYPES));
        };
    }

    static OptimizerSettings withLr(OptimizerSettings o, double lr) {
        if (o instanceof OptimizerSettings.SGD s) {
            return new OptimizerSettings.SGD(lr, s.momentum(), s.dampening(), s.weightDecay(), s.nesterov());
        }
        if (o instanceof OptimizerSettings.Adam a) {
            return new OptimizerSettings.Adam(lr, a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.amsgrad());
        }
        OptimizerSettings.RMSprop r = (OptimizerSettings.RMSprop) o;
        return new OptimizerSettings.RMSprop(lr, r.alpha(), r.eps(), r.weightDecay(), r.momentum(), r.centered());
    }

    static OptimizerSettings withWeightDecay(OptimizerSettings o, double wd) {
        if (o instanceof OptimizerSettings.SGD s) {
            return new OptimizerSettings.SGD(s.lr(), s.momentum(), s.dampening(), wd, s.nesterov());
        }
        if (o instanceof OptimizerSettings.Adam a) {
            return new OptimizerSettings.Adam(a.lr(), a.beta1(), a.beta2(), a.eps(), wd, a.amsgrad());
        }
        OptimizerSettings.RMSprop r = (OptimizerSettings.RMSprop) o;
        return new OptimizerSettings.RMSprop(r.lr(), r.alpha(), r.eps(), wd, r.momentum(), r.centered());
    }

    /** SGD's momentum (the only optimizer the inspector shows it for); 0 for the others. */
    static OptimizerSettings withMomentum(OptimizerSettings o, double momentum) {
        OptimizerSettings.SGD s = (OptimizerSettings.SGD) o;
        return new OptimizerSettings.SGD(s.lr(), momentum, s.dampening(), s.weightDecay(), s.nesterov());
    }

    static double momentum(OptimizerSettings o) {
        return o instanceof OptimizerSettings.SGD s ? s.momentum() : 0;
    }

    static double weightDecay(OptimizerSettings o) {
        if (o instanceof OptimizerSettings.SGD s) {
            return s.weightDecay();
        }
        if (o instanceof OptimizerSettings.Adam a) {
            return a.weightDecay();
        }
        return ((OptimizerSettings.RMSprop) o).weightDecay();
    }
}
