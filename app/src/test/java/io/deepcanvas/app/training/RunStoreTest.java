package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.project.Examples;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.train.Evaluation;
import io.deepcanvas.engine.train.TrainingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs recorded from the trainer's events, kept beside the project and read back exactly; the CSV export. */
class RunStoreTest {
    @TempDir
    Path dir;

    static Project project() {
        try {
            return ProjectFile.withLayerRegistry().load(Examples.lenet5());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A 25-step, 2-epoch run with a learning-rate change at step 12, as the trainer would report it. */
    static RunRecord recorded(Project project, boolean regression) {
        RunRecorder r = new RunRecorder(project);
        r.on(new TrainingEvent.Started(2, 13, 26, "cpu"));
        for (int step = 1; step <= 25; step++) {
            int epoch = step <= 13 ? 1 : 2;
            if (step == 12) {
                double lr = project.training().optimizer().lr();
                r.on(new TrainingEvent.LearningRateChanged(12, lr, lr / 2));
            }
            r.on(new TrainingEvent.StepCompleted(epoch, step, step, 2.5f / step, regression ? Float.NaN
                    : Math.min(1f, step / 25f), 1000));
            if (step == 13) {
                r.on(new TrainingEvent.EpochCompleted(1, 0.5, 0.6, new Evaluation(100, 90, 0.41, new int[10][10])));
            }
        }
        r.on(new TrainingEvent.EpochCompleted(2, 0.3, 0.8, new Evaluation(100, 88, 0.39, new int[10][10])));
        return r.finish(TrainingEvent.Reason.CANCELLED, Duration.ofMillis(4250), null);
    }

    @Test
    void theRecorderKeepsEveryStepTheTestsAndTheLearningRateChanges() {
        RunRecord run = recorded(project(), false);
        assertEquals(25, run.steps());
        assertEquals(2.5f / 7, run.loss()[6]);
        assertEquals(2, run.epochsReached());
        assertEquals(List.of(13L, 25L), run.tests().stream().map(TrainingViewModel.TestPoint::step).toList());
        assertEquals(0.9, run.tests().get(0).accuracy(), 1e-12);
        assertEquals(1, run.best().epoch(), "the higher test accuracy, though the later loss is lower");
        assertEquals(0.001, run.learningRateAt(11), "LeNet-5's Adam lr");
        assertEquals(0.0005, run.learningRateAt(12));
        assertEquals("cpu", run.device());
        assertEquals("CANCELLED", run.outcome());
        assertNull(new RunRecorder(project()).finish(TrainingEvent.Reason.COMPLETED, Duration.ZERO, null),
                "a run that took no step leaves nothing to keep");
    }

    @Test
    void runsStartedInTheSameSecondGetTheirOwnIdsAndFolders() {
        java.time.Instant second = java.time.Instant.parse("2026-12-05T03:36:00Z");
        String first = RunRecorder.uniqueId(second);
        String again = RunRecorder.uniqueId(second.plusMillis(400));
        String third = RunRecorder.uniqueId(second.plusMillis(800));
        assertTrue(first.matches("run-\\d{8}-\\d{6}"), first);
        assertEquals(first + "-2", again, "the second run of that second");
        assertEquals(first + "-3", third);
        assertEquals(RunRecorder.uniqueId(second.plusSeconds(1)).length(), first.length(),
                "the next second: no suffix");
    }

    @Test
    void aRunWrittenBesideTheProjectReadsBackTheSame() throws Exception {
        Path projectFile = dir.resolve("LeNet 5.json");
        RunRecord run = recorded(project(), false);
        RunRecord kept = RunStore.write(run, projectFile);
        Path folder = dir.resolve("LeNet 5.runs").resolve(run.id());
        assertEquals(folder, kept.folder());
        for (String f : List.of("run.json", "project.json", "metrics.csv")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f);
        }
        List<String> problems = new ArrayList<>();
        List<RunRecord> read = RunStore.readAll(projectFile, problems);
        assertEquals(List.of(), problems);
        assertEquals(1, read.size());
        RunRecord back = read.get(0);
        assertEquals(run.id(), back.id());
        assertEquals(run.started(), back.started());
        assertEquals(run.outcome(), back.outcome());
        assertEquals(run.elapsed(), back.elapsed());
        assertEquals(run.tests(), back.tests());
        assertEquals(run.epochs(), back.epochs());
        assertEquals(run.lrChanges(), back.lrChanges());
        assertArrayEquals(run.epochOfStep(), back.epochOfStep());
        // exactly the floats that were trained
        assertArrayEquals(run.loss(), back.loss());
        assertArrayEquals(run.accuracy(), back.accuracy());
        assertEquals(run.project().graph().nodes().size(), back.project().graph().nodes().size());
        assertEquals(run.project().training(), back.project().training());
        // written again under the same file: nothing to do; under another: the history moves with it
        assertEquals(kept, RunStore.write(kept, projectFile));
        RunRecord moved = RunStore.write(back, dir.resolve("copy.json"));
        assertTrue(Files.isRegularFile(dir.resolve("copy.runs").resolve(run.id()).resolve("metrics.csv")));
        assertEquals(1, RunStore.readAll(dir.resolve("copy.json"), problems).size());
        RunStore.delete(moved);
        assertFalse(Files.exists(moved.folder()));
    }

    @Test
    void aRegressionRunKeepsItsMissingAccuraciesMissing() throws Exception {
        Path projectFile = dir.resolve("p.json");
        RunRecord run = recorded(project(), true);
        assertTrue(Double.isNaN(run.tests().get(0).accuracy()));
        assertEquals(2, run.best().epoch(), "without accuracies the lower test loss is the best");
        RunStore.write(run, projectFile);
        RunRecord back = RunStore.readAll(projectFile, new ArrayList<>()).get(0);
        assertTrue(Float.isNaN(back.accuracy()[3]));
        assertTrue(Double.isNaN(back.tests().get(1).accuracy()));
    }

    @Test
    void theCsvHasARowPerStepWithTheLearningRateAndTheTestsWhereMeasured() throws Exception {
        Path csv = dir.resolve("out.csv");
        RunStore.exportCsv(recorded(project(), false), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(26, lines.size());
        assertEquals("step,epoch,loss,accuracy,learning_rate,test_loss,test_accuracy", lines.get(0));
        assertEquals("1,1,2.5,0.04,0.001,,", lines.get(1));
        assertEquals("12,1,0.20833333,0.48,5.0E-4,,", lines.get(12));
        assertEquals("13,1,0.1923077,0.52,5.0E-4,0.41,0.9", lines.get(13));
        assertEquals("25,2,0.1,1.0,5.0E-4,0.39,0.88", lines.get(25));
    }

    @Test
    void aBrokenRunFolderIsNamedAndTheOthersStillRead() throws Exception {
        Path projectFile = dir.resolve("p.json");
        RunRecord good = RunStore.write(recorded(project(), false), projectFile);
        Path broken = RunStore.folderOf(projectFile).resolve("run-broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("run.json"), "{ not json");
        List<String> problems = new ArrayList<>();
        List<RunRecord> read = RunStore.readAll(projectFile, problems);
        assertEquals(List.of(good.id()), read.stream().map(RunRecord::id).toList());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("run-broken: run.json is not valid JSON"), problems.get(0));
        // a metrics file cut short by hand is named with its row
        Files.writeString(good.folder().resolve("metrics.csv"), RunStore.CSV_HEADER + "\n1,1,x,0.5,0.01,,\n");
        problems.clear();
        assertEquals(0, RunStore.readAll(projectFile, problems).size());
        assertTrue(problems.get(0).contains("metrics.csv row 2"), problems.get(0));
    }
}
