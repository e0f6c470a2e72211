package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.Examples;
import io.deepcanvas.app.training.TrainingViewModel.GradientHealth;
import io.deepcanvas.app.training.TrainingViewModel.State;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.train.Evaluation;
import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingEvent.GradientMagnitude;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The view-model fed with engine events by hand, drained by hand: no FX thread, no trainer. */
class TrainingViewModelTest {
    private EditorModel editor;
    private TrainingViewModel vm;

    @BeforeEach
    void setUp() throws Exception {
        I18n.setLocale(Locale.ENGLISH);
        editor = new EditorModel();
        editor.load(ProjectFile.withLayerRegistry().load(Examples.folder().resolve("mlp.json")), null);
        vm = new TrainingViewModel(editor, FramePump.manual());
    }

    private void begin() {
        vm.begin(editor.toProject());
        vm.offer(new TrainingEvent.Started(2, 100, 200, "cpu"));
    }

    private static TrainingEvent.StepCompleted step(long step, float loss, float accuracy) {
        return new TrainingEvent.StepCompleted((int) ((step - 1) / 100) + 1, step, (int) ((step - 1) % 100) + 1, loss,
                accuracy, 5000);
    }

    private static Evaluation evaluation(long correct) {
        return new Evaluation(1000, correct, 0.25, new int[10][10]);
    }

    @Test
    void milestonesWakeTheFramePumpAtOnceStepsWaitForItsTick() {
        int[] wakes = {0};
        FramePump counting = new FramePump() {
            @Override
            public void start(java.util.function.LongConsumer frame) {
            }

            @Override
            public void stop() {
            }

            @Override
            public void wake() {
                wakes[0]++;
            }
        };
        TrainingViewModel woken = new TrainingViewModel(editor, counting);
        woken.begin(editor.toProject());
        woken.offer(new TrainingEvent.Started(2, 100, 200, "cpu"));
        assertEquals(1, wakes[0], "a run that starts shows at once");
        for (int i = 1; i <= 30; i++) {
            woken.offer(step(i, 2.3f, 0.1f));
        }
        assertEquals(1, wakes[0], "per-step events wait for the next tick");
        woken.offer(new TrainingEvent.EpochCompleted(1, 0.5, 0.9, evaluation(900)));
        assertEquals(2, wakes[0], "an epoch's end shows at once");
        for (int i = 31; i <= TrainingViewModel.QUEUE_CAPACITY / 2; i++) {
            woken.offer(step(i, 2.3f, 0.1f));
        }
        assertTrue(wakes[0] > 2, "a half-full queue is drained without waiting for the tick");
    }

    @Test
    void eventsReachThePanelsOnlyWhenDrained() {
        begin();
        for (int i = 1; i <= 30; i++) {
            vm.offer(step(i, 2.3f - i * 0.05f, 0.1f + i * 0.02f));
        }
        assertTrue(vm.lossSeries().isEmpty(), "nothing is shown before the frame drains the queue");
        assertEquals(State.PREPARING, vm.stateProperty().get());
        long revision = vm.revisionProperty().get();
        assertTrue(vm.drain());
        assertEquals(State.RUNNING, vm.stateProperty().get());
        assertEquals(30, vm.lossSeries().size());
        assertEquals(30, vm.smoothedLossSeries().size());
        assertEquals(30, vm.accuracySeries().size());
        assertEquals(30, vm.stepProperty().get());
        assertEquals(200, vm.totalStepsProperty().get());
        assertEquals(0.15, vm.progressProperty().get(), 1e-9);
        assertEquals(1, vm.epochProperty().get());
        assertEquals("cpu", vm.deviceProperty().get());
        assertEquals(revision + 1, vm.revisionProperty().get(), "one drain, one redraw");
        assertTrue(vm.statusProperty().get().contains("step 30/200"), vm.statusProperty().get());
        assertTrue(editor.lockedProperty().get(), "the network is locked while the run goes");
        assertFalse(vm.drain(), "an empty queue changes nothing");
    }

    @Test
    void theSmoothedLossFollowsTheBatchesWithoutTheirNoise() {
        begin();
        for (int i = 1; i <= 200; i++) {
            vm.offer(step(i, i % 2 == 0 ? 1.5f : 0.5f, Float.NaN));
        }
        vm.drain();
        assertEquals(1.0, vm.lossProperty().get(), 0.05, "the EMA settles on the mean");
        assertEquals(0.5, vm.lossSeries().minValue());
        assertEquals(1.5, vm.lossSeries().maxValue());
        assertTrue(vm.accuracySeries().isEmpty(), "no accuracy for a regression loss");
        assertTrue(Double.isNaN(vm.accuracyProperty().get()));
    }

