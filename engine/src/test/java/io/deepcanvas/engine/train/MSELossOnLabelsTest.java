package io.deepcanvas.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Normalize;
import io.deepcanvas.engine.data.Subset;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.TrainingEvent.Finished;
import io.deepcanvas.engine.train.TrainingEvent.Reason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A project's MSELoss on MNIST: class labels compared as one-hot rows, as the exported PyTorch program does
 * ({@code F.mse_loss(out, F.one_hot(y, classes).float())}); it used to fail at the first step on the shapes.
 */
class MSELossOnLabelsTest {

    @Test
    void labelsAreComparedAsOneHotRowsWithPyTorchsValueAndGradient() {
        float[] x = {0.5f, -1f, 2f, 0.25f, 1f, 0f, -0.5f, 3f, 1.5f};
        Tensor out = Tensor.fromArray(x.clone(), 3, 3).requiresGrad(true);
        Tensor labels = Tensor.fromArray(new float[] {2, 0, 1}, 3);
        Loss loss = TrainingRecipe.loss("MSELoss");
        Tensor l = loss.forward(out, labels);
        float[] oneHot = {0, 0, 1, 1, 0, 0, 0, 1, 0};
        double sum = 0;
        float[] grad = new float[9];
        for (int i = 0; i < 9; i++) {
            double d = x[i] - oneHot[i];
            sum += d * d;
            grad[i] = (float) (2 * d / 9);
        }
        assertEquals(sum / 9, l.item(), 1e-6);
        l.backward();
        assertArrayEquals(grad, out.grad().toArray(), 1e-6f);
        assertEquals("MSELoss()", loss.toString());
    }

    @Test
    void targetsShapedLikeTheOutputAreComparedAsTheyAre() {
        Tensor out = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor target = Tensor.fromArray(new float[] {0, 2, 5, 4}, 2, 2);
        assertEquals(new MSELoss().forward(out, target).item(),
                TrainingRecipe.loss("MSELoss").forward(out, target).item(), 0f);
    }

    @Test
    void aLabelPastTheOutputsNamesTheLabelAndTheFix() {
        Tensor out = Tensor.zeros(2, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.loss("MSELoss")
                .forward(out, Tensor.fromArray(new float[] {3, 12}, 2)));
        assertTrue(e.getMessage().contains("label 12") && e.getMessage().contains("10 classes"), e.getMessage());
    }

    @Test
    void aDenseNetworkLearnsMnistWithMseLossAndReportsItsAccuracy() {
        Tensor.manualSeed(7);
        var folder = Mnist.sampleDataFolder();
        var normalize = new Normalize(0.1307f, 0.3081f);
        DataLoader train = DataLoader.builder(Subset.random(new Mnist(folder, true, normalize), 4000, 1))
                .batchSize(32).shuffle(true).seed(1).build();
        DataLoader test = DataLoader.builder(Subset.first(new Mnist(folder, false, normalize), 1000))
                .batchSize(500).build();
        Module net = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Finished end = Trainer.builder(net, TrainingRecipe.loss("MSELoss"), new SGD(net.parameters(), 0.1f), train)
                .testLoader(test).listener(events::add).build().runOnCallerThread();
        assertEquals(Reason.COMPLETED, end.reason(), end.message());
        TrainingEvent.EpochCompleted epoch = events.stream().filter(TrainingEvent.EpochCompleted.class::isInstance)
                .map(TrainingEvent.EpochCompleted.class::cast).findFirst().orElseThrow();
        assertFalse(Double.isNaN(epoch.trainAccuracy()), "MSELoss on labels reports a training accuracy");
        assertTrue(epoch.trainAccuracy() > 0.5, "training accuracy " + epoch.trainAccuracy());
        assertTrue(epoch.test().accuracy() > 0.8, "test accuracy after one epoch of 4000 images: " + epoch.test());
    }
}
