package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view-model and what feeds it know no controls (JabRef's rule): they are tested without the FX thread. */
class TrainingArchitectureTest {
    @Test
    void theViewModelAndTheRunnerImportNothingFromJavafxScene() throws IOException {
        Path dir = Path.of("src/main/java/io/deepcanvas/app/training");
        List<String> wrong = new ArrayList<>();
        for (String f : List.of("TrainingViewModel.java", "TrainingRunner.java", "DecimatedSeries.java",
                "RunLimits.java", "FramePump.java", "EvaluationViewModel.java", "Predictions.java", "RunRecord.java",
                "RunRecorder.java", "RunStore.java", "RunHistory.java", "RunCurves.java", "FeatureMaps.java")) {
            if (Files.readString(dir.resolve(f)).contains("import javafx.scene")) {
                wrong.add(f);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
