package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.training.RunLimits;
import io.deepcanvas.app.training.TrainingDock;
import io.deepcanvas.app.training.TrainingViewModel;
import io.deepcanvas.app.training.TrainingViewModel.State;
import io.deepcanvas.engine.io.OptimizerSettings;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * Training watched from the window, headless: runs of the dense network and of LeNet-5 on slices of MNIST (the
 * hidden {@link RunLimits}), started with F5 or the panel's Train button, fill every chart and the filter gallery;
 * pause, resume, a new learning rate and stop work while the FX thread keeps its pulses coming.
 */
class TrainingPanelsTest extends EditorFxTest {
    /** The longest the FX thread may go without a pulse while training runs. */
    /**
     * Typically under 125 ms here; the bound leaves room for a GC pause or a JIT burst on a busy 2-core CI machine
     * (723 ms was seen once) while still failing when the FX thread waits on a training step or the data (seconds).
     */
    private static final long MAX_PULSE_GAP_MS = 1500;

    private TrainingViewModel vm() {
        return window.training();
    }

    private TrainingDock dock() {
        return window.trainingDock();
    }

    /** Records the longest gap between two FX pulses while it runs. */
    private static final class PulseWatch extends AnimationTimer {
        final AtomicLong longest = new AtomicLong();
        private long last;

        @Override
        public void handle(long now) {
            if (last != 0) {
                longest.accumulateAndGet(now - last, Math::max);
            }
            last = now;
        }