    @Test
    void aTwentyEpochRunKeepsAtMostTwoThousandPointsPerCurve() {
        begin();
        for (int i = 1; i <= 18_760; i++) {
            vm.offer(step(i, (float) (2.0 / Math.sqrt(i)), 0.9f));
            if (i % 10 == 0) {
                vm.offer(new TrainingEvent.GradientStats(i, Map.of("fc1.weight", new GradientMagnitude(0.01, 0.5))));
            }
            if (i % 1000 == 0) {
                vm.drain();
            }
        }
        vm.drain();
        assertEquals(18_760, vm.lossSeries().samples());
        for (DecimatedSeries s : List.of(vm.lossSeries(), vm.smoothedLossSeries(), vm.accuracySeries(),
                vm.gradientSeries().get("fc1.weight"))) {
            assertTrue(s.size() <= TrainingViewModel.MAX_POINTS, "points: " + s.size());
        }
        assertEquals(2.0, vm.lossSeries().maxValue(), 1e-6, "the first, largest loss is still in a bucket's max");
        assertEquals(0, vm.droppedEvents());
    }

    @Test
    void epochsAddMarksAndTestPoints() {
        begin();
        for (int i = 1; i <= 100; i++) {
            vm.offer(step(i, 0.5f, 0.9f));
        }
        vm.offer(new TrainingEvent.EpochCompleted(1, 0.5, 0.9, evaluation(950)));
        vm.drain();
        assertEquals(List.of(new TrainingViewModel.EpochMark(1, 100)), vm.epochMarks());
        assertEquals(1, vm.testPoints().size());
        assertEquals(0.95, vm.testAccuracyProperty().get(), 1e-9);
        assertEquals(0.25, vm.testLossProperty().get(), 1e-9);
        assertEquals(100, vm.testPoints().get(0).step());
    }

    @Test
    void learningRateChangesAreMarkedOnTheCurves() {
        begin();
        vm.offer(step(1, 1f, 0.5f));
        vm.offer(new TrainingEvent.LearningRateChanged(2, 0.001, 0.0005));
        vm.offer(step(2, 1f, 0.5f));
        vm.drain();
        assertEquals(List.of(new TrainingViewModel.LearningRateMark(2, 0.001, 0.0005)), vm.learningRateMarks());
        assertEquals(0.0005, vm.learningRateProperty().get());
    }

    @Test
    void theLearningRateIsCheckedAndOnlyChangesWhileARunGoes() {
        assertNotNull(vm.setLearningRate(0.01), "no run");
        assertTrue(vm.setLearningRate(-1).contains("greater than 0"));
        assertNotNull(vm.setLearningRate(Double.NaN));
        assertEquals(0.001, vm.learningRateProperty().get(), 1e-12, "the project's learning rate (mlp.json: 0.001)");
    }

    @Test
    void gradientHealthIsReportedByNodeId() {
        editor.setLabel("fc2", "hidden");
        begin();
        Map<String, GradientMagnitude> g = new LinkedHashMap<>();
        g.put("fc1.weight", new GradientMagnitude(1e-10, 1e-9));
        g.put("fc1.bias", new GradientMagnitude(1e-10, 1e-8));
        g.put("hidden.weight", new GradientMagnitude(10, 5e3));
        g.put("hidden.bias", new GradientMagnitude(0.01, 0.1));
        g.put("fc3.weight", new GradientMagnitude(0.01, 0.1));
        g.put("fc3.bias", new GradientMagnitude(0.001, 1e-9));
        vm.offer(new TrainingEvent.GradientStats(10, g));
        vm.drain();
        Map<String, GradientHealth> health = vm.gradientHealthProperty();
        assertEquals(GradientHealth.VANISHING, health.get("fc1"), "every parameter below 1e-7");
        assertEquals(GradientHealth.EXPLODING, health.get("fc2"), "label 'hidden' is node fc2; one parameter > 1e3");
        assertEquals(GradientHealth.OK, health.get("fc3"), "a layer with one healthy parameter is fine");
        assertEquals(6, vm.gradientSeries().size());
        assertEquals("fc2", vm.nodeOf("hidden"));
    }

