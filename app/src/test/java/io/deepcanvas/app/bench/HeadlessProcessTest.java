package io.deepcanvas.app.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.project.Examples;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The headless side of {@code bench-panels}: a JVM of its own that trains on request and answers with its times. */
class HeadlessProcessTest {
    @Test
    void trainsInItsOwnProcessAndAnswersWithTheTrainersTimeAndItsCpu() throws Exception {
        int before = TrainingPanelsBenchmark.images;
        TrainingPanelsBenchmark.images = 640;
        try (TrainingPanelsBenchmark.HeadlessProcess headless =
                     new TrainingPanelsBenchmark.HeadlessProcess(Examples.lenet5())) {
            double[] first = headless.run();
            double[] second = headless.run();
            for (double[] r : new double[][]{first, second}) {
                assertTrue(r[0] > 0 && r[0] < 300, "trainer's seconds " + r[0]);
                // the process trained 10 steps and a pass over the test set: it used CPU
                assertTrue(r[1] > 0, "process CPU seconds " + r[1]);
            }
        } finally {
            TrainingPanelsBenchmark.images = before;
        }
    }

    @Test
    void aProcessThatCannotTrainIsAnErrorNotAHang() throws Exception {
        try (TrainingPanelsBenchmark.HeadlessProcess headless =
                     new TrainingPanelsBenchmark.HeadlessProcess(Path.of("no-such-project.json"))) {
            IOException e = assertThrows(IOException.class, headless::run);
            assertTrue(e.getMessage().contains("headless process ended"), e.getMessage());
        }
    }
}
