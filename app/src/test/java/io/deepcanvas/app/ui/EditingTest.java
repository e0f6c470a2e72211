package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.model.Graphs;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.io.Project;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** Editing beyond the canvas gestures: undo/redo of everything, fixes, clipboard, palette, language, training. */
class EditingTest extends EditorFxTest {

    private void shortcut(KeyCode key) {
        press(KeyCode.CONTROL).type(key).release(KeyCode.CONTROL);
    }

    @Test
    void aMixedSequenceUndoesBackToTheEmptyCanvasAndRedoesForward() throws Exception {
        emptyProject();
        List<NetworkGraph> states = new ArrayList<>();
        states.add(model.graph().copy());
        String in = dragFromPalette("Input", 300, 150);
        states.add(model.graph().copy());
        String conv = dragFromPalette("Conv2d", 560, 150);
        states.add(model.graph().copy());
        connect(in, conv);
        states.add(model.graph().copy());
        clickOn(canvas); // keyboard to the canvas, nothing selected: quick add appends after the network's end
        clickNode(conv);
        type(KeyCode.SPACE).write("relu").type(KeyCode.ENTER);
        states.add(model.graph().copy());
        drag("#node-" + conv, MouseButton.PRIMARY).moveBy(20, 60).moveBy(20, 40).release(MouseButton.PRIMARY);
        states.add(model.graph().copy());
        clickNode(conv);
        shortcut(KeyCode.D); // duplicate
        states.add(model.graph().copy());
        type(KeyCode.DELETE);
        states.add(model.graph().copy());
        shortcut(KeyCode.L); // auto-layout
        states.add(model.graph().copy());
        int edits = states.size() - 1;
        assertEquals(edits, model.commands().size(), "every edit is exactly one command");
        for (int i = edits - 1; i >= 0; i--) {
            shortcut(KeyCode.Z);
            assertTrue(Graphs.sameGraph(states.get(i), model.graph()), "undo step back to state " + i);
        }
        assertTrue(model.graph().nodes().isEmpty(), "back to the empty canvas");
        for (int i = 1; i <= edits; i++) {
            if (i % 2 == 0) {
                shortcut(KeyCode.Y);
            } else {
                press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
            }
            assertTrue(Graphs.sameGraph(states.get(i), model.graph()), "redo forward to state " + i);
        }
    }

    @Test
    void theInsertFlattenFixMakesTheNetworkValidAndUndoes() throws Exception {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", List.of(1, 28, 28)), 40, 200);
        g.add("fc1", "Linear", Map.of("out_features", 10), 240, 200);
        g.connect("input", "fc1");
        interact(() -> {
            model.load(Project.of("broken", g), null);
            canvas.fit();
        });
        assertFalse(model.report().isValid());
        assertTrue(lookup("#node-fc1").query().getPseudoClassStates().toString().contains("problem"),
                "the node is outlined in red");
        clickOn("#tab-problems");
        ListView<?> list = lookup("#problemsList").queryAs(ListView.class);
        assertEquals(1, list.getItems().size());
        Button fix = lookup(".fix-button").queryAll().stream().map(Button.class::cast)
                .filter(b -> b.getText().contains("Flatten")).findFirst().orElseThrow();
        clickOn(fix);
        assertTrue(model.report().isValid(), () -> model.report().problems().toString());
        assertTrue(model.graph().edges().stream().anyMatch(e -> e.to().equals("fc1")
                && model.graph().node(e.from()).type().equals("Flatten")));
        assertEquals(7850, model.report().totalParameters());
        shortcut(KeyCode.Z);
        assertTrue(Graphs.sameGraph(g, model.graph()), "the fix undoes in one step");
    }