    @Test
    void aDivergedLossPausesNamesTheLayerAndSelectsItsNode() {
        editor.setLabel("fc2", "hidden");
        begin();
        vm.offer(step(1, 2.3f, 0.1f));
        vm.offer(new TrainingEvent.Diverged(1, 2, Float.NaN, "hidden.weight", "hidden"));
        vm.drain();
        assertEquals(State.DIVERGED, vm.stateProperty().get());
        assertTrue(vm.runningProperty().get(), "paused at the divergence, not ended");
        TrainingViewModel.Divergence d = vm.divergenceProperty().get();
        assertEquals("hidden", d.layer());
        assertEquals("fc2", d.nodeId());
        assertEquals(2, d.step());
        assertTrue(d.paused());
        assertEquals(Set.of("fc2"), editor.selection(), "the canvas selects the layer that blew up");
        assertEquals(GradientHealth.EXPLODING, vm.gradientHealthProperty().get("fc2"));
        assertTrue(vm.statusProperty().get().contains("hidden"), vm.statusProperty().get());
        // stopped there: the run ends, still showing where it diverged
        vm.offer(new TrainingEvent.Finished(TrainingEvent.Reason.DIVERGED, "loss became NaN at step 2", 1,
                Duration.ofSeconds(1)));
        vm.drain();
        assertEquals(State.DIVERGED, vm.stateProperty().get());
        assertFalse(vm.runningProperty().get());
        assertFalse(editor.lockedProperty().get());
        assertFalse(vm.divergenceProperty().get().paused());
    }

