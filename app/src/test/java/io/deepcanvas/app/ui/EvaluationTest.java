package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.training.EvaluationView;
import io.deepcanvas.app.training.EvaluationViewModel;
import io.deepcanvas.app.training.RunLimits;
import io.deepcanvas.app.training.TrainedNetwork;
import io.deepcanvas.app.training.TrainingViewModel;
import io.deepcanvas.app.training.TrainingViewModel.State;
import io.deepcanvas.engine.io.ProjectFile;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * After a run: the evaluation tab fills by itself, a cell of the confusion matrix opens its images with their
 * probabilities, and the weights saved beside the project come back when it is reopened, with the same accuracy.
 */
class EvaluationTest extends EditorFxTest {
    private static final int TEST_IMAGES = 1000;

    private TrainingViewModel vm() {
        return window.training();
    }

    private EvaluationView view() {
        return window.trainingDock().evaluation();
    }

    private EvaluationViewModel evaluation() {
        return view().viewModel();
    }

    @Test
    void aRunIsEvaluatedItsMistakesOpenAndItsWeightsComeBackWithTheProject() throws Exception {
        openLayout("mlp");
        interact(() -> vm().setLimits(new RunLimits(60, 0, TEST_IMAGES)));
        type(KeyCode.F5);
        waitUntil(() -> lookup("#trainingDock").tryQuery().isPresent());
        clickOn("#tab-evaluation");
        interact(() -> assertTrue(!vm().runningProperty().get()
                || lookup("#evaluate").queryAs(Button.class).isDisabled(), "nothing to evaluate during the run"));
        waitLong(() -> vm().stateProperty().get() == State.COMPLETED, 40, "the 60-step run to finish");
        TrainedNetwork trained = vm().trainedNetworkProperty().get();
        assertNotNull(trained, "the run hands over its network");
        assertEquals(60, trained.steps());

        // evaluated by itself at the end of the run
        waitLong(() -> evaluation().resultProperty().get() != null, 20, "the evaluation after the run");
        EvaluationViewModel.Result result = evaluation().resultProperty().get();
        assertEquals(trained, result.network());
        int[][] confusion = result.evaluation().confusion();
        int sum = 0;
        int wrongA = -1, wrongB = -1;
        for (int a = 0; a < confusion.length; a++) {
            for (int b = 0; b < confusion.length; b++) {
                sum += confusion[a][b];
                if (a != b && confusion[a][b] > 0 && (wrongA < 0 || confusion[a][b] > confusion[wrongA][wrongB])) {
                    wrongA = a;
                    wrongB = b;
                }
            }
        }
        assertEquals(TEST_IMAGES, sum, "every test image used is counted once");
        double accuracy = result.evaluation().accuracy();
        assertTrue(accuracy > 0.5, "60 steps of an MLP learn something: " + accuracy);
        assertTrue(lookup("#evaluationSummary").queryAs(Label.class).getText().startsWith("Accuracy "));
        assertTrue(lookup("#classAccuracy-9").tryQuery().isPresent(), "a bar per digit");
        assertTrue(wrongA >= 0, "an untrained-enough network makes mistakes");

        // a mistake opens its images, each with its probabilities
        int count = confusion[wrongA][wrongB];
        moveTo(view().cellOnScreen(wrongA, wrongB));
        clickOn();
        int a = wrongA, b = wrongB;
        waitUntil(() -> view().thumbnailCount() == Math.min(count, EvaluationViewModel.GALLERY_LIMIT));
        assertEquals(a, evaluation().cellProperty().get().actual());
        assertEquals(b, evaluation().cellProperty().get().predicted());
        assertTrue(lookup("#evaluationCell").queryAs(Label.class).getText().startsWith("Actual " + a
                + ", predicted " + b), lookup("#evaluationCell").queryAs(Label.class).getText());
        for (EvaluationViewModel.CellImage image : evaluation().gallery()) {
            assertEquals(a, image.actual());
            assertEquals(b, image.top().get(0).label(), "the most probable class is the predicted one");
            assertEquals(EvaluationViewModel.TOP, image.top().size());
        }
        assertTrue(lookup(".evaluation-guess").queryAll().stream().anyMatch(n -> ((Label) n).getText()
                .endsWith("%")), "probabilities are written under the images");

        // saved with the project, beside it
        Path file = home.resolve("mlp-trained.json");
        Path weights = home.resolve("mlp-trained.safetensors");
        interact(() -> window.files().setFileDialogs((purpose, name) -> file));
        press(KeyCode.SHIFT);
        shortcut(KeyCode.S);
        release(KeyCode.SHIFT);
        waitUntil(() -> !model.isDirty() && Files.exists(file) && Files.exists(weights));
        assertEquals("mlp-trained.safetensors", ProjectFile.withLayerRegistry().load(file).weights());

        // reopened: the weights come back and evaluate to the same accuracy
        interact(model::newProject);
        assertEquals(null, vm().trainedNetworkProperty().get(), "another network, no weights");
        shortcut(KeyCode.O);
        waitUntil(() -> file.equals(model.file()) && vm().trainedNetworkProperty().get() != null);
        TrainedNetwork reopened = vm().trainedNetworkProperty().get();
        assertNotSame(trained, reopened);
        assertTrue(lookup("#status").queryAs(Label.class).getText().contains("trained weights"),
                lookup("#status").queryAs(Label.class).getText());
        // the Evaluation tab is in front: the weights read with the project are measured without a click
        waitLong(() -> evaluation().resultProperty().get() != null
                && evaluation().resultProperty().get().network() == reopened, 20, "the evaluation after reopening");
        assertEquals(accuracy, evaluation().resultProperty().get().evaluation().accuracy(), 1e-12);
        // and Evaluate measures them again, to the same figures
        EvaluationViewModel.Result first = evaluation().resultProperty().get();
        waitUntil(() -> !lookup("#evaluate").queryAs(Button.class).isDisabled());
        clickOn("#evaluate");
        waitLong(() -> evaluation().resultProperty().get() != first, 20, "the evaluation on Evaluate");
        assertEquals(accuracy, evaluation().resultProperty().get().evaluation().accuracy(), 1e-12);
        assertEquals(result.evaluation().meanLoss(), evaluation().resultProperty().get().evaluation().meanLoss(),
                1e-6);
        assertFalse(lookup("#evaluate").queryAs(Button.class).isDisabled());
    }
}
