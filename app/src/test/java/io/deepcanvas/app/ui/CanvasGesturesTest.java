package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.model.Graphs;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** Gestures on the canvas: connecting, refusing, selecting, moving, inserting, deleting, panning, zooming. */
class CanvasGesturesTest extends EditorFxTest {

    @Test
    void draggingFromAnOutputPortToAnInputPortConnects() {
        emptyProject();
        String in = dragFromPalette("Input", 300, 200);
        String conv = dragFromPalette("Conv2d", 560, 200);
        connect(in, conv);
        assertEquals(1, model.graph().edges().size());
        assertEquals(new Edge(in, conv, 0), model.graph().edges().get(0));
        assertTrue(lookup("#edge-" + in + "-" + conv + "-0").tryQuery().isPresent(), "the link is drawn");
    }

    @Test
    void aLinkThatWouldMakeACycleIsRefusedWithTheReason() throws Exception {
        openLayout("mlp");
        NetworkGraph before = model.graph().copy();
        Point2D from = canvas.outputPortOnScreen("fc3");
        Point2D to = canvas.inputPortOnScreen("fc1", 0);
        moveTo(from);
        press(MouseButton.PRIMARY);
        moveBy(15, 5);
        moveTo(to);
        WaitForAsyncUtils.waitForFxEvents();
        Label reason = lookup(".link-reason").queryAs(Label.class);
        assertTrue(reason.isVisible(), "the refused link says why while it is dragged");
        assertTrue(reason.getText().contains("cycle"), reason.getText());
        assertTrue(lookup(".link-preview").query().getPseudoClassStates().toString().contains("refused"),
                "the preview is greyed");
        release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(Graphs.sameGraph(before, model.graph()), "nothing was connected");
        assertFalse(model.commands().canUndoProperty().get(), "a refused link records no command");
    }

    @Test
    void anInputPortAlreadyJoinedRefusesASecondLink() throws Exception {
        openLayout("mlp");
        int edges = model.graph().edges().size();
        connect("input", "relu1");
        assertEquals(edges, model.graph().edges().size());
        assertTrue(lookup("#status").queryAs(Label.class).getText().contains("already connected"));
    }

    @Test
    void clickingAnEdgeSelectsItAndDeleteRemovesIt() throws Exception {
        openLayout("mlp");
        Edge e = new Edge("fc1", "relu1", 0);
        Point2D a = canvas.outputPortOnScreen("fc1");
        Point2D b = canvas.inputPortOnScreen("relu1", 0);
        clickOn(a.midpoint(b));
        assertEquals(e, model.selectedEdgeProperty().get());
        type(KeyCode.DELETE);
        assertFalse(model.graph().edges().contains(e));
        press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertTrue(model.graph().edges().contains(e), "undo brings the edge back");
    }

    @Test
    void deleteKeyDeletesTheSelectedNodeWithItsEdgesAndUndoRestoresThem() throws Exception {
        openLayout("lenet5");
        NetworkGraph before = model.graph().copy();
        clickNode("relu3");
        type(KeyCode.DELETE);
        assertFalse(model.graph().contains("relu3"));
        assertEquals(before.edges().size() - 2, model.graph().edges().size());
        press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertTrue(Graphs.sameGraph(before, model.graph()));
    }

    @Test
    void draggingSelectedNodesMovesThemTogetherAsOneCommand() throws Exception {
        openLayout("mlp");
        clickNode("fc1");
        press(KeyCode.SHIFT);
        clickNode("relu1");
        release(KeyCode.SHIFT);
        assertEquals(Set.of("fc1", "relu1"), Set.copyOf(model.selection()));
        Node fc1 = model.graph().node("fc1");
        double x1 = fc1.x(), y1 = fc1.y(), x2 = model.graph().node("relu1").x();
        drag("#node-fc1", MouseButton.PRIMARY).moveBy(30, 40).moveBy(30, 40).moveBy(20, 40).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double dx = model.graph().node("fc1").x() - x1;
        assertNotEquals(0, model.graph().node("fc1").y() - y1, 0.0);
        assertEquals(dx, model.graph().node("relu1").x() - x2, 1e-9, "both moved by the same amount");
        assertEquals(0, model.graph().node("fc1").x() % 20, 1e-9, "snapped to the grid");
        assertEquals(1, model.commands().size(), "a drag is one command");
        interact(model::undo);
        assertEquals(x1, model.graph().node("fc1").x(), 1e-9);
        assertEquals(y1, model.graph().node("fc1").y(), 1e-9);
    }