    @Test
    void aFullQueueDropsStepEventsButNeverMilestones() {
        begin();
        for (int i = 1; i <= TrainingViewModel.QUEUE_CAPACITY + 500; i++) {
            vm.offer(step(i, 1f, 0.5f));
        }
        vm.offer(new TrainingEvent.LearningRateChanged(9000, 0.001, 0.01));
        vm.offer(new TrainingEvent.EpochCompleted(1, 1, 0.5, evaluation(500)));
        vm.offer(new TrainingEvent.Finished(TrainingEvent.Reason.COMPLETED, "done", 9000, Duration.ofSeconds(3)));
        assertTrue(vm.droppedEvents() >= 500, "dropped: " + vm.droppedEvents());
        vm.drain();
        assertEquals(State.COMPLETED, vm.stateProperty().get(), "the start and the end are never dropped");
        assertEquals(1, vm.learningRateMarks().size());
        assertEquals(1, vm.epochMarks().size());
        assertFalse(vm.runningProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Training finished"), vm.statusProperty().get());
    }

    @Test
    void filterSnapshotsKeepTheNewestPerLayer() {
        begin();
        vm.offer(new TrainingEvent.FilterSnapshot(0, "conv1.weight", Shape.of(6, 1, 5, 5), new float[150]));
        vm.offer(new TrainingEvent.FilterSnapshot(0, "conv2.weight", Shape.of(16, 6, 5, 5), new float[2400]));
        vm.offer(new TrainingEvent.FilterSnapshot(40, "conv1.weight", Shape.of(6, 1, 5, 5), new float[150]));
        vm.drain();
        assertEquals(List.of("conv1.weight", "conv2.weight"), List.copyOf(vm.filters().keySet()));
        assertEquals(40, vm.filters().get("conv1.weight").step());
    }

    @Test
    void aNewRunStartsFromEmptyPanels() {
        begin();
        vm.offer(step(1, 1f, 0.5f));
        vm.offer(new TrainingEvent.LearningRateChanged(1, 0.001, 0.01));
        vm.offer(new TrainingEvent.Finished(TrainingEvent.Reason.CANCELLED, "cancelled after 1 steps", 1,
                Duration.ofSeconds(1)));
        vm.drain();
        assertEquals(State.STOPPED, vm.stateProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Training stopped"));
        begin();
        vm.drain();
        assertTrue(vm.lossSeries().isEmpty());
        assertTrue(vm.learningRateMarks().isEmpty());
        assertEquals(0, vm.stepProperty().get());
        assertNull(vm.divergenceProperty().get());
    }

    @Test
    void trainRefusesAnInvalidNetworkWithTheReason() {
        editor.deleteSelection();
        editor.select("flatten");
        editor.deleteSelection();
        String why = vm.train();
        assertNotNull(why);
        assertTrue(why.startsWith("Cannot train"), why);
        assertFalse(vm.runningProperty().get());
        assertEquals(State.IDLE, vm.stateProperty().get());
    }

    @Test
    void theSettingsShownFollowTheProjectUntilARunStarts() {
        assertEquals(128, vm.settingsProperty().get().batchSize());
        editor.setTraining(editor.training().withBatchSize(256));
        assertEquals(256, vm.settingsProperty().get().batchSize());
        begin();
        editor.setLocked(false);
        editor.setTraining(editor.training().withBatchSize(32));
        assertEquals(256, vm.settingsProperty().get().batchSize(), "the run's settings while it runs");
    }

    @Test
    void everyStateHasAText() {
        for (State s : State.values()) {
            assertFalse(I18n.text("training.state." + s.name()).isBlank());
        }
    }

    /** A real, short run of the MLP on a slice of MNIST, without the FX thread: the runner and engine end to end. */
    @Test
    void aShortRealRunTrainsReportsAndUnlocks() throws Exception {
        vm.setLimits(new RunLimits(60, 128 * 100, 500));
        assertNull(vm.train());
        assertTrue(editor.lockedProperty().get());
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean changedLr = false;
        while (vm.runningProperty().get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            vm.drain();
            if (!changedLr && vm.stepProperty().get() >= 5) {
                assertNull(vm.setLearningRate(0.005));
                changedLr = true;
            }
        }
        assertEquals(State.COMPLETED, vm.stateProperty().get(), vm.statusProperty().get());
        assertEquals(60, vm.stepProperty().get());
        assertEquals(60, vm.lossSeries().samples());
        assertEquals(1, vm.testPoints().size(), "evaluated once at the step limit");
        assertTrue(vm.gradientSeries().containsKey("fc1.weight"), vm.gradientSeries().keySet().toString());
        assertEquals(6, vm.gradientSeries().get("fc1.weight").samples(), "every 10 steps");
        assertTrue(vm.updateRatioSeries().containsKey("fc1.weight"));
        assertEquals(1, vm.learningRateMarks().size());
        assertEquals(0.005, vm.learningRateMarks().get(0).to(), 1e-12);
        assertTrue(vm.filters().isEmpty(), "a dense network has no filters");
        assertFalse(editor.lockedProperty().get());
        assertTrue(vm.lossSeries().lastY() < vm.lossSeries().y(0), "the loss went down");
    }

    private static TrainedNetwork network(long steps) {
        return new TrainedNetwork(null, null, Shape.of(784), "MLP", steps);
    }

    @Test
    void aCompletedOrStoppedRunHandsOverItsNetworkWhenItEnds() {
        begin();
        vm.offer(step(1, 2f, 0.1f));
        vm.offer(network(1));
        vm.drain();
        assertNull(vm.trainedNetworkProperty().get(), "not before the run has ended");
        vm.offer(new TrainingEvent.Finished(TrainingEvent.Reason.CANCELLED, "stopped", 1, Duration.ofSeconds(1)));
        vm.drain();
        assertEquals(1, vm.trainedNetworkProperty().get().steps());
        begin();
        assertNull(vm.trainedNetworkProperty().get(), "a new run replaces the last one's network");
        vm.offer(new TrainingEvent.Finished(TrainingEvent.Reason.FAILED, "boom", 0, Duration.ZERO));
        vm.drain();
        assertNull(vm.trainedNetworkProperty().get(), "a failed run hands over nothing");
    }

    @Test
    void editingTheNetworkClearsItsTrainedWeightsButMovingANodeDoesNot() {
        begin();
        vm.offer(network(100));
        vm.offer(new TrainingEvent.Finished(TrainingEvent.Reason.COMPLETED, "done", 100, Duration.ofSeconds(1)));
        vm.drain();
        assertNotNull(vm.trainedNetworkProperty().get());
        editor.previewMove(Set.of("fc2"), 30, 10);
        editor.finishMove();
        assertNotNull(vm.trainedNetworkProperty().get(), "positions do not change the weights");
        editor.setLabel("fc2", "hidden");
        assertNull(vm.trainedNetworkProperty().get(), "the weights no longer fit an edited network");
        vm.useTrainedNetwork(network(0));
        assertEquals(0, vm.trainedNetworkProperty().get().steps(), "weights read with the project");
    }

    @Test
    void probabilitiesShortOfOneNeverReadAsCertain() {
        assertEquals("2.8%", TrainingViewModel.probability(0.028));
        assertEquals("99.9%", TrainingViewModel.probability(0.9994));
        assertEquals(">99.9%", TrainingViewModel.probability(0.9997));
        assertEquals("100.0%", TrainingViewModel.probability(1.0));
        assertEquals("0.0%", TrainingViewModel.probability(0.0));
    }
}
