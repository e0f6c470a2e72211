package io.deepcanvas.app.training;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.NodeInfo;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each convolution of a trained network makes of one test image: every Conv2d layer's output channels, and
 * the class probabilities the network gives the image. Computed off the FX thread; never changed once made.
 *
 * @param index the test image's index in the MNIST test set
 * @param label its true class
 * @param image its 28×28 grey levels, 0…1
 * @param probabilities the predicted class probabilities, or null when the network does not output 10 classes
 * @param layers each Conv2d layer's output, in running order
 */
public record FeatureMaps(int index, int label, float[] image, float[] probabilities, List<Layer> layers) {
    /** One convolution's output for the image: {@code channels × height × width} values, ±{@code scale} the largest. */
    public record Layer(String name, int channels, int height, int width, float[] values, float scale) {
    }

    /** The index of the most probable class, or −1. */
    public int predicted() {
        return probabilities == null ? -1 : Predictions.argmax(probabilities);
    }

    /** Runs {@code network} on test image {@code index} of {@code test} (raw, untransformed), on the calling thread. */
    public static FeatureMaps of(TrainedNetwork network, Mnist test, int index) {
        int h = test.height();
        int w = test.width();
        byte[] raw = new byte[h * w];
        test.copyPixels(index, raw, 0);
        float[] image = new float[h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (raw[i] & 0xff) / 255f;
        }
        Tensor x = DigitPadPreprocessor.toSample(image, network.transform(), network.inputShape());
        GraphModule module = network.module();
        List<Layer> layers = new ArrayList<>();
        // one caller at a time (TrainedNetwork): evaluation and the drawing pad may run the same module
        synchronized (module) {
            boolean wasTraining = module.isTraining();
            module.eval();
            try (NoGrad ignored = GradMode.noGrad()) {
                Map<String, Tensor> all = module.forwardAll(x);
                for (String id : module.report().order()) {
                    NodeInfo info = module.report().info(id);
                    Tensor out = all.get(id);
                    if (info != null && out != null && info.type().name().equals("Conv2d") && out.dim() == 4) {
                        layers.add(layer(info.label(), out));
                    }
                }
            } finally {
                module.train(wasTraining);
            }
        }
        float[] probabilities;
        try {
            probabilities = DigitPadPredictor.probabilities(module, x);
        } catch (IllegalArgumentException e) {
            probabilities = null;
        }
        return new FeatureMaps(index, test.label(index), image, probabilities, layers);
    }

    private static Layer layer(String name, Tensor out) {
        float[] v = out.toArray();
        float scale = 0;
        for (float f : v) {
            if (Float.isFinite(f)) {
                scale = Math.max(scale, Math.abs(f));
            }
        }
        return new Layer(name, out.size(1), out.size(2), out.size(3), v, scale);
    }
}
