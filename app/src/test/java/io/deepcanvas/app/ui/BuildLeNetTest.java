package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.ShapeInference;
import io.deepcanvas.engine.io.ProjectFile;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's LeNet-5 built on an empty canvas as a user would: once with the mouse (palette drags, port drags,
 * the inspector) and once from the keyboard alone (quick add, Enter to edit, Tab between fields).
 */
class BuildLeNetTest extends EditorFxTest {
    /** LeNet-5 in order: type, then the parameters to type into the inspector. */
    private static final Object[][] LENET = {
            {"Input", "shape", "1, 32, 32"},
            {"Conv2d", "out_channels", "6", "kernel_size", "5"},
            {"ReLU"},
            {"MaxPool2d"},
            {"Conv2d", "out_channels", "16", "kernel_size", "5"},
            {"ReLU"},
            {"MaxPool2d"},
            {"Flatten"},
            {"Linear", "out_features", "120"},
            {"ReLU"},
            {"Linear", "out_features", "84"},
            {"ReLU"},
            {"Linear", "out_features", "10"},
    };

    @Test
    void leNet5ByDraggingFromThePaletteAndConnectingPorts() throws Exception {
        emptyProject();
        interact(() -> canvas.zoomProperty().set(0.7));
        interact(() -> canvas.centerOn(480, 340));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LENET.length; i++) {
            String type = (String) LENET[i][0];
            ids.add(dragFromPalette(type, 200 + (i % 4) * 190, 120 + (i / 4) * 150));
            for (int p = 1; p < LENET[i].length; p += 2) {
                setInInspector((String) LENET[i][p], (String) LENET[i][p + 1]);
            }
        }
        for (int i = 1; i < ids.size(); i++) {
            connect(ids.get(i - 1), ids.get(i));
        }
        assertEquals(12, model.graph().edges().size());
        assertTrue(model.report().isValid(), () -> model.report().problems().toString());
        // the shape the tutorial's "16 * 5 * 5" comes from, read off the node before Flatten
        assertEquals("→ 16×5×5", shapeOnNode(ids.get(6)));
        assertEquals("Parameters: 61,706", lookup("#summaryParams").queryAs(Label.class).getText());
        assertEquals(61_706, GraphCompiler.compile(model.graph()).parameterCount());
    }

    @Test
    void leNet5FromTheKeyboardAloneWithQuickAdd() throws Exception {
        emptyProject();
        clickOn(canvas); // the canvas has the keyboard from here on
        for (Object[] layer : LENET) {
            type(KeyCode.SPACE);
            write(((String) layer[0]).toLowerCase(java.util.Locale.ROOT));
            type(KeyCode.ENTER);
            if (layer.length > 1) {
                type(KeyCode.ENTER); // edit the new layer: focus goes to its first parameter in the inspector
                for (int p = 1; p < layer.length; p += 2) {
                    focusParam((String) layer[p]);
                    selectAllAndWrite((String) layer[p + 1]);
                    type(KeyCode.ENTER);
                }
                type(KeyCode.ESCAPE); // back to the canvas
            }
        }
        assertEquals(13, model.graph().nodes().size());
        assertEquals(12, model.graph().edges().size(), "quick add wires each layer after the previous one");
        assertTrue(model.report().isValid(), () -> model.report().problems().toString());
        assertEquals(61_706, model.report().totalParameters());
        var file = ShapeInference.infer(ProjectFile.withLayerRegistry().load(layout("lenet5")).graph());
        String pool2 = model.report().order().get(6);
        assertEquals(file.outputShape("pool2"), model.report().outputShape(pool2));
        assertEquals("→ 16×5×5", shapeOnNode(pool2));
        for (Edge e : model.graph().edges()) {
            assertTrue(model.graph().node(e.from()).x() < model.graph().node(e.to()).x()
                    || model.graph().node(e.from()).y() < model.graph().node(e.to()).y(), "laid out in reading order");
        }
    }

    /** Types {@code value} into the selected layer's parameter field and commits it with Enter. */
    private void setInInspector(String param, String value) {
        clickOn("#tab-inspector");
        clickOn("#param-" + param);
        selectAllAndWrite(value);
        type(KeyCode.ENTER);
    }

    private void selectAllAndWrite(String value) {
        press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        write(value);
    }

    /** Tabs through the inspector until the field for {@code param} has the focus. */
    private void focusParam(String param) {
        for (int i = 0; i < 12; i++) {
            javafx.scene.Node f = stage.getScene().getFocusOwner();
            if (f != null && ("param-" + param).equals(f.getId())) {
                return;
            }
            type(KeyCode.TAB);
        }
        throw new AssertionError("Tab never reached the field for " + param + "; focus is on "
                + stage.getScene().getFocusOwner());
    }
}
