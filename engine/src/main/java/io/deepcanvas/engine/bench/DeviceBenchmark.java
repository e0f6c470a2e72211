package io.deepcanvas.engine.bench;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Tensor;

/**
 * One network of the benchmark on an accelerator, measured as PyTorch is on a GPU: a few batches uploaded before
 * timing and cycled (the data already on the device), the loss read back every step — the one blocking read a
 * step of live training has — and inference timed up to a {@link Device#synchronize()}.
 */
final class DeviceBenchmark {
    /** Distinct batches kept on the device: enough that no step sees the batch before it again. */
    private static final int RESIDENT_BATCHES = 8;

    private DeviceBenchmark() {
    }

    static Benchmark.Result measure(Device device, Benchmark.Spec s, String optimizer, Benchmark.Batches mnist,
                                    int warmup, double warmupSeconds, int steps, int inferIters) {
        Tensor.manualSeed(0);
        Module net;
        try (Device.Scope ignored = Device.use(device)) {
            net = s.factory().get();
        }
        Optimizer<?> opt = Benchmark.optimizer(optimizer, net);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Tensor[][] batches = new Tensor[RESIDENT_BATCHES][];
        for (int i = 0; i < RESIDENT_BATCHES; i++) {
            // batch() reuses its array: each batch is copied to the device before the next is built
            Tensor[] b = mnist.batch((i * s.batch()) % (mnist.count() - s.batch()), s.batch(), s.side());
            batches[i] = new Tensor[] {b[0].to(device), b[1].to(device)};
        }
        float loss = Float.NaN;
        long t0 = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0, timed = -1; timed < steps; i++) {
            if (timed < 0 && i >= warmup && System.nanoTime() >= warmupEnd) {
                timed = 0;
                t0 = System.nanoTime();
            }
            if (timed >= 0) {
                timed++;
            }
            Tensor[] batch = batches[i % RESIDENT_BATCHES];
            opt.zeroGrad();
            Tensor l = lossFn.forward(net.forward(batch[0]), batch[1]);
            l.backward();
            opt.step();
            loss = l.item();
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        net.eval();
        double inferSec;
        try (NoGrad ignored = GradMode.noGrad()) {
            Tensor x = mnist.batch(0, 1000, s.side())[0].to(device);
            long inferWarmupEnd = System.nanoTime() + (long) (warmupSeconds * 0.5e9);
            for (int i = 0; i < Math.max(2, inferIters / 3) || System.nanoTime() < inferWarmupEnd; i++) {
                net.forward(x);
                device.synchronize();
            }
            long i0 = System.nanoTime();
            for (int i = 0; i < inferIters; i++) {
                net.forward(x);
            }
            device.synchronize();
            inferSec = (System.nanoTime() - i0) / 1e9;
        }
        return new Benchmark.Result(s, (double) steps * s.batch() / trainSec, (double) inferIters * 1000 / inferSec,
                Double.NaN, loss);
    }
}
