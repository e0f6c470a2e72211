package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;

class SummaryBarFxTest extends InspectorPanelFxTest {
    @Override
    protected Parent view() {
        return new SummaryBar(model);
    }

    private Label label(String id) {
        return lookup("#" + id).queryAs(Label.class);
    }

    @Test
    void leNet5ReadsAsTheTutorialsPrintIt() {
        assertEquals("Parameters: 61,706", label("summaryParams").getText());
        assertEquals("MACs per image: 416,520", label("summaryMacs").getText());
        assertEquals("Output: 10", label("summaryOutput").getText());
        assertEquals(I18n.text("summary.valid"), label("summaryValid").getText());
        assertTrue(label("summaryValid").getStyleClass().contains("summary-valid"));
    }

    @Test
    void aProblemTurnsTheStateRedAndCountsIt() {
        interact(() -> model.setParam("conv1", "kernel_size", 40));
        Label valid = label("summaryValid");
        assertEquals(I18n.text("summary.invalid", 1), valid.getText());
        assertTrue(valid.getStyleClass().contains("summary-invalid"));
        assertFalse(valid.getStyleClass().contains("summary-valid"));
        assertEquals("Output: —", label("summaryOutput").getText());
        interact(model::undo);
        assertTrue(valid.getStyleClass().contains("summary-valid"));
    }
}
