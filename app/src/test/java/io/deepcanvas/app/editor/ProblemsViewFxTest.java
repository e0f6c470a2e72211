package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.io.Project;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.Test;

class ProblemsViewFxTest extends InspectorPanelFxTest {
    @Override
    protected Parent view() {
        return new ProblemsView(model);
    }

    @SuppressWarnings("unchecked")
    private ListView<Problem> list() {
        return lookup("#problemsList").queryAs(ListView.class);
    }

    /** Input 1×28×28 → Conv2d → Linear: the Linear is fed an image. */
    private void linearWithoutFlatten() {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", List.of(1, 28, 28)), 40, 200);
        g.add("conv1", "Conv2d", Map.of("out_channels", 4, "kernel_size", 5), 220, 200);
        g.add("fc1", "Linear", Map.of("out_features", 10), 400, 200);
        g.connect("input", "conv1");
        g.connect("conv1", "fc1");
        interact(() -> model.load(Project.of("broken", g), null));
    }

    @Test
    void aValidNetworkShowsTheFriendlyPlaceholder() {
        assertTrue(list().getItems().isEmpty());
        assertTrue(lookup(I18n.text("problems.none")).tryQuery().isPresent());
        assertFalse(lookup("#problemsCount").query().isVisible());
    }

    @Test
    void aProblemShowsItsLayerItsMessageAndItsFixWhichRepairsTheNetwork() {
        linearWithoutFlatten();
        assertEquals(1, list().getItems().size());
        assertEquals(I18n.text("problems.count", 1), lookup("#problemsCount").queryAs(Label.class).getText());
        assertTrue(lookup(list().getItems().get(0).message()).tryQuery().isPresent(), "the engine's message");
        Button fix = lookup(".fix-button").queryAs(Button.class);
        assertEquals(I18n.text("fix.insertFlatten", "fc1"), fix.getText());
        clickOn(fix);
        assertTrue(model.report().isValid());
        assertTrue(list().getItems().isEmpty());
        assertEquals(1, model.commands().size());
        interact(model::undo);
        assertEquals(1, list().getItems().size());
    }

    @Test
    void clickingAProblemSelectsItsLayer() {
        linearWithoutFlatten();
        clickOn(lookup(".problem-message").queryAs(Label.class));
        assertEquals(Set.of("fc1"), model.selection());
    }

    @Test
    void aDanglingLayerCanBeDeletedFromTheList() {
        interact(() -> model.addNode("ReLU", 900, 500));
        assertEquals(I18n.text("fix.delete", "relu5"), lookup(".fix-button").queryAs(Button.class).getText());
        clickOn(".fix-button");
        assertFalse(model.graph().contains("relu5"));
        assertTrue(model.report().isValid());
    }
}
