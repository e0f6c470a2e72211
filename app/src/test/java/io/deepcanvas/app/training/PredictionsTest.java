package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-image predictions: the softmax of the logits, the top guesses, and the images of one confusion cell. */
class PredictionsTest {
    @Test
    void softmaxSumsToOneAndSurvivesHugeLogits() {
        float[] p = Predictions.softmax(new float[] {9f, 1000f, 1000f, 0f}, 1, 2);
        assertArrayEquals(new float[] {0.5f, 0.5f}, p, 1e-6f);
        float[] q = Predictions.softmax(new float[] {0f, (float) Math.log(3)}, 0, 2);
        assertArrayEquals(new float[] {0.25f, 0.75f}, q, 1e-6f);
    }

    @Test
    void topGuessesComeMostProbableFirst() {
        Predictions p = new Predictions(new int[] {2}, new int[] {1}, new float[] {0.1f, 0.6f, 0.3f}, 3);
        List<Predictions.Guess> top = p.top(0, 2);
        assertEquals(2, top.size());
        assertEquals(1, top.get(0).label());
        assertEquals(0.6, top.get(0).probability(), 1e-6);
        assertEquals(2, top.get(1).label());
    }

    @Test
    void aCellHoldsTheImagesOfThatActualAndPredictedDigitUpToTheLimit() {
        int[] actual = {3, 5, 3, 3, 5, 3};
        int[] predicted = {5, 5, 3, 5, 3, 5};
        Predictions p = new Predictions(actual, predicted, new float[6 * 10], 10);
        assertEquals(List.of(0, 3, 5), p.inCell(3, 5, 10));
        assertEquals(List.of(0, 3), p.inCell(3, 5, 2));
        assertEquals(List.of(4), p.inCell(5, 3, 10));
        assertEquals(List.of(), p.inCell(7, 7, 10));
    }

    @Test
    void predictionsOfAModelAgreeWithItsLogits() {
        Tensor.manualSeed(1);
        Linear model = new Linear(4, 3);
        Tensor inputs = Tensor.randn(5, 4);
        TensorDataset data = new TensorDataset(inputs, Tensor.fromArray(new float[] {0, 1, 2, 0, 1}, 5));
        Predictions p = Predictions.of(model, data, 2);
        assertEquals(5, p.size());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, p.actual());
        float[] logits = model.forward(inputs).toArray();
        for (int i = 0; i < 5; i++) {
            float[] expected = Predictions.softmax(logits, i * 3, 3);
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[c], p.probabilities()[i * 3 + c], 1e-5f);
            }
            assertEquals(Predictions.argmax(expected), p.predicted()[i]);
        }
    }
}
