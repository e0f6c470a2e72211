package io.deepcanvas.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.LeNet5;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 trained by the unchanged {@link Trainer} on OpenCL and on the CPU from the same initial weights and the
 * same batches: the loss curves agree to float tolerance, and the weights stayed on the device throughout.
 */
class OpenCLTrainingTest {
    private static final int STEPS = 40;
    private static final int BATCH = 16;
    private static Device opencl;

    /** Per test, so that each one reports the skip and its reason where there is no device (opened once). */
    @BeforeEach
    void device() {
        opencl = Device.of(OpenCLTestDevice.backendOrSkip());
    }

    /**
     * The per-step losses and accuracies of a run of LeNet-5 on {@code device}, then, every 10 steps, the gradient
     * statistics (mean |g|, ‖g‖, ‖w‖ of every parameter) and the first layer's filters.
     */
    private static List<float[]> train(Device device, Function<LeNet5, Optimizer<?>> optimizer) {
        Tensor.manualSeed(7);
        LeNet5 net;
        try (Device.Scope ignored = Device.use(device)) {
            net = new LeNet5();
        }
        assertEquals(device, net.parameters().get(0).device(), "parameters are created on the default device");
        // 64 noisy 32x32 images whose brightness in one of ten bands tells the class: learnable in a few steps
        Tensor.manualSeed(3);
        float[] pixels = Tensor.randn(64, 1, 32, 32).toArray();
        float[] labels = new float[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10;
            int band = (int) labels[i] * 3;
            for (int r = band; r < band + 3; r++) {
                for (int c = 0; c < 32; c++) {
                    pixels[i * 1024 + r * 32 + c] += 2f;
                }
            }
        }
        Tensor x = Tensor.wrap(pixels, 64, 1, 32, 32);
        DataLoader loader = DataLoader.builder(new TensorDataset(x, Tensor.wrap(labels, 64))).batchSize(BATCH)
                .shuffle(true).seed(5).build();
        List<float[]> curve = new ArrayList<>();
        Trainer t = Trainer.builder(net, new CrossEntropyLoss(), optimizer.apply(net), loader).epochs(100)
                .maxSteps(STEPS).gradientStatsEvery(10).filterSnapshotEvery(10).listener(e -> {
                    if (e instanceof TrainingEvent.StepCompleted s) {
                        curve.add(new float[] {s.loss(), s.batchAccuracy()});
                    } else if (e instanceof TrainingEvent.GradientStats g) {
                        g.byParameter().values().forEach(m -> curve.add(new float[] {(float) m.meanAbs(),
                            (float) m.norm(), (float) m.weightNorm()}));
                    } else if (e instanceof TrainingEvent.FilterSnapshot f) {
                        curve.add(f.weights());
                    }
                }).build();
        TrainingEvent.Finished end = t.runOnCallerThread();
        assertEquals(TrainingEvent.Reason.COMPLETED, end.reason(), end.message());
        assertEquals(device, net.parameters().get(0).device(), "the weights stay on the device");
        return curve;
    }

    private static void assertSameCurve(List<float[]> cpu, List<float[]> cl, String what) {
        // 40 steps, 4 × (10 parameters' statistics + 1 filter snapshot)
        assertEquals(STEPS + 4 * 11, cpu.size());
        assertEquals(cpu.size(), cl.size());
        List<float[]> losses = new ArrayList<>();
        for (int i = 0; i < cpu.size(); i++) {
            float[] a = cpu.get(i), b = cl.get(i);
            assertEquals(a.length, b.length, what + ": record " + i);
            if (a.length == 2) {
                losses.add(b);
                assertTrue(Math.abs(a[0] - b[0]) <= 2e-3 * (1 + Math.abs(a[0])), what + ": loss at step "
                        + losses.size() + " is " + b[0] + " on OpenCL but " + a[0] + " on the CPU");
                assertEquals(a[1], b[1], 1e-6, what + ": batch accuracy at step " + losses.size());
            } else {
                OpenCLTestDevice.assertClose(a, b, 5e-3, what + ": statistics or filters, record " + i);
            }
        }
        assertEquals(STEPS, losses.size());
        assertTrue(losses.get(STEPS - 1)[0] < losses.get(0)[0] * 0.7, what + ": the loss fell from "
                + losses.get(0)[0] + " to only " + losses.get(STEPS - 1)[0]);
    }

    @Test
    void lenet5WithSgdMomentumTrainsOnOpenClAsOnTheCpu() {
        Function<LeNet5, Optimizer<?>> sgd = n -> new SGD(n.parameters(), 0.02f, 0.9f);
        assertSameCurve(train(Device.CPU, sgd), train(opencl, sgd), "SGD(momentum=0.9)");
    }

    @Test
    void lenet5WithAdamTrainsOnOpenClAsOnTheCpu() {
        Function<LeNet5, Optimizer<?>> adam = n -> new Adam(n.parameters(), 1e-3f);
        assertSameCurve(train(Device.CPU, adam), train(opencl, adam), "Adam");
    }
}
