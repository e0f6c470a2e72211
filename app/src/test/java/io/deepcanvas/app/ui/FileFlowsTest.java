package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.FileActions;
import io.deepcanvas.app.model.Graphs;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.io.ProjectFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/** Saving, reopening, a broken file, the unsaved-changes question, the title, recovery and export. */
class FileFlowsTest extends EditorFxTest {
    private final Deque<Path> answers = new ArrayDeque<>();

    private void answerFileDialogsWith(Path... files) {
        answers.clear();
        answers.addAll(java.util.List.of(files));
        interact(() -> window.files().setFileDialogs((purpose, name) -> answers.poll()));
    }

    @Test
    void saveAsThenReopenGivesTheSameGraph() throws Exception {
        openLayout("resnet-mini");
        clickNode("conv2");
        drag("#node-conv2").moveBy(20, 30).moveBy(40, 30).release(javafx.scene.input.MouseButton.PRIMARY);
        NetworkGraph edited = model.graph().copy();
        Path file = home.resolve("my-resnet.json");
        answerFileDialogsWith(file);
        press(KeyCode.SHIFT);
        shortcut(KeyCode.S);
        release(KeyCode.SHIFT);
        waitUntil(() -> !model.isDirty() && Files.exists(file));
        assertEquals(file, model.file());
        interact(model::newProject);
        assertTrue(model.graph().nodes().isEmpty());
        answerFileDialogsWith(file);
        shortcut(KeyCode.O);
        waitUntil(() -> file.equals(model.file()));
        assertTrue(Graphs.sameGraph(edited, model.graph()), "positions, params and edges come back exactly");
        assertFalse(model.isDirty());
        assertTrue(stage.getTitle().startsWith("ResNet") || stage.getTitle().contains(model.name()));
    }

    @Test
    void titleNamesTheProjectAndMarksUnsavedChanges() throws Exception {
        openLayout("lenet5");
        assertEquals("LeNet-5 — DeepCanvas", stage.getTitle());
        clickNode("relu1");
        type(KeyCode.DELETE);
        assertTrue(stage.getTitle().startsWith("• "), stage.getTitle());
        assertTrue(stage.getTitle().contains("LeNet-5"));
        shortcut(KeyCode.Z);
        assertEquals("LeNet-5 — DeepCanvas", stage.getTitle(), "undo back to the saved state is clean again");
    }

    @Test
    void aBrokenFileShowsItsErrorAndTheOpenProjectSurvives() throws Exception {
        openLayout("lenet5");
        clickNode("fc3");
        type(KeyCode.DELETE);
        NetworkGraph before = model.graph().copy();
        Path broken = home.resolve("broken.json");
        Files.writeString(broken, "{\n  \"format\": \"deepcanvas-project\",\n  \"formatVersion\": 1,\n"
                + "  \"name\": \"X\",\n  \"graph\": {\"nodes\": [{\"id\": 3}]}\n}\n");
        interact(() -> window.files().openFile(broken, false));
        waitUntil(() -> lookup("#errorDialog").tryQuery().isPresent());
        DialogPane pane = lookup("#errorDialog").queryAs(DialogPane.class);
        assertTrue(pane.getHeaderText().contains("broken.json"), pane.getHeaderText());
        assertTrue(pane.getContentText().contains("line"), "names the line: " + pane.getContentText());
        assertTrue(pane.getContentText().contains("unchanged"), pane.getContentText());
        assertTrue(Graphs.sameGraph(before, model.graph()), "the open project is untouched");
        assertTrue(model.isDirty(), "and still has its unsaved change");
        assertTrue(lookup("#status").queryAs(Label.class).getText().contains("broken.json"));
    }

    @Test
    void newWithUnsavedChangesAsksAndCancelKeepsTheProject() throws Exception {
        openLayout("mlp");
        clickNode("fc2");
        type(KeyCode.DELETE);
        NetworkGraph before = model.graph().copy();
        shortcut(KeyCode.N);
        waitUntil(() -> lookup("#unsavedDialog").tryQuery().isPresent());
        clickOn("Cancel");
        assertTrue(Graphs.sameGraph(before, model.graph()));
        shortcut(KeyCode.N);
        waitUntil(() -> lookup("#unsavedDialog").tryQuery().isPresent());
        clickOn("Don’t Save");
        waitUntil(() -> model.graph().nodes().isEmpty());
        assertFalse(model.isDirty());
    }

    @Test
    void unsavedWorkIsWrittenToTheRecoveryFileAndOfferedAtTheNextStart() throws Exception {
        openLayout("mlp");
        clickNode("relu2");
        type(KeyCode.DELETE);
        Path recovery = home.resolve("recovery.json");
        waitUntil(() -> Files.exists(recovery)); // written every 3 s by the IO thread
        var saved = new io.deepcanvas.app.project.Recovery(home).find();
        assertNotNull(saved);
        assertFalse(saved.project().graph().contains("relu2"), "the copy holds the unsaved edit");
        // a new start (as after a crash) offers it
        javafx.application.Platform.runLater(() -> window.files().start(null, null)); // the question waits for the user
        waitUntil(() -> lookup("#recoveryDialog").tryQuery().isPresent());
        clickOn("Restore");
        waitUntil(() -> model.graph().nodes().size() == saved.project().graph().nodes().size());
        assertFalse(model.graph().contains("relu2"));
        assertTrue(model.isDirty(), "restored work is not saved anywhere yet");
    }

    @Test
    void exportWritesThePyTorchModule() throws Exception {
        openLayout("lenet5");
        Path py = home.resolve("lenet5.py");
        answerFileDialogsWith(py);
        chooseMenuItem("menu-export");
        waitUntil(() -> Files.exists(py));
        String code = Files.readString(py);
        assertTrue(code.contains("class "), code);
        assertTrue(code.contains("nn.Conv2d(1, 6, kernel_size=5"), code);
        assertTrue(lookup("#status").queryAs(Label.class).getText().contains("lenet5.py"));
    }

    @Test
    void openExampleMenuOpensTheExampleAsAnUnsavedTemplate() throws Exception {
        emptyProject();
        chooseMenuItem("example-mlp");
        waitUntil(() -> model.graph().nodes().size() == 7);
        assertEquals(null, model.file(), "Save asks where: the example itself is never overwritten");
        assertEquals(669_706, model.report().totalParameters());
        assertEquals(ProjectFile.withLayerRegistry().load(layout("mlp")).name(), model.name());
    }
}
