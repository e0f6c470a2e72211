package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.model.EditorModel;
import org.junit.jupiter.api.Test;

/** A kept run shown in the panels looks as it did live; a second run draws under it to compare. */
class RunHistoryViewModelTest {
    private final EditorModel editor = new EditorModel();
    private final TrainingViewModel vm = new TrainingViewModel(editor, FramePump.manual());

    @Test
    void aKeptRunShowsItsCurvesMarksAndBestEpoch() {
        RunRecord run = RunStoreTest.recorded(RunStoreTest.project(), false);
        long before = vm.revisionProperty().get();
        vm.showRun(run);
        assertSame(run, vm.shownRunProperty().get());
        assertEquals(TrainingViewModel.State.STOPPED, vm.stateProperty().get(), "the run was stopped");
        assertEquals(25, vm.lossSeries().samples());
        assertEquals(25, vm.smoothedLossSeries().samples());
        assertEquals(25, vm.stepProperty().get());
        assertEquals(2, vm.epochProperty().get());
        assertEquals(2, vm.testPoints().size());
        assertEquals(1, vm.learningRateMarks().size());
        assertEquals(0.0005, vm.learningRateProperty().get());
        assertEquals(0.88, vm.testAccuracyProperty().get(), 1e-12, "the last test accuracy");
        assertEquals(1, vm.bestTestPoint().epoch());
        assertTrue(vm.revisionProperty().get() > before, "the charts redraw");
        // the smoothed value is the live one's: the debiased average of the losses
        double ema = 0;
        for (int i = 0; i < 25; i++) {
            ema = 0.95 * ema + 0.05 * run.loss()[i];
        }
        assertEquals(ema / (1 - Math.pow(0.95, 25)), vm.lossProperty().get(), 1e-9);
    }

    @Test
    void anotherRunIsComparedUntilComparingStops() {
        RunRecord a = RunStoreTest.recorded(RunStoreTest.project(), false);
        RunRecord b = RunStoreTest.recorded(RunStoreTest.project(), true);
        vm.showRun(a);
        vm.compareWith(b);
        assertSame(b, vm.comparedRunProperty().get());
        assertEquals(25, vm.comparedCurves().smoothedLoss().samples());
        assertTrue(vm.comparedCurves().smoothedAccuracy().isEmpty(), "a regression run has no accuracy");
        vm.compareWith(null);
        assertNull(vm.comparedCurves());
        vm.clearRun();
        assertNull(vm.shownRunProperty().get());
        assertTrue(vm.lossSeries().isEmpty());
        assertEquals(TrainingViewModel.State.IDLE, vm.stateProperty().get());
    }
}