        long longestMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longest.get());
        }
    }

    @Test
    void aRunFillsTheChartsPausesResumesTakesANewLearningRateAndStopsWhileTheUiStaysResponsive() throws Exception {
        openLayout("mlp");
        // three epochs: long enough that Stop comes before the end on a fast machine too
        interact(() -> {
            vm().setLimits(new RunLimits(0, 0, 1000));
            model.setTraining(model.training().withEpochs(3));
        });
        assertFalse(lookup("#trainingDock").tryQuery().isPresent(), "no panels before the first run");
        type(KeyCode.F5);
        waitUntil(() -> lookup("#trainingDock").tryQuery().isPresent());
        assertTrue(model.lockedProperty().get());
        waitLong(() -> vm().stepProperty().get() >= 20, 30, "20 steps");

        PulseWatch pulses = new PulseWatch();
        interact(pulses::start);
        // points in the charts
        assertTrue(vm().lossSeries().size() >= 20);
        assertTrue(dock().lossChart().redraws() > 0);
        assertFalse(dock().lossChart().isLogScale(), "cross-entropy's curve stays on a linear axis");
        // the smoothed loss comes with the trainer's interval summary (every 20 steps), which may reach the FX thread a
        // frame after the 20th step: with the kernels compiled before the run, 20 steps take ~50 ms
        waitUntil(() -> !lookup("#lossSmoothed").queryAs(Label.class).getText().isEmpty());
        assertTrue(dock().accuracyChart().redraws() > 0, "Accuracy is the tab in front");
        assertTrue(lookup("#trainingSteps").queryAs(Label.class).getText().startsWith("Epoch 1 of 3"),
                lookup("#trainingSteps").queryAs(Label.class).getText());
        waitUntil(() -> lookup("#trainingSpeed").queryAs(Label.class).getText().endsWith("images/s"));
        clickOn("#tab-gradients");
        waitUntil(() -> dock().gradientChart().redraws() > 0 && lookup("#gradient-layer-fc1").tryQuery()
                .isPresent());
        assertTrue(vm().gradientSeries().get("fc1.weight").size() > 0);
        // inspecting a layer while it trains
        clickNode("fc2");
        assertEquals(Set.of("fc2"), model.selection());

        clickOn("#train-pause");
        waitUntil(() -> vm().stateProperty().get() == State.PAUSED);
        sleep(300);
        long pausedAt = vm().stepProperty().get();
        sleep(500);
        assertEquals(pausedAt, vm().stepProperty().get(), "no steps while paused");
        // the steps finished between the click and the pause count: the status bar names the step the panel shows
        String status = lookup("#status").queryAs(Label.class).getText();
        String shown = NumberFormat.getIntegerInstance(Locale.ENGLISH).format(pausedAt);
        assertTrue(status.endsWith("paused at step " + shown), status + " (the panel shows step " + shown + ")");
        assertTrue(lookup("#train-resume").query().isVisible());
        assertFalse(lookup("#train-pause").query().isVisible());

        // a new learning rate, applied on Enter, marked on the curves
        TextField lr = lookup("#learningRate").queryAs(TextField.class);
        assertEquals("0.001", lr.getText(), "the project's learning rate");
        clickOn(lr);
        interact(lr::selectAll);
        write("0.002");
        type(KeyCode.ENTER);
        waitUntil(() -> vm().learningRateMarks().size() == 1);
        assertEquals(0.002, vm().learningRateMarks().get(0).to(), 1e-12);
        assertEquals(0.002, vm().learningRateProperty().get(), 1e-12);

        clickOn("#train-resume");
        waitLong(() -> vm().stepProperty().get() >= pausedAt + 20, 20, "20 more steps after resuming");
        assertEquals(State.RUNNING, vm().stateProperty().get());
        assertTrue(vm().learningRateMarks().get(0).step() > pausedAt);

        clickOn("#train-stop");
        waitUntil(() -> !vm().runningProperty().get());
        interact(pulses::stop);
        assertEquals(State.STOPPED, vm().stateProperty().get());
        assertTrue(lookup("#status").queryAs(Label.class).getText().startsWith("Training stopped"));
        assertFalse(model.lockedProperty().get());
        assertTrue(pulses.longestMillis() < MAX_PULSE_GAP_MS, "longest gap between FX pulses while training: "
                + pulses.longestMillis() + " ms");
    }

    @Test
    void leNetFromTheTrainButtonShowsItsFiltersAndATestPointPerEpoch() throws Exception {
        openLayout("lenet5");
        interact(() -> vm().setLimits(new RunLimits(30, 64 * 30, 500)));
        chooseMenuItem("menu-trainingPanels");
        assertTrue(lookup("#trainingDock").tryQuery().isPresent(), "View ▸ Training panels shows them");
        clickOn("#tab-filters");
        clickOn("#train-start");
        waitLong(() -> vm().stateProperty().get() == State.COMPLETED, 40, "the 30-step run to finish");
        waitUntil(() -> lookup("#filters-conv1").tryQuery().isPresent() && lookup("#filters-conv2").tryQuery()
                .isPresent());
        assertTrue(dock().filterGallery().redraws() >= 2, "each conv layer's kernels drawn");
        assertEquals(Set.of("conv1.weight", "conv2.weight"), vm().filters().keySet());
        assertEquals(30, vm().filters().get("conv1.weight").step(), "the final weights are shown");
        assertEquals(1, vm().testPoints().size());
        assertEquals(1, vm().epochMarks().size());
        assertTrue(lookup("#trainingSteps").queryAs(Label.class).getText().contains("30 of 30"));
        assertEquals("Finished", lookup("#trainingState").queryAs(Label.class).getText());
        assertTrue(lookup("#status").queryAs(Label.class).getText().startsWith("Training finished"));
        assertTrue(lookup("#train-start").queryAs(Button.class).isVisible());
        assertFalse(lookup("#train-start").queryAs(Button.class).isDisabled(), "a new run can start");
    }

    @Test
    void aDivergingRunPausesNamesTheLayerAndSelectsItsNode() throws Exception {
        openLayout("mlp");
        interact(() -> {
            model.setTraining(model.training().withOptimizer(new OptimizerSettings.SGD(1e20, 0)));
            vm().setLimits(new RunLimits(200, 0, 500));
        });
        type(KeyCode.F5);
        waitLong(() -> vm().stateProperty().get() == State.DIVERGED, 30, "the loss to diverge");
        TrainingViewModel.Divergence d = vm().divergenceProperty().get();
        assertNotNull(d);
        assertTrue(d.paused());
        assertNotNull(d.layer(), "the engine names a layer");
        assertEquals(Set.of(d.nodeId()), model.selection(), "the canvas selects " + d.layer());
        Label alert = lookup("#trainingAlert").queryAs(Label.class);
        assertTrue(alert.isVisible());
        assertTrue(alert.getText().contains(d.layer()), alert.getText());
        assertTrue(lookup("#train-resume").query().isVisible(), "resume after lowering the learning rate");
        assertTrue(model.lockedProperty().get(), "still a run: paused at the divergence");
        clickOn("#train-stop");
        waitUntil(() -> !vm().runningProperty().get());
        assertFalse(model.lockedProperty().get());
        assertEquals(State.DIVERGED, vm().stateProperty().get());
        assertTrue(alert.isVisible(), "the panel still says where it diverged");
    }
}