    @Test
    void clickingAProblemSelectsItsNode() throws Exception {
        openLayout("lenet5");
        clickNode("conv2");
        clickOn("#tab-inspector");
        clickOn("#param-kernel_size");
        press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        write("20").type(KeyCode.ENTER);
        assertFalse(model.report().isValid());
        Problem p = model.report().problems().get(0);
        assertEquals("conv2", p.nodeId());
        clickOn(canvas);
        type(KeyCode.ESCAPE);
        clickOn("#tab-problems");
        javafx.scene.Node cell = lookup("#problemsList .list-cell").queryAll().stream()
                .filter(c -> ((javafx.scene.control.ListCell<?>) c).getItem() != null).findFirst().orElseThrow();
        javafx.geometry.Bounds b = cell.localToScreen(cell.getBoundsInLocal());
        clickOn(new javafx.geometry.Point2D(b.getMinX() + 12, b.getMinY() + 8)); // on the message, not a fix button
        assertEquals(Set.of("conv2"), Set.copyOf(model.selection()));
    }

    @Test
    void copyAndPasteAddsFreshCopiesWithTheirInnerLinks() throws Exception {
        openLayout("mlp");
        clickNode("fc1");
        press(KeyCode.SHIFT);
        clickNode("relu1");
        release(KeyCode.SHIFT);
        shortcut(KeyCode.C);
        clickOn(canvas);
        shortcut(KeyCode.V);
        assertEquals(9, model.graph().nodes().size());
        assertEquals(2, model.selection().size(), "the pasted copies are selected");
        List<String> pasted = List.copyOf(model.selection());
        assertFalse(pasted.contains("fc1"));
        assertTrue(model.graph().edges().contains(new Edge(pasted.get(0), pasted.get(1), 0))
                || model.graph().edges().contains(new Edge(pasted.get(1), pasted.get(0), 0)));
        shortcut(KeyCode.X);
        assertEquals(7, model.graph().nodes().size(), "cut removes them");
    }

    @Test
    void paletteSearchFiltersAndDoubleClickAppendsAfterTheSelection() throws Exception {
        openLayout("mlp");
        clickOn("#paletteSearch").write("drop");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(lookup("#palette-Dropout").tryQuery().isPresent());
        assertFalse(lookup("#palette-Conv2d").tryQuery().isPresent(), "other layers are filtered out");
        clickNode("relu1");
        doubleClickOn("#palette-Dropout");
        String added = model.selection().iterator().next();
        assertEquals("Dropout", model.graph().node(added).type());
        assertTrue(model.graph().edges().contains(new Edge("relu1", added, 0)));
        assertTrue(model.graph().edges().contains(new Edge(added, "fc2", 0)), "inserted into the chain");
        assertTrue(model.report().isValid());
    }

    @Test
    void aLayerAppendedPastTheCanvasEdgeIsBroughtIntoView() throws Exception {
        emptyProject();
        javafx.geometry.Bounds view = canvas.viewport();
        double w = io.deepcanvas.app.model.EditorModel.NODE_WIDTH, h = io.deepcanvas.app.model.EditorModel.NODE_HEIGHT;
        // an Input against the right edge: the next layer goes to its right, past the edge
        dragFromPalette("Input", view.getMaxX() - w, view.getMinY() + view.getHeight() / 2);
        doubleClickOn("#palette-Conv2d");
        waitUntil(() -> model.graph().nodes().size() == 2 && model.selectedNode() != null
                && "Conv2d".equals(model.selectedNode().type()));
        io.deepcanvas.engine.graph.Node added = model.selectedNode();
        waitUntil(() -> canvas.viewport().contains(added.x(), added.y(), w, h));
        assertTrue(canvas.viewport().contains(canvas.contentBounds()), "the Input stays in view too");
    }

