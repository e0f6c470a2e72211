package io.deepcanvas.app.model;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The undo and redo history of one project, and whether it differs from what was saved. Like Scene Builder's
 * JobManager: the model pushes each finished edit; undo/redo hand back the state to restore.
 */
public final class CommandStack {
    /** Enough for a long session; the oldest edits fall off first. */
    static final int LIMIT = 1000;

    private final List<Command> done = new ArrayList<>();
    private final List<Command> undone = new ArrayList<>();
    /** How many commands deep the saved state lies; -1 when the saved state is no longer reachable. */
    private int savedDepth;
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyStringWrapper undoDescription = new ReadOnlyStringWrapper(this, "undoDescription", "");
    private final ReadOnlyStringWrapper redoDescription = new ReadOnlyStringWrapper(this, "redoDescription", "");

    void push(Command c) {
        if (savedDepth > done.size()) {
            savedDepth = -1; // the saved state lies on the redo branch this edit cuts off
        }
        done.add(c);
        undone.clear();
        if (done.size() > LIMIT) {
            done.remove(0);
            savedDepth = savedDepth > 0 ? savedDepth - 1 : -1;
        }
        update();
    }

    /** The command to revert, moved to the redo side; null when there is none. */
    Command popUndo() {
        if (done.isEmpty()) {
            return null;
        }
        Command c = done.remove(done.size() - 1);
        undone.add(c);
        update();
        return c;
    }

    /** The command to apply again, moved back to the undo side; null when there is none. */
    Command popRedo() {
        if (undone.isEmpty()) {
            return null;
        }
        Command c = undone.remove(undone.size() - 1);
        done.add(c);
        update();
        return c;
    }

    /** Forgets the history: a project was opened or created. */
    void clear() {
        done.clear();
        undone.clear();
        savedDepth = 0;
        update();
    }

    /** The current state is what is on disk now. */
    void markSaved() {
        savedDepth = done.size();
        update();
    }

    /** Forces the dirty mark, for a project restored from a recovery file (it was never saved where it points). */
    void markUnsaved() {
        savedDepth = -1;
        update();
    }

    private void update() {
        canUndo.set(!done.isEmpty());
        canRedo.set(!undone.isEmpty());
        dirty.set(savedDepth != done.size());
        undoDescription.set(done.isEmpty() ? "" : done.get(done.size() - 1).description());
        redoDescription.set(undone.isEmpty() ? "" : undone.get(undone.size() - 1).description());
    }

    public int size() {
        return done.size();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    /** Whether the project differs from what was last saved or opened. */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty undoDescriptionProperty() {
        return undoDescription.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoDescriptionProperty() {
        return redoDescription.getReadOnlyProperty();
    }
}
