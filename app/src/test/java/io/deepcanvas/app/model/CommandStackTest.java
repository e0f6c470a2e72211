package io.deepcanvas.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.io.TrainingSettings;
import org.junit.jupiter.api.Test;

class CommandStackTest {
    private static final EditorState S = EditorState.of(new NetworkGraph(), TrainingSettings.defaults());
    private final CommandStack stack = new CommandStack();

    private static Command c(String name) {
        return new Command(name, S, S);
    }

    @Test
    void aNewStackCanNeitherUndoNorRedoAndIsClean() {
        assertFalse(stack.canUndoProperty().get());
        assertFalse(stack.canRedoProperty().get());
        assertFalse(stack.dirtyProperty().get());
        assertNull(stack.popUndo());
        assertNull(stack.popRedo());
        assertEquals("", stack.undoDescriptionProperty().get());
        assertEquals("", stack.redoDescriptionProperty().get());
    }

    @Test
    void undoAndRedoHandBackCommandsInStackOrder() {
        Command a = c("a");
        Command b = c("b");
        stack.push(a);
        stack.push(b);
        assertTrue(stack.canUndoProperty().get());
        assertFalse(stack.canRedoProperty().get());
        assertEquals("b", stack.undoDescriptionProperty().get());

        assertSame(b, stack.popUndo());
        assertEquals("a", stack.undoDescriptionProperty().get());
        assertEquals("b", stack.redoDescriptionProperty().get());
        assertTrue(stack.canRedoProperty().get());
        assertSame(a, stack.popUndo());
        assertFalse(stack.canUndoProperty().get());
        assertNull(stack.popUndo());
        assertEquals("a", stack.redoDescriptionProperty().get());

        assertSame(a, stack.popRedo());
        assertSame(b, stack.popRedo());
        assertNull(stack.popRedo());
        assertEquals(2, stack.size());
    }

    @Test
    void aNewCommandDropsTheRedoSide() {
        stack.push(c("a"));
        stack.push(c("b"));
        stack.popUndo();
        stack.push(c("c"));
        assertFalse(stack.canRedoProperty().get());
        assertEquals("", stack.redoDescriptionProperty().get());
        assertNull(stack.popRedo());
        assertEquals("c", stack.popUndo().description());
        assertEquals("a", stack.popUndo().description());
    }

    @Test
    void theOldestCommandsFallOffBeyondTheLimit() {
        for (int i = 0; i <= CommandStack.LIMIT; i++) {
            stack.push(c("c" + i));
        }
        assertEquals(1000, CommandStack.LIMIT);
        assertEquals(CommandStack.LIMIT, stack.size());
        Command last = null;
        for (int i = 0; i < CommandStack.LIMIT; i++) {
            last = stack.popUndo();
        }
        assertEquals("c1", last.description(), "c0 was dropped, c1 is now the oldest");
        assertNull(stack.popUndo());
    }

    @Test
    void aSavedStateThatFellOffTheHistoryStaysDirty() {
        stack.clear(); // saved at depth 0: the opened project
        for (int i = 0; i <= CommandStack.LIMIT; i++) {
            stack.push(c("c" + i));
        }
        while (stack.popUndo() != null) {
            assertTrue(stack.dirtyProperty().get(), "the opened state can no longer be reached");
        }
        assertTrue(stack.dirtyProperty().get());
    }

    @Test
    void theSavedStateMovesDownWhenOlderCommandsFallOff() {
        for (int i = 0; i < 5; i++) {
            stack.push(c("c" + i));
        }
        stack.markSaved(); // saved after c4
        for (int i = 5; i <= CommandStack.LIMIT; i++) {
            stack.push(c("c" + i));
        }
        // c0 fell off, so the state after c4 now lies 4 commands deep: undo until c4 is the last done
        while (!stack.undoDescriptionProperty().get().equals("c4")) {
            assertTrue(stack.dirtyProperty().get());
            stack.popUndo();
        }
        assertFalse(stack.dirtyProperty().get(), "back at the saved state");
        assertEquals(4, stack.size());
    }

    @Test
    void dirtyFollowsTheDistanceFromTheSavedState() {
        stack.push(c("a"));
        assertTrue(stack.dirtyProperty().get());
        stack.markSaved();
        assertFalse(stack.dirtyProperty().get());
        stack.popUndo();
        assertTrue(stack.dirtyProperty().get());
        stack.popRedo();
        assertFalse(stack.dirtyProperty().get());
        stack.popUndo();
        stack.push(c("b")); // the saved state was on the branch this cuts off
        stack.popUndo();
        assertTrue(stack.dirtyProperty().get());
        stack.popRedo();
        assertTrue(stack.dirtyProperty().get());
    }

    @Test
    void markUnsavedIsDirtyUntilMarkSaved() {
        stack.markUnsaved();
        assertTrue(stack.dirtyProperty().get());
        stack.push(c("a"));
        stack.popUndo();
        assertTrue(stack.dirtyProperty().get());
        stack.markSaved();
        assertFalse(stack.dirtyProperty().get());
    }

    @Test
    void clearForgetsEverythingAndIsClean() {
        stack.push(c("a"));
        stack.push(c("b"));
        stack.popUndo();
        stack.clear();
        assertEquals(0, stack.size());
        assertFalse(stack.canUndoProperty().get());
        assertFalse(stack.canRedoProperty().get());
        assertFalse(stack.dirtyProperty().get());
        assertEquals("", stack.undoDescriptionProperty().get());
        assertEquals("", stack.redoDescriptionProperty().get());
    }
}
