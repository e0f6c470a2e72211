package io.deepcanvas.engine.train;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.data.Batch;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Tensor;

/**
 * Measures a classifier on a data set in evaluation mode and without gradients (PyTorch's
 * {@code model.eval(); with torch.no_grad(): ...}), then restores the model's previous mode.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Accuracy, confusion matrix and mean loss ({@code loss} may be null) of {@code model} over {@code loader}. */
    public static Evaluation evaluate(Module model, DataLoader loader, Loss loss) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int[][] confusion = null;
        long total = 0, correct = 0;
        double lossSum = 0;
        try (NoGrad ignored = GradMode.noGrad()) {
            for (Batch b : loader) {
                Tensor logits = model.forward(b.inputs());
                if (logits.dim() != 2) {
                    throw new IllegalArgumentException("evaluation needs class scores of shape [batch, classes] but "
                            + "the model outputs " + logits.shape() + ": end the network with a Linear layer");
                }
                if (confusion == null) {
                    confusion = new int[logits.size(1)][logits.size(1)];
                }
                if (loss != null) {
                    lossSum += loss.forward(logits, b.targets()).item() * b.size();
                }
                int[] predicted = logits.argmax(1).toIntArray();
                int[] actual = b.targets().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    if (actual[i] < 0 || actual[i] >= confusion.length) {
                        throw new IllegalArgumentException("label " + actual[i] + " is outside the model's "
                                + confusion.length + " classes");
                    }
                    confusion[actual[i]][predicted[i]]++;
                    correct += predicted[i] == actual[i] ? 1 : 0;
                }
                total += predicted.length;
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(total, correct, total == 0 ? Double.NaN : lossSum / total,
                confusion == null ? new int[0][0] : confusion);
    }
}
