package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import java.util.List;
import java.util.Locale;
import javafx.scene.Parent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

class InspectorViewFxTest extends InspectorPanelFxTest {
    private InspectorView inspector;

    @Override
    protected Parent view() {
        inspector = new InspectorView(model);
        return inspector;
    }

    private Label error() {
        return lookup("#inspectorError").queryAs(Label.class);
    }

    private void select(String... ids) {
        interact(() -> {
            model.select(ids[0]);
            model.selection().addAll(List.of(ids));
        });
    }

    @Test
    void anInvalidValueTurnsTheFieldRedSaysWhyAndIsNotCommitted() {
        select("conv1");
        typeInto("param-kernel_size", "0");
        TextField kernel = field("param-kernel_size");
        assertTrue(kernel.getPseudoClassStates().contains(InspectorEditors.INVALID));
        assertTrue(error().isVisible());
        assertEquals("kernel_size must be >= 1, got 0; allowed: at least 1", error().getText());
        assertEquals(error().getText(), kernel.getTooltip().getText());
        type(KeyCode.ENTER);
        assertEquals(5, model.graph().require("conv1").param("kernel_size"));
        assertEquals(0, model.commands().size());

        typeInto("param-kernel_size", "3");
        assertFalse(kernel.getPseudoClassStates().contains(InspectorEditors.INVALID));
        assertFalse(error().isVisible());
        assertEquals(5, model.graph().require("conv1").param("kernel_size"), "nothing is committed before Enter");
        type(KeyCode.ENTER);
        assertEquals(3, model.graph().require("conv1").param("kernel_size"));
        assertEquals(1, model.commands().size());
    }

    @Test
    void leavingTheFieldCommitsAValidValueAndRevertsAnInvalidOne() {
        select("conv1");
        typeInto("param-out_channels", "8");
        clickOn("#param-padding");
        assertEquals(8, model.graph().require("conv1").param("out_channels"));
        typeInto("param-padding", "-1");
        clickOn("#param-out_channels");
        assertEquals("0", field("param-padding").getText());
        assertFalse(error().isVisible());
        assertEquals(1, model.commands().size());
    }

    @Test
    void undoUpdatesTheShownValueInTheSameField() {
        select("conv1");
        typeInto("param-kernel_size", "5, 3");
        type(KeyCode.ENTER);
        TextField kernel = field("param-kernel_size");
        assertEquals("5, 3", kernel.getText());
        interact(model::undo);
        assertSame(kernel, field("param-kernel_size"), "the sheet is not rebuilt for an undo");
        assertEquals("5", kernel.getText());
    }

    @Test
    void anEditElsewhereDoesNotInterruptTyping() {
        select("conv1");
        typeInto("param-out_channels", "12");
        TextField out = field("param-out_channels");
        interact(() -> model.setParam("conv2", "out_channels", 20));
        assertSame(out, field("param-out_channels"));
        assertTrue(out.isFocused());
        assertEquals("12", out.getText());
        write("8");
        type(KeyCode.ENTER);
        assertEquals(128, model.graph().require("conv1").param("out_channels"));
    }

    @Test
    void aValueTypedButNotCommittedIsKeptWhenAnotherLayerIsSelected() {
        select("conv1");
        typeInto("param-out_channels", "10");
        select("conv2");
        assertEquals(10, model.graph().require("conv1").param("out_channels"));
        assertEquals("16", field("param-out_channels").getText());
    }

    @Test
    void anEmptyStrideUnsetsIt() {
        select("pool1");
        typeInto("param-stride", "");
        type(KeyCode.ENTER);
        assertNull(model.graph().require("pool1").param("stride"));
        assertEquals(I18n.text("inspector.unset"), field("param-stride").getPromptText());
    }

    @Test
    void theNameIsCheckedAndRenamesTheLayer() {
        select("fc1");
        typeInto("inspectorName", "fc2");
        assertEquals(I18n.text("inspector.labelTaken", "fc2"), error().getText());
        typeInto("inspectorName", "hidden");
        type(KeyCode.ENTER);
        assertEquals("hidden", model.graph().require("fc1").label());
        assertEquals(I18n.text("inspector.heading", "hidden", "Linear"),
                lookup("#inspectorTitle").queryAs(Label.class).getText());
    }

    @Test
    void aCheckBoxIsOneClickOneCommand() {
        select("fc3");
        clickOn("#param-bias");
        assertEquals(false, model.graph().require("fc3").param("bias"));
        assertEquals(1, model.commands().size());
        interact(model::undo);
        assertTrue(lookup("#param-bias").queryAs(CheckBox.class).isSelected());
    }