    @Test
    void droppingAFreeNodeOntoAnEdgeInsertsItThere() throws Exception {
        openLayout("mlp");
        interact(() -> canvas.actualSize());
        interact(() -> canvas.centerOn(model.graph().node("fc1").x() + 80, model.graph().node("fc1").y() + 200));
        Node fc1 = model.graph().node("fc1");
        String drop = dragFromPalette("Dropout", fc1.x() + 80, fc1.y() + 330);
        assertTrue(model.graph().inputsOf(drop).isEmpty());
        Point2D a = canvas.outputPortOnScreen("fc1");
        Point2D b = canvas.inputPortOnScreen("relu1", 0);
        Point2D mid = a.midpoint(b);
        Point2D nodeCentre = lookup("#node-" + drop).query().localToScreen(86, 43);
        drag(nodeCentre, MouseButton.PRIMARY).moveBy(0, -40).moveTo(mid).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(model.graph().edges().contains(new Edge("fc1", drop, 0)));
        assertTrue(model.graph().edges().contains(new Edge(drop, "relu1", 0)));
        assertFalse(model.graph().edges().contains(new Edge("fc1", "relu1", 0)));
        assertTrue(model.report().isValid());
        interact(model::undo);
        assertTrue(model.graph().edges().contains(new Edge("fc1", "relu1", 0)), "move and insert undo together");
        assertTrue(model.graph().inputsOf(drop).isEmpty());
    }

    @Test
    void shiftDragOnEmptySpaceSelectsWithARubberBand() throws Exception {
        openLayout("mlp");
        Node a = model.graph().node("input");
        Node b = model.graph().node("fc1");
        Point2D start = canvas.worldToScreen(a.x() - 20, a.y() - 30);
        Point2D end = canvas.worldToScreen(b.x() + 100, b.y() + 120);
        press(KeyCode.SHIFT);
        drag(start, MouseButton.PRIMARY).moveBy(20, 20).moveTo(end).release(MouseButton.PRIMARY);
        release(KeyCode.SHIFT);
        assertEquals(Set.of("input", "flatten", "fc1"), Set.copyOf(model.selection()));
    }

    @Test
    void draggingEmptySpacePansAndArrowKeysPanToo() throws Exception {
        openLayout("mlp");
        Point2D before = canvas.worldToScreen(0, 0);
        Point2D empty = canvas.worldToScreen(model.graph().node("fc1").x(), model.graph().node("fc1").y() + 300);
        drag(empty, MouseButton.PRIMARY).moveBy(50, 30).moveBy(50, 30).release(MouseButton.PRIMARY);
        Point2D after = canvas.worldToScreen(0, 0);
        assertEquals(100, after.getX() - before.getX(), 1.5);
        assertEquals(60, after.getY() - before.getY(), 1.5);
        type(KeyCode.LEFT);
        assertEquals(after.getX() + 40, canvas.worldToScreen(0, 0).getX(), 1.5);
        assertTrue(model.graph().node("fc1") != null && model.commands().size() == 0, "panning edits nothing");
    }

    @Test
    void wheelZoomsAroundThePointer() throws Exception {
        openLayout("mlp");
        Node fc2 = model.graph().node("fc2");
        Point2D pointer = canvas.worldToScreen(fc2.x(), fc2.y());
        double zoom = canvas.zoomProperty().get();
        moveTo(pointer);
        scroll(3, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotEquals(zoom, canvas.zoomProperty().get());
        Point2D same = canvas.worldToScreen(fc2.x(), fc2.y());
        assertEquals(pointer.getX(), same.getX(), 2);
        assertEquals(pointer.getY(), same.getY(), 2);
    }

    @Test
    void zoomShortcutsAndActualSize() throws Exception {
        openLayout("lenet5");
        press(KeyCode.CONTROL).type(KeyCode.DIGIT0).release(KeyCode.CONTROL);
        assertEquals(1.0, canvas.zoomProperty().get(), 1e-9);
        press(KeyCode.CONTROL).type(KeyCode.MINUS).release(KeyCode.CONTROL);
        assertTrue(canvas.zoomProperty().get() < 1);
        assertEquals(Math.round(canvas.zoomProperty().get() * 100) + "%",
                lookup("#zoomLabel").queryAs(Label.class).getText());
    }

    @Test
    void escapeClearsTheSelection() throws Exception {
        openLayout("mlp");
        clickNode("fc2");
        assertEquals(Set.of("fc2"), Set.copyOf(model.selection()));
        type(KeyCode.ESCAPE);
        assertTrue(model.selection().isEmpty());
        assertNull(model.selectedNode());
    }
}
