package io.deepcanvas.app.editor;

import static io.deepcanvas.app.editor.InspectorFixtures.open;
import static io.deepcanvas.app.editor.InspectorFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.editor.InspectorValues.Result;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.LayerTypes;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inspector's rows for a layer, driven as the editors drive them: parse what is typed, commit what is valid. */
class InspectorLayerItemsTest {
    private EditorModel model;

    @BeforeEach
    void lenet() {
        I18n.setLocale(Locale.ENGLISH);
        model = open("lenet5");
    }

    private List<InspectorItem> rows(String id) {
        return InspectorLayerItems.build(model, id, LayerTypes.get(model.graph().require(id).type()));
    }

    /** Types {@code text} into row {@code rowId} of node {@code id} and presses Enter. */
    private Result type(String id, String rowId, String text) {
        return InspectorFixtures.type(row(rows(id), rowId), text);
    }

    @Test
    void aConvolutionShowsItsNameItsSchemaAndWhatIsInferred() {
        List<InspectorItem> items = rows("conv2");
        assertEquals(List.of("inspectorName", "inspectorType", "param-out_channels", "param-kernel_size",
                "param-stride", "param-padding", "param-dilation", "param-groups", "param-bias",
                "inferred-in_channels", "inferred-outputShape", "inferred-parameters"),
                items.stream().map(InspectorItem::id).toList());
        assertEquals("conv2", row(items, "inspectorName").getValue());
        assertEquals("5", row(items, "param-kernel_size").getValue());
        assertEquals(Boolean.TRUE, row(items, "param-bias").getValue());
        assertEquals("6", row(items, "inferred-in_channels").getValue());
        assertEquals("16×10×10", row(items, "inferred-outputShape").getValue());
        assertEquals("2,416", row(items, "inferred-parameters").getValue());
        assertEquals(I18n.text("inspector.group.params"), row(items, "param-stride").getCategory());
        assertTrue(row(items, "param-kernel_size").getDescription().endsWith("allowed: at least 1"));
    }

    @Test
    void aLinearLayerShowsTheInputFeaturesItIsGiven() {
        assertEquals("400", row(rows("fc1"), "inferred-in_features").getValue());
        assertEquals("48,120", row(rows("fc1"), "inferred-parameters").getValue());
    }

    @Test
    void anInvalidValueIsRefusedWithItsRangeAndNothingIsCommitted() {
        Result r = type("conv1", "param-kernel_size", "0");
        assertEquals("kernel_size must be >= 1, got 0; allowed: at least 1", r.error());
        assertEquals(5, model.graph().require("conv1").param("kernel_size"));
        assertEquals(0, model.commands().size());
    }

    @Test
    void aValidValueIsOneUndoableCommandAndUndoShowsTheOldValue() {
        type("conv1", "param-kernel_size", "3");
        assertEquals(3, model.graph().require("conv1").param("kernel_size"));
        assertEquals(1, model.commands().size());
        InspectorItem kernel = row(rows("conv1"), "param-kernel_size");
        assertEquals("3", kernel.getValue());
        model.undo();
        assertEquals("5", kernel.getValue(), "the same row reads the restored graph");
    }

    @Test
    void theValueTheNodeAlreadyHoldsIsNotCommittedAgain() {
        type("conv1", "param-kernel_size", "5, 5");
        type("conv1", "param-kernel_size", "[5,5]");
        type("conv1", "param-out_channels", "6");
        // conv1's padding is written as 0 in the file; an empty field means the default, also 0
        type("conv1", "param-padding", "");
        assertEquals(0, model.commands().size());
    }

    @Test
    void anEmptyStrideUnsetsItSoPoolingStepsByItsKernel() {
        type("pool1", "param-stride", "");
        assertNull(model.graph().require("pool1").param("stride"));
        assertEquals(1, model.commands().size());
        assertEquals("", row(rows("pool1"), "param-stride").getValue());
        assertEquals(I18n.text("inspector.unset"), row(rows("pool1"), "param-stride").prompt());
        assertEquals("6×14×14", InspectorFixtures.row(rows("pool1"), "inferred-outputShape").getValue());
    }

    @Test
    void aCheckBoxCommitsItsValue() {
        row(rows("fc3"), "param-bias").commit(false);
        assertEquals(false, model.graph().require("fc3").param("bias"));
        assertEquals("840", row(rows("fc3"), "inferred-parameters").getValue());
    }

    @Test
    void aNameMustBeAFreePythonIdentifier() {
        assertEquals(I18n.text("inspector.labelTaken", "conv2"), type("conv1", "inspectorName", "conv2").error());
        assertTrue(type("conv1", "inspectorName", "1st").error().contains("cannot name a PyTorch attribute"));
        assertTrue(type("conv1", "inspectorName", "forward").error().contains("cannot name a PyTorch attribute"));
        assertEquals(0, model.commands().size());
        type("conv1", "inspectorName", " features ");
        assertEquals("features", model.graph().require("conv1").label());
        type("conv1", "inspectorName", "");
        assertEquals("conv1", model.graph().require("conv1").label(), "an empty name is the id again");
        assertEquals(2, model.commands().size());
    }

    @Test
    void anInferredValueIsADashWhileTheShapeIsUnknown() {
        type("conv1", "param-kernel_size", "40"); // larger than the 32×32 input
        assertEquals("—", row(rows("conv1"), "inferred-outputShape").getValue());
        assertEquals("—", row(rows("conv2"), "inferred-in_channels").getValue());
    }

    @Test
    void theInputsShapeIsEditedAsAList() {
        type("input", "param-shape", "1, 28, 28");
        assertEquals(List.of(1, 28, 28), model.graph().require("input").param("shape"));
        assertEquals("256", row(rows("fc1"), "inferred-in_features").getValue(), "16×4×4 from 28×28 images");
    }
}