    @Test
    void withNothingSelectedTheTrainingSettingsShowAndFollowTheOptimizer() {
        interact(() -> model.select(null));
        assertEquals("64", field("training-batchSize").getText());
        assertTrue(lookup("#training-momentum").tryQuery().isEmpty());
        interact(() -> lookup("#training-optimizer").queryAs(ComboBox.class).getSelectionModel().select("SGD"));
        assertEquals("SGD", model.training().optimizer().type());
        assertEquals("0", field("training-momentum").getText());
        typeInto("training-batchSize", "0");
        assertTrue(error().getText().startsWith("batchSize must be at least 1, got 0"), error().getText());
        typeInto("training-batchSize", "32");
        type(KeyCode.ENTER);
        assertEquals(32, model.training().batchSize());
    }

    @Test
    void severalSelectedLayersAreCountedNotEdited() {
        select("conv1", "conv2", "fc1");
        Label many = lookup("#inspectorMany").queryAs(Label.class);
        assertTrue(many.isVisible());
        assertEquals(I18n.text("inspector.many", 3), many.getText());
        assertFalse(lookup("#inspectorSheet").query().isVisible());
    }

    @Test
    void whileTrainingRunsTheEditorsAreDisabledAndANoteSaysWhy() {
        select("conv1");
        interact(() -> model.setLocked(true));
        assertTrue(lookup("#inspectorLocked").query().isVisible());
        assertTrue(field("param-kernel_size").isDisabled());
        interact(() -> model.setLocked(false));
        assertFalse(lookup("#inspectorLocked").query().isVisible());
        assertFalse(field("param-kernel_size").isDisabled());
    }

    private TitledPane group(String key) {
        return lookup(".titled-pane").queryAllAs(TitledPane.class).stream()
                .filter(p -> p.getText().equals(I18n.text(key))).findFirst().orElseThrow();
    }

    @Test
    void everyGroupIsOpenAndOneClosedStaysClosedFromLayerToLayer() {
        select("conv1");
        assertTrue(group("inspector.group.layer").isExpanded());
        assertTrue(group("inspector.group.params").isExpanded());
        assertTrue(group("inspector.group.inferred").isExpanded());
        clickOn(group("inspector.group.params").lookup(".title"));
        assertFalse(group("inspector.group.params").isExpanded());
        select("conv2");
        assertFalse(group("inspector.group.params").isExpanded());
        assertTrue(group("inspector.group.inferred").isExpanded());
        assertEquals("16×10×10", lookup("#inferred-outputShape").queryAs(Label.class).getText());
    }

    @Test
    void aLanguageSwitchRebuildsTheSheet() {
        select("conv1");
        interact(() -> I18n.setLocale(Locale.forLanguageTag("es")));
        try {
            assertEquals(I18n.text("inspector.heading", "conv1", "Conv2d"),
                    lookup("#inspectorTitle").queryAs(Label.class).getText());
            assertEquals("5", field("param-kernel_size").getText());
        } finally {
            interact(() -> I18n.setLocale(Locale.ENGLISH));
        }
    }

    @Test
    void spanishNamesAreNotCutInAnInspectorAsWideAsTheWindowsOwn() {
        interact(() -> {
            // 340 pixels of the 420-pixel scene: the inspector's width in the 1440-pixel window (the stage itself
            // is shared with the other tests' windows and keeps any width set on it)
            inspector.setPadding(new javafx.geometry.Insets(0, 80, 0, 0));
            model.selection().clear();
            I18n.setLocale(Locale.forLanguageTag("es"));
        });
        try {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            // each name as its label draws it: "Tasa de aprendiz..." before the editors' narrower preferred width
            List<String> cut = lookup(".property-sheet .label").queryAllAs(Label.class).stream()
                    .filter(l -> !l.getText().isEmpty() && l.lookup(".text") instanceof javafx.scene.text.Text t
                            && !t.getText().equals(l.getText()))
                    .map(Label::getText).toList();
            assertTrue(cut.isEmpty(), "cut: " + cut);
            assertTrue(lookup(".property-sheet .label").queryAllAs(Label.class).stream()
                    .anyMatch(l -> l.getText().equals("Tasa de aprendizaje")), "the training settings show");
        } finally {
            interact(() -> I18n.setLocale(Locale.ENGLISH));
        }
    }

    @Test
    void theKeyboardCanGoStraightToTheFirstParameter() {
        interact(() -> {
            model.select("conv2");
            assertTrue(inspector.focusFirstParameter(), "before the deferred rebuild too");
        });
        assertEquals("param-out_channels", stage.getScene().getFocusOwner().getId());
        write("32"); // the field's text is selected: typing replaces it
        type(KeyCode.ENTER);
        assertEquals(32, model.graph().require("conv2").param("out_channels"));
        interact(() -> {
            model.select("relu1");
            assertFalse(inspector.focusFirstParameter(), "ReLU has nothing to edit");
        });
    }
}
