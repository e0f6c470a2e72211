package io.deepcanvas.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.training.FeatureMaps;
import io.deepcanvas.app.training.RunLimits;
import io.deepcanvas.app.training.RunRecord;
import io.deepcanvas.app.training.RunStore;
import io.deepcanvas.app.training.TrainingViewModel;
import io.deepcanvas.app.training.TrainingViewModel.State;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The run history as a user meets it: two LeNet-5 runs are kept beside the saved project (settings, every step,
 * weights), compared on the charts, exported as CSV; a chart exports as PNG; a test image shows what each
 * convolution makes of it; and the reopened project shows its runs again, the newest in the charts.
 */
class RunHistoryTest extends EditorFxTest {
    /** Whether every node lies inside the visible canvas. */
    private static boolean networkInView(io.deepcanvas.app.editor.CanvasView canvas) {
        javafx.geometry.Bounds b = canvas.contentBounds(), view = canvas.viewport();
        return b != null && view.contains(b);
    }

    private TrainingViewModel vm() {
        return window.training();
    }

    private void train() throws Exception {
        RunRecord before = vm().finishedRunProperty().get();
        type(KeyCode.F5);
        waitLong(() -> vm().finishedRunProperty().get() != before && vm().stateProperty().get() == State.COMPLETED,
                60, "the run to finish");
    }

    private void answer(Path file) {
        interact(() -> window.files().setFileDialogs((purpose, name) -> file));
    }