    @Test
    void f1ListsEveryShortcutFromTheMenusAndTheCanvasKeys() throws Exception {
        openLayout("lenet5");
        clickNode("relu1");
        type(KeyCode.DELETE); // something to undo: the Undo item then reads "Undo Delete"
        clickOn(canvas);
        type(KeyCode.F1);
        waitUntil(() -> lookup("#shortcutsDialog").tryQuery().isPresent());
        List<String> texts = lookup("#shortcutsList .label").queryAllAs(Label.class).stream().map(Label::getText)
                .toList();
        // read from the menu bar: each command next to its keys, as the menus show them
        int train = texts.indexOf("Train");
        assertTrue(train >= 0 && "F5".equals(texts.get(train + 1)), texts.toString());
        javafx.scene.input.KeyCombination save = javafx.scene.input.KeyCombination.keyCombination("Shortcut+S");
        assertEquals(save.getDisplayText(), texts.get(texts.indexOf("Save") + 1));
        assertTrue(texts.contains("Undo") && texts.stream().noneMatch(t -> t.startsWith("Undo ")), texts.toString());
        assertTrue(texts.contains("Keyboard Shortcuts") && texts.contains("Zoom In"), texts.toString());
        // and the canvas's keys, which no menu has
        assertTrue(texts.contains("On the canvas") && texts.contains("Connect two layers"), texts.toString());
        // F1 again, from the editor: the open list comes forward, no second copy
        interact(() -> canvas.getScene().getWindow().requestFocus());
        type(KeyCode.F1);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, lookup("#shortcutsDialog").queryAll().size(), "F1 twice opened two lists");
        interact(() -> lookup("#shortcutsDialog").query().getScene().getWindow().hide());
        // closed, F1 opens it again
        clickOn(canvas);
        type(KeyCode.F1);
        waitUntil(() -> lookup("#shortcutsDialog").tryQuery().isPresent());
        interact(() -> lookup("#shortcutsDialog").query().getScene().getWindow().hide());
    }

    @Test
    void aLongLayerTypeLeavesItsNameReadable() throws Exception {
        openLayout("lenet5");
        WaitForAsyncUtils.waitForFxEvents();
        // the text the label's skin draws: "p…" when the header's gaps left "pool1" three characters
        javafx.scene.text.Text shown = lookup("#node-pool1 .node-label .text").queryAs(javafx.scene.text.Text.class);
        assertEquals("pool1", shown.getText());
    }

    @Test
    void typingALetterOnTheCanvasOpensQuickAddWithIt() throws Exception {
        openLayout("mlp");
        clickNode("fc3");
        write("s");
        assertTrue(lookup("#quickAdd").query().isVisible());
        assertEquals("s", lookup("#quickAddField").queryAs(javafx.scene.control.TextField.class).getText());
        write("oft").type(KeyCode.ENTER);
        String added = model.selection().iterator().next();
        assertEquals("Softmax", model.graph().node(added).type());
        assertTrue(model.graph().edges().contains(new Edge("fc3", added, 0)));
        assertFalse(lookup("#quickAdd").query().isVisible());
    }

    @Test
    void autoLayoutIsOneUndoableCommandAndTheMinimapToggles() throws Exception {
        openLayout("resnet-mini");
        NetworkGraph before = model.graph().copy();
        shortcut(KeyCode.L);
        assertFalse(Graphs.sameGraph(before, model.graph()));
        shortcut(KeyCode.Z);
        assertTrue(Graphs.sameGraph(before, model.graph()));
        assertTrue(lookup("#minimap").query().isVisible());
        chooseMenuItem("menu-minimap");
        assertFalse(lookup("#minimap").query().isVisible());
    }

    @Test
    void theMinimapOfANewProjectShowsNothingOfTheProjectBefore() throws Exception {
        openLayout("lenet5");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(minimapColours() > 1, "LeNet-5's layers are drawn in the overview");
        emptyProject();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, minimapColours(), "an empty canvas's overview is one plain background, no trace of LeNet-5");
    }

    /** How many distinct colours the minimap shows. */
    private long minimapColours() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            StackPane minimap = lookup("#minimap").query();
            Image shot = minimap.getChildren().get(0).snapshot(null, null);
            Set<Integer> colours = new HashSet<>();
            PixelReader pixels = shot.getPixelReader();
            for (int y = 0; y < (int) shot.getHeight(); y++) {
                for (int x = 0; x < (int) shot.getWidth(); x++) {
                    colours.add(pixels.getArgb(x, y));
                }
            }
            return (long) colours.size();
        }).get();
    }

    @Test
    void switchingToPortugueseChangesTheMenusWithoutARestart() throws Exception {
        openLayout("lenet5");
        assertEquals("File", menuText("menu-file"));
        chooseMenuItem("language-pt-BR");
        assertEquals("Arquivo", menuText("menu-file"));
        assertEquals("Editar", menuText("menu-edit"));
        assertTrue(lookup("#summaryParams").queryAs(Label.class).getText().contains("61,706"));
        chooseMenuItem("language-es");
        assertEquals("Archivo", menuText("menu-file"));
        chooseMenuItem("language-en");
        assertEquals("File", menuText("menu-file"));
    }

    @Test
    void trainingLocksEditingReportsInTheStatusBarAndStops() throws Exception {
        openLayout("mlp");
        type(KeyCode.F5);
        waitUntil(() -> model.lockedProperty().get());
        clickNode("fc1");
        type(KeyCode.DELETE);
        assertTrue(model.graph().contains("fc1"), "the graph is locked while training runs");
        waitUntil(() -> lookup("#status").queryAs(Label.class).getText().contains("step"));
        press(KeyCode.SHIFT).type(KeyCode.F5).release(KeyCode.SHIFT);
        waitUntil(() -> !model.lockedProperty().get());
        String status = lookup("#status").queryAs(Label.class).getText();
        assertTrue(status.startsWith("Training stopped"), status);
        type(KeyCode.DELETE);
        assertFalse(model.graph().contains("fc1"), "editing works again after the run");
        assertNotNull(status);
    }

    @Test
    void trainRefusesAnInvalidNetworkWithTheReason() throws Exception {
        openLayout("mlp");
        clickNode("flatten");
        type(KeyCode.DELETE);
        type(KeyCode.F5);
        String status = lookup("#status").queryAs(Label.class).getText();
        assertTrue(status.startsWith("Cannot train"), status);
        assertFalse(model.lockedProperty().get());
    }

    /**
     * Every node of every shipped project shows its output shape and parameter count whole: beside a long shape
     * the count takes a shorter form ("2.4k params") rather than being cut ("2,416 par…"), in each language.
     */
    @Test
    void nodesShowTheirShapeAndParameterCountWhole() throws Exception {
        for (String name : List.of("lenet5", "lenet5-3x3", "mlp", "convnet", "resnet-mini")) {
            openLayout(name);
            for (java.util.Locale locale : List.of(java.util.Locale.ENGLISH, new java.util.Locale("es"))) {
                interact(() -> io.deepcanvas.app.i18n.I18n.setLocale(locale));
                WaitForAsyncUtils.waitForFxEvents();
                for (var node : model.graph().nodes()) {
                    for (String label : List.of("#shape-", "#count-")) {
                        Label l = lookup(label + node.id()).queryAs(Label.class);
                        javafx.scene.text.Text shown = (javafx.scene.text.Text) l.lookup(".text");
                        String text = l.getText();
                        assertEquals(text, shown == null ? "" : shown.getText(),
                                name + " " + locale + ": " + label + node.id() + " is cut");
                    }
                }
            }
            interact(() -> io.deepcanvas.app.i18n.I18n.setLocale(java.util.Locale.ENGLISH));
            if (name.equals("lenet5")) {
                String conv2 = lookup("#count-conv2").queryAs(Label.class).getText();
                assertTrue(conv2.equals("2,416 params") || conv2.equals("2.4k params") || conv2.equals("2.4k"),
                        conv2);
                assertEquals("48,120 params", lookup("#count-fc1").queryAs(Label.class).getText(),
                        "a count that fits stays exact");
            }
        }
    }
}
