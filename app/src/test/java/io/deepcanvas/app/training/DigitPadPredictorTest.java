package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.GraphCompiler;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DigitPadPredictorTest {
    private static final int W = 280;

    /** The untrained MLP of layouts/mlp.json with its Normalize transform. */
    static TrainedNetwork mlp() throws Exception {
        Project p = ProjectFile.withLayerRegistry()
                .load(Path.of(System.getProperty("deepcanvas.layouts", "../layouts")).resolve("mlp.json"));
        Tensor.manualSeed(1);
        GraphModule m = GraphCompiler.compile(p.graph(), "MLP");
        return new TrainedNetwork(m, TrainingRecipe.transform(p.training()), m.report().outputShape(
                m.report().inputId()), p.name(), 0);
    }

    private static float[] stroke(double x0, double y0, double x1, double y1) {
        DigitPadRaster r = new DigitPadRaster(W, W);
        r.stroke(x0, y0, x1, y1, 20);
        return r.snapshot();
    }

    @Test
    void aDrawingGivesTenProbabilitiesInEvalModeAndTheModeIsRestored() throws Exception {
        TrainedNetwork net = mlp();
        net.module().train();
        DigitPadPredictor.Prediction p = DigitPadPredictor.predict(stroke(140, 40, 140, 240), W, W, net);
        assertNull(p.error());
        assertEquals(10, p.probabilities().length);
        double sum = 0;
        for (float v : p.probabilities()) {
            assertTrue(v >= 0 && v <= 1);
            sum += v;
        }
        assertEquals(1, sum, 1e-4);
        assertTrue(net.module().isTraining(), "the module's training mode is put back");
        assertTrue(p.top() >= 0 && p.top() < 10);
    }

    @Test
    void withoutANetworkOrWithoutInkThereAreNoProbabilities() throws Exception {
        DigitPadPredictor.Prediction none = DigitPadPredictor.predict(stroke(140, 40, 140, 240), W, W, null);
        assertNotNull(none.image());
        assertNull(none.probabilities());
        assertEquals(-1, none.top());
        DigitPadPredictor.Prediction empty = DigitPadPredictor.predict(new float[W * W], W, W, mlp());
        assertNull(empty.image());
        assertNull(empty.probabilities());
    }

    @Test
    void theLatestDrawingWinsAndOlderOnesAreDroppedNotQueued() throws Exception {
        TrainedNetwork net = mlp();
        BlockingQueue<Runnable> published = new LinkedBlockingQueue<>();
        List<DigitPadPredictor.Prediction> shown = new ArrayList<>();
        DigitPadPredictor predictor = new DigitPadPredictor(published::add, shown::add);
        try {
            float[][] drawings = new float[30][];
            for (int i = 0; i < drawings.length; i++) {
                drawings[i] = stroke(40 + 5 * i, 40, 140, 240);
            }
            // asked for far faster than a forward pass takes
            for (float[] d : drawings) {
                predictor.request(d, W, W, net);
            }
            float[] last = drawings[drawings.length - 1];
            float[] expected = DigitPadPreprocessor.toMnist(last, W, W);
            // run what the worker publishes, as the FX thread would, until the latest drawing arrives
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (shown.isEmpty() || !java.util.Arrays.equals(expected, shown.get(shown.size() - 1).image())) {
                Runnable r = published.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertNotNull(r, "the latest drawing was never predicted");
                r.run();
            }
            assertTrue(shown.size() < 30, "waiting drawings were dropped: " + shown.size() + " predictions for 30");
        } finally {
            predictor.shutdown();
        }
    }

    @Test
    void forgetDropsAResultStillBeingComputed() throws Exception {
        BlockingQueue<Runnable> published = new LinkedBlockingQueue<>();
        List<DigitPadPredictor.Prediction> shown = new ArrayList<>();
        DigitPadPredictor predictor = new DigitPadPredictor(published::add, shown::add);
        try {
            predictor.request(stroke(140, 40, 140, 240), W, W, mlp());
            Runnable r = published.poll(20, TimeUnit.SECONDS);
            assertNotNull(r);
            predictor.forget();
            r.run();
            assertEquals(List.of(), shown);
            predictor.request(stroke(140, 40, 140, 240), W, W, null);
            published.poll(20, TimeUnit.SECONDS).run();
            assertEquals(1, shown.size(), "requests after forget() are delivered");
        } finally {
            predictor.shutdown();
        }
    }
}