    private static long runFolders(Path projectFile) {
        Path dir = RunStore.folderOf(projectFile);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("run.json"))
                    && Files.isRegularFile(p.resolve(RunRecord.WEIGHTS))).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void runsAreKeptComparedExportedAndComeBackWithTheProject() throws Exception {
        openLayout("lenet5");
        // 2 epochs of 8 steps on 512 images, tested on 300
        interact(() -> {
            vm().setLimits(new RunLimits(0, 512, 300));
            model.setTraining(model.training().withEpochs(2));
        });
        train();
        RunRecord first = vm().finishedRunProperty().get();
        assertEquals(16, first.steps());
        assertEquals(2, first.tests().size(), "a test after each epoch");
        assertNotNull(first.best());
        assertSame(first, vm().shownRunProperty().get(), "the run that ended is the one shown");
        assertEquals(List.of(first), window.history().runs());

        // saved: the run goes beside the project with its weights
        Path file = home.resolve("lenet.json");
        answer(file);
        press(KeyCode.SHIFT);
        shortcut(KeyCode.S);
        release(KeyCode.SHIFT);
        waitUntil(() -> !model.isDirty() && runFolders(file) == 1);

        // a second run, with a lower learning rate: kept beside the file at once
        interact(() -> model.setTraining(model.training().withOptimizer(
                new io.deepcanvas.engine.io.OptimizerSettings.Adam(3e-4, 0.9, 0.999, 1e-8, 0, false))));
        train();
        RunRecord second = vm().finishedRunProperty().get();
        assertNotEquals(first.id(), second.id());
        waitUntil(() -> runFolders(file) == 2);
        assertEquals(2, window.history().runs().size());

        // the Runs tab lists both; the first is compared under the second
        clickOn("#tab-runs");
        @SuppressWarnings("unchecked")
        TableView<RunRecord> table = lookup("#runsTable").queryAs(TableView.class);
        assertEquals(2, table.getItems().size());
        interact(() -> table.getSelectionModel().select(0));
        long redraws = window.trainingDock().lossChart().redraws();
        clickOn("#runsCompare");
        assertEquals(first.id(), vm().comparedRunProperty().get().id());
        assertNotNull(vm().comparedCurves());
        waitUntil(() -> window.trainingDock().lossChart().redraws() > redraws);

        // its metrics as CSV: a row per step
        Path csv = home.resolve("first.csv");
        answer(csv);
        clickOn("#runsExportCsv");
        waitUntil(() -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(17, lines.size());
        assertEquals("step,epoch,loss,accuracy,learning_rate,test_loss,test_accuracy", lines.get(0));

        // the loss chart as PNG, as it shows
        Path png = home.resolve("loss.png");
        answer(png);
        interact(() -> window.trainingDock().exportPng(window.trainingDock().lossChart(), "loss"));
        waitUntil(() -> Files.exists(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 200 && image.getHeight() > 100, image.getWidth() + "×" + image.getHeight());
        assertTrue(colours(image) > 10, "a drawn chart, not a blank image");

        // a test image through the trained network: each convolution's maps and the class probabilities
        clickOn("#tab-featureMaps");
        waitLong(() -> window.trainingDock().featureMaps().shown() != null, 20, "the feature maps");
        FeatureMaps maps = window.trainingDock().featureMaps().shown();
        assertEquals(List.of("conv1", "conv2"), maps.layers().stream().map(FeatureMaps.Layer::name).toList());
        assertEquals(6, maps.layers().get(0).channels());
        assertEquals(28, maps.layers().get(0).height());
        assertEquals(16, maps.layers().get(1).channels());
        double sum = 0;
        for (float p : maps.probabilities()) {
            sum += p;
        }
        assertEquals(1, sum, 1e-4);
        assertTrue(lookup("#featureMapsCaption").queryAs(Label.class).getText().startsWith("Test image 1 · label "));
        clickOn("#featureMapsNext");
        waitUntil(() -> window.trainingDock().featureMaps().shown().index() == 1);

        // reopened: both runs come back, the newest in the charts, with its curves; the panels hidden before (View ▸
        // Training panels) show again, since there is a run to see
        interact(model::newProject);
        shortcut(KeyCode.J);
        waitUntil(() -> window.trainingDock().getParent() == null);
        answer(file);
        shortcut(KeyCode.O);
        waitUntil(() -> file.equals(model.file()) && window.history().runs().size() == 2
                && vm().shownRunProperty().get() != null);
        waitUntil(() -> window.trainingDock().getParent() != null);
        // the view was saved with the panels shown and comes back before they show again: the whole network stays
        // in the shorter canvas (it came back half above it)
        waitUntil(() -> networkInView(canvas));
        RunRecord shown = vm().shownRunProperty().get();
        assertEquals(second.id(), shown.id());
        assertEquals(16, vm().lossSeries().samples());
        assertEquals(2, vm().testPoints().size());
        assertEquals(first.id(), window.history().runs().get(0).id());
        RunRecord keptFirst = window.history().runs().get(0);
        assertTrue(keptFirst.folder().startsWith(RunStore.folderOf(file)));

        // the first run's weights put to use: read from its folder into a fresh network
        clickOn("#tab-runs");
        interact(() -> table.getSelectionModel().select(0));
        var readWithProject = vm().trainedNetworkProperty().get();
        clickOn("#runsUseWeights");
        waitUntil(() -> vm().trainedNetworkProperty().get() != null
                && vm().trainedNetworkProperty().get() != readWithProject);
        assertEquals(16, vm().trainedNetworkProperty().get().steps());
        assertTrue(lookup("#status").queryAs(Label.class).getText().startsWith("The weights of run 1 are in use"),
                lookup("#status").queryAs(Label.class).getText());

        // the first run deleted, after a confirmation: gone from the list and from beside the project
        clickOn("#runsDelete");
        waitUntil(() -> lookup("#deleteRunDialog").tryQuery().isPresent());
        clickOn(lookup("#deleteRunDialog .button").match(n -> "Delete".equals(((javafx.scene.control.Button) n)
                .getText())).queryButton());
        waitUntil(() -> window.history().runs().size() == 1 && !Files.exists(keptFirst.folder()));
        assertEquals(second.id(), window.history().runs().get(0).id());
        assertEquals(1, runFolders(file));
    }

    private static int colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
