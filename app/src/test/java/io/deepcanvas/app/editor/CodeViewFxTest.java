package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.PyTorchExporter;
import java.util.Comparator;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class CodeViewFxTest extends InspectorPanelFxTest {
    private CodeView code;

    @Override
    protected Parent view() {
        code = new CodeView(model);
        return code;
    }

    @SuppressWarnings("unchecked")
    private ListView<String> lines() {
        return lookup("#codeLines").queryAs(ListView.class);
    }

    /** The highlighted rows on screen, top to bottom. */
    private List<String> highlighted() {
        return lookup(".code-highlight").queryAllAs(ListCell.class).stream()
                .sorted(Comparator.comparingInt(ListCell::getIndex))
                .map(c -> ((ListCell<?>) c).getText().strip()).toList();
    }

    private static String clipboard() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get();
    }

    @Test
    void theCodeIsTheExportersScriptLineByLine() {
        String script = PyTorchExporter.export(model.report(), model.name());
        assertEquals(script, code.code());
        assertEquals(CodeLines.split(script), lines().getItems());
        assertTrue(lines().getItems().contains("class Net(nn.Module):"));
    }

    @Test
    void theSelectedLayersLinesAreHighlightedAndFollowEdits() {
        interact(() -> model.select("conv2"));
        assertEquals(List.of("self.conv2 = nn.Conv2d(6, 16, kernel_size=5)", "x = self.conv2(x)  # [N, 16, 10, 10]"),
                highlighted());
        interact(() -> model.setParam("conv2", "out_channels", 20));
        assertEquals("self.conv2 = nn.Conv2d(6, 20, kernel_size=5)", highlighted().get(0));
        interact(() -> model.select(null));
        assertEquals(List.of(), highlighted());
    }

    @Test
    void copyPutsTheWholeScriptOnTheClipboard() throws Exception {
        clickOn("#copyCode");
        assertEquals(code.code(), clipboard());
        assertTrue(lookup("#codeCopied").query().isVisible());
    }

    @Test
    void theKeyboardCopiesTheSelectedLines() throws Exception {
        interact(() -> {
            lines().requestFocus();
            lines().getSelectionModel().selectRange(6, 8);
        });
        push(KeyCode.CONTROL, KeyCode.C);
        assertEquals(lines().getItems().get(6) + "\n" + lines().getItems().get(7) + "\n",
                clipboard());
    }

    @Test
    void anInvalidNetworkShowsItsFirstProblemInsteadOfCode() {
        interact(() -> model.setParam("conv1", "kernel_size", 40));
        assertTrue(lines().getItems().get(1).contains(model.report().problems().get(0).message()),
                lines().getItems().toString());
        assertTrue(lookup("#copyCode").queryAs(Button.class).isDisabled());
        interact(model::undo);
        assertFalse(lookup("#copyCode").queryAs(Button.class).isDisabled());
        assertTrue(lines().getItems().contains("class Net(nn.Module):"));
    }
}
