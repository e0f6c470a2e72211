package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deepcanvas.app.training.EvaluationViewModel;
import io.deepcanvas.app.training.RunLimits;
import io.deepcanvas.app.training.TrainedNetwork;
import io.deepcanvas.app.training.TrainingViewModel;
import io.deepcanvas.app.training.TrainingViewModel.State;
import io.deepcanvas.engine.backend.opencl.OpenCLDevices;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * The project's device decides where the app trains: {@code opencl} trains on the OpenCL device (PoCL in CI), the
 * panel says so, and the trained network evaluates there.
 */
class OpenClTrainingTest extends EditorFxTest {
    private TrainingViewModel vm() {
        return window.training();
    }

    @Test
    void aProjectThatAsksForOpenClTrainsThereAndEvaluates() throws Exception {
        OpenCLDevices.Discovery d = OpenCLDevices.discover();
        assumeTrue(d.available(), () -> "skipped: no OpenCL device here (" + d.problem() + "); CI installs PoCL");
        openLayout("mlp");
        interact(() -> {
            vm().setLimits(new RunLimits(12, 0, 500));
            model.setTraining(model.training().withDevice("opencl"));
        });
        type(KeyCode.F5);
        waitLong(() -> vm().stateProperty().get() == State.COMPLETED || vm().stateProperty().get() == State.FAILED,
                120, "the OpenCL run to end");
        assertEquals(State.COMPLETED, vm().stateProperty().get(), () -> "failed: " + vm().failureProperty().get());
        assertTrue(vm().deviceProperty().get().startsWith("opencl"), vm().deviceProperty().get());
        String shown = lookup("#trainingDevice").queryAs(Label.class).getText();
        assertTrue(shown.startsWith("opencl → opencl:"), "the panel shows the device used: " + shown);
        TrainedNetwork trained = vm().trainedNetworkProperty().get();
        assertNotNull(trained);
        assertEquals(12, trained.steps());
        EvaluationViewModel evaluation = window.trainingDock().evaluation().viewModel();
        waitLong(() -> evaluation.resultProperty().get() != null
                && evaluation.resultProperty().get().network() == trained, 120, "the evaluation on OpenCL");
        assertEquals(500, evaluation.resultProperty().get().evaluation().total());
        assertTrue(Double.isFinite(evaluation.resultProperty().get().evaluation().meanLoss()));
    }
}
