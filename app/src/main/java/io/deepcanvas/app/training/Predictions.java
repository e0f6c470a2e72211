package io.deepcanvas.app.training;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.data.Batch;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Every test image's predicted class and class probabilities (the softmax of the logits), which the confusion
 * matrix's cells are opened with. Computed off the FX thread; the arrays are never changed once made.
 *
 * @param actual each image's label
 * @param predicted each image's most probable class
 * @param probabilities each image's class probabilities, {@code classes} per image, image after image
 */
public record Predictions(int[] actual, int[] predicted, float[] probabilities, int classes) {
    /** A class and how probable the network finds it. */
    public record Guess(int label, double probability) {
    }

    /**
     * Runs {@code model} over {@code data} in batches of {@code batchSize}, in evaluation mode and without
     * gradients, as the engine's {@code Evaluator} does, keeping each image's probabilities.
     */
    public static Predictions of(Module model, Dataset data, int batchSize) {
        // the drawing pad may run the same module: one caller at a time, so neither flips the other's eval mode
        synchronized (model) {
            return compute(model, data, batchSize);
        }
    }

    private static Predictions compute(Module model, Dataset data, int batchSize) {
        int n = data.size();
        int[] actual = new int[n];
        int[] predicted = new int[n];
        float[] probabilities = null;
        int classes = 0;
        int at = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad ignored = GradMode.noGrad()) {
            for (Batch b : DataLoader.builder(data).batchSize(batchSize).build()) {
                Tensor logits = model.forward(b.inputs());
                if (logits.dim() != 2) {
                    throw new IllegalArgumentException("evaluation needs class scores of shape [batch, classes] "
                            + "but the model outputs " + logits.shape() + ": end the network with a Linear layer");
                }
                if (probabilities == null) {
                    classes = logits.size(1);
                    probabilities = new float[n * classes];
                }
                float[] batchLogits = logits.toArray();
                int[] labels = b.targets().toIntArray();
                for (int i = 0; i < labels.length; i++, at++) {
                    float[] p = softmax(batchLogits, i * classes, classes);
                    System.arraycopy(p, 0, probabilities, at * classes, classes);
                    actual[at] = labels[i];
                    predicted[at] = argmax(p);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Predictions(actual, predicted, probabilities == null ? new float[0] : probabilities, classes);
    }

    /** The softmax of {@code n} logits from {@code from}, shifted by their maximum so that none overflows. */
    public static float[] softmax(float[] logits, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double[] e = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            e[i] = Math.exp(logits[from + i] - max);
            sum += e[i];
        }
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The {@code k} most probable classes of image {@code index}, most probable first. */
    public List<Guess> top(int index, int k) {
        List<Guess> all = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            all.add(new Guess(c, probabilities[index * classes + c]));
        }
        all.sort((a, b) -> Double.compare(b.probability(), a.probability()));
        return List.copyOf(all.subList(0, Math.min(k, classes)));
    }

    /** The images of the confusion matrix's cell (actual {@code a}, predicted {@code b}), at most {@code limit}. */
    public List<Integer> inCell(int a, int b, int limit) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < actual.length && found.size() < limit; i++) {
            if (actual[i] == a && predicted[i] == b) {
                found.add(i);
            }
        }
        return found;
    }

    public int size() {
        return actual.length;
    }
}
