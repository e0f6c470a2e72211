package io.deepcanvas.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.Models.Snap;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session of many kinds of edit from an empty project; undo must walk back through every intermediate state
 * exactly (nodes, params, labels, positions, edge order, training settings), and redo forward again.
 */
class EditorModelMixedSequenceTest {
    private final EditorModel m = new EditorModel();
    private final List<Snap> states = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    @BeforeEach
    void setUp() {
        I18n.setLocale(Locale.ENGLISH);
        m.newProject();
        record("empty project");
    }

    private void record(String what) {
        states.add(Snap.of(m));
        names.add(what);
        assertEquals(states.size() - 1, m.commands().size(), "'" + what + "' is exactly one command");
    }

    @Test
    void undoWalksBackThroughEveryStateAndRedoForwardAgain() {
        m.addNode("Input", EditorModel.ORIGIN_X, EditorModel.ORIGIN_Y);
        record("add Input");
        m.append("Conv2d");
        record("append Conv2d");
        m.setParam("conv1", "out_channels", 6);
        record("set out_channels");
        m.append("ReLU");
        record("append ReLU");
        m.addNode("Linear", 900, 200);
        record("add Linear");
        assertNull(m.connect("relu1", "fc1", -1));
        record("connect relu1 → fc1");

        Problem mismatch = Models.problems(m, "fc1", Problem.Kind.SHAPE_MISMATCH).get(0);
        m.apply(Fixes.forProblem(mismatch, m.graph(), m.report()).get(0));
        record("fix: insert Flatten");
        assertTrue(m.report().isValid(), m.report().problems().toString());

        m.previewMove(List.of("fc1"), 15, 25);
        m.previewMove(List.of("fc1"), 15, 25);
        m.finishMove();
        record("drag fc1");
        m.insertOnEdge("Dropout", new Edge("conv1", "relu1", 0), 300, 300);
        record("insert Dropout");
        m.select("dropout1");
        m.deleteSelection();
        record("delete Dropout");
        assertNull(m.connect("conv1", "relu1", -1));
        record("reconnect conv1 → relu1");

        m.select("conv1");
        m.selection().add("relu1");
        assertTrue(m.paste(m.copySelection(), 0, 250));
        record("paste conv1 + relu1");
        m.autoLayout();
        record("auto-layout");
        m.setLabel("conv1", "features");
        record("rename conv1");
        m.setTraining(m.training().withEpochs(3));
        record("training: 3 epochs");

        Problem loose = Models.problems(m, "conv2", Problem.Kind.NOT_CONNECTED).get(0);
        m.apply(Fixes.forProblem(loose, m.graph(), m.report()).get(0));
        record("fix: delete the pasted, unconnected conv2");
        assertFalse(m.graph().contains("conv2"));

        int last = states.size() - 1;
        for (int i = last - 1; i >= 0; i--) {
            m.undo();
            states.get(i).assertMatches(m, "undo back to '" + names.get(i) + "'");
        }
        assertTrue(m.graph().nodes().isEmpty());
        assertFalse(m.commands().canUndoProperty().get());
        assertFalse(m.isDirty(), "back at the state the project was created in");

        for (int i = 1; i <= last; i++) {
            m.redo();
            states.get(i).assertMatches(m, "redo to '" + names.get(i) + "'");
        }
        assertFalse(m.commands().canRedoProperty().get());
        assertTrue(m.isDirty());
    }
}
