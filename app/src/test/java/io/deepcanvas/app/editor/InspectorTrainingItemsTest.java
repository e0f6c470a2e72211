package io.deepcanvas.app.editor;

import static io.deepcanvas.app.editor.InspectorFixtures.open;
import static io.deepcanvas.app.editor.InspectorFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.editor.InspectorValues.Result;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.io.OptimizerSettings;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inspector's rows for the training settings, shown when no layer is selected. */
class InspectorTrainingItemsTest {
    private EditorModel model;

    @BeforeEach
    void lenet() {
        I18n.setLocale(Locale.ENGLISH);
        model = open("lenet5");
    }

    private Result type(String rowId, String text) {
        return InspectorFixtures.type(row(InspectorTrainingItems.build(model), rowId), text);
    }

    @Test
    void theRowsFollowTheOptimizerMomentumOnlyForSgd() {
        List<String> adam = InspectorTrainingItems.build(model).stream().map(InspectorItem::id).toList();
        assertEquals(List.of("training-dataset", "training-batchSize", "training-epochs", "training-shuffle",
                "training-seed", "training-loss", "training-device", "training-optimizer", "training-lr",
                "training-weightDecay"), adam);
        row(InspectorTrainingItems.build(model), "training-optimizer").commit("SGD");
        List<InspectorItem> sgd = InspectorTrainingItems.build(model);
        assertEquals("0", row(sgd, "training-momentum").getValue());
        assertEquals("0.001", row(sgd, "training-lr").getValue(), "the learning rate is kept");
        assertEquals(1, model.commands().size());
    }

    @Test
    void aBadValueShowsTheSettingsOwnMessageAndTheRange() {
        Result r = type("training-batchSize", "0");
        assertTrue(r.error().startsWith("batchSize must be at least 1, got 0"), r.error());
        assertTrue(r.error().endsWith("; allowed: at least 1"), r.error());
        r = type("training-lr", "0");
        assertTrue(r.error().startsWith("lr (learning rate) must be a positive number"), r.error());
        assertTrue(r.error().endsWith("allowed: greater than 0"), r.error());
        assertTrue(type("training-epochs", "one").error().startsWith("Epochs must be a whole number"));
        assertEquals(0, model.commands().size());
    }

    @Test
    void aGoodValueIsOneUndoableCommand() {
        type("training-batchSize", "128");
        assertEquals(128, model.training().batchSize());
        type("training-lr", "3e-4");
        assertEquals(3e-4, model.training().optimizer().lr());
        assertEquals("0.0003", row(InspectorTrainingItems.build(model), "training-lr").getValue());
        type("training-seed", "12345678901");
        assertEquals(12345678901L, model.training().seed());
        row(InspectorTrainingItems.build(model), "training-shuffle").commit(false);
        assertFalse(model.training().shuffle());
        assertEquals(4, model.commands().size());
        model.undo();
        model.undo();
        model.undo();
        assertEquals(0.001, model.training().optimizer().lr());
        assertEquals(128, model.training().batchSize());
        assertEquals(List.of("Pad", "Normalize"), model.training().transforms().stream()
                .map(t -> t.type()).toList(), "the transforms, which the inspector does not show, are kept");
    }

    @Test
    void anUnchangedValueIsNotCommitted() {
        type("training-batchSize", "64");
        type("training-lr", "0.001");
        row(InspectorTrainingItems.build(model), "training-loss").commit("CrossEntropyLoss");
        assertEquals(0, model.commands().size());
    }

    @Test
    void switchingOptimizersKeepsTheLearningRateWeightDecayAndMomentum() {
        OptimizerSettings sgd = new OptimizerSettings.SGD(0.05, 0.9, 0, 1e-4, true);
        OptimizerSettings adam = InspectorTrainingItems.withType(sgd, "Adam");
        assertEquals(new OptimizerSettings.Adam(0.05, 0.9, 0.999, 1e-8, 1e-4, false), adam);
        OptimizerSettings rms = InspectorTrainingItems.withType(sgd, "RMSprop");
        assertEquals(0.9, ((OptimizerSettings.RMSprop) rms).momentum());
        assertEquals(0.9, InspectorTrainingItems.momentum(InspectorTrainingItems.withType(rms, "SGD")));
        assertEquals(sgd, InspectorTrainingItems.withType(sgd, "SGD"));
    }

    @Test
    void nesterovWithoutMomentumIsRefusedWithTheOptimizersMessage() {
        model.setTraining(model.training().withOptimizer(new OptimizerSettings.SGD(0.1, 0.9, 0, 0, true)));
        Result r = type("training-momentum", "0");
        assertTrue(r.error().startsWith("nesterov momentum needs momentum > 0"), r.error());
    }
}
