package io.deepcanvas.engine.bench;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.backend.cpu.CpuBackend;
import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Dropout;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MaxPool2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.data.DatasetException;
import io.deepcanvas.engine.data.Example;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.examples.MnistExamples;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU training and inference speed of three classic MNIST networks ({@code deepcanvas bench}): LeNet-5 (batch 64),
 * a 784→512→512→10 multilayer perceptron (batch 128) and a 32/64-channel ConvNet (batch 32), trained with
 * cross-entropy and SGD (lr 0.01, momentum 0.9; {@code --optimizer adam}: Adam, lr 1e-3) on real MNIST batches.
 * {@code tools/bench/side_by_side.py} runs the same networks in PyTorch and compares.
 *
 * <p>With {@code --device opencl} (or {@code opencl:N}, {@code auto}) the networks train on that device instead,
 * as PyTorch is measured on a GPU: the batches are uploaded once before timing (data already on the device) and
 * the loss is read back every step (what the live charts need); {@code tools/bench/gpu_side_by_side.py} compares
 * against PyTorch's CUDA.
 */
public final class Benchmark {
    /** Seconds per round of the peak measurement ({@link FmaPeak}: a warm-up and three rounds, 1–2 s in all). */
    private static final double PEAK_ROUND_SECONDS = 0.25;
    /** How an error line starts, as every command's do. */
    private static final String ERROR = "deepcanvas: bench: ";

    private static final int INFERENCE_BATCH = 1000;
    private static final float MNIST_MEAN = 0.1307f;
    private static final float MNIST_STD = 0.3081f;

    /** One network of the benchmark: how to build it, its batch size and input side (28, or 32 padded). */
    record Spec(String name, String title, int batch, int side, long forwardFlopsPerImage,
                java.util.function.Supplier<Module> factory) {
        Spec withBatch(int b) {
            return new Spec(name, title, b, side, forwardFlopsPerImage, factory);
        }
    }

    /** Measured figures of one network. */
    record Result(Spec spec, double trainImagesPerSec, double inferImagesPerSec, double peakHeapMb, float lastLoss) {
        double trainGflops() {
            // backward costs about twice the forward (gradients of inputs and of weights)
            return trainImagesPerSec * 3.0 * spec.forwardFlopsPerImage / 1e9;
        }

        double inferGflops() {
            return inferImagesPerSec * spec.forwardFlopsPerImage / 1e9;
        }
    }

    private Benchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the benchmark with command-line {@code args}, printing to {@code out}; returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        return run(args, out, out);
    }

    /**
     * Runs the benchmark, printing the figures to {@code out} and a mistake as one line to {@code err}, led by
     * {@code deepcanvas: bench:} like every command's errors; returns the exit code.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> networks = List.of("lenet5", "mlp", "convnet");
        int warmup = 100, steps = 500, inferIters = -1, threads = -1;
        double warmupSeconds = 10;
        double peak = 0;
        boolean json = false;
        Path data = null;
        String deviceName = "cpu";
        int batchOverride = 0;
        String optimizer = "sgd";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--networks" -> networks = List.of(value(args, ++i).split(","));
                    case "--warmup-steps" -> warmup = whole(args, ++i, 0);
                    case "--warmup-seconds" -> warmupSeconds = number(args, ++i, x -> x >= 0 && x <= 600,
                            "a number of seconds from 0 to 600");
                    case "--steps" -> steps = whole(args, ++i, 1);
                    case "--inference-iters" -> inferIters = whole(args, ++i, 1);
                    case "--threads" -> threads = whole(args, ++i, 1);
                    case "--data" -> data = Path.of(value(args, ++i));
                    case "--peak-gflops" -> peak = number(args, ++i, x -> x > 0 && Double.isFinite(x),
                            "a number > 0 (GFLOP/s)");
                    case "--json" -> json = true;
                    case "--device" -> deviceName = value(args, ++i);
                    case "--batch-size" -> batchOverride = whole(args, ++i, 1);
                    case "--optimizer" -> optimizer = choice(args, ++i, "sgd", "adam");
                    case "-h", "--help" -> {
                        out.println(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(ERROR + e.getMessage() + "; see 'deepcanvas help bench'");
            return 2;
        }
        if (threads > 0) {
            // read once when the CPU backend loads, so it only takes effect before the first tensor op
            System.setProperty("deepcanvas.threads", Integer.toString(threads));
        }
        List<Spec> specs = new ArrayList<>();
        for (String n : networks) {
            Spec s = spec(n.trim());
            if (s == null) {
                err.println(ERROR + "unknown network '" + n + "'; choose from lenet5, mlp, convnet");
                return 2;
            }
            specs.add(batchOverride > 0 ? s.withBatch(batchOverride) : s);
        }
        Device device;
        try {
            Device.Selection sel = Device.select(deviceName);
            if (sel.note() != null) {
                err.println(ERROR + "note: " + sel.note());
            }
            device = sel.device();
        } catch (IllegalArgumentException e) {
            err.println(ERROR + e.getMessage());
            return 1;
        }
        Batches mnist;
        try {
            mnist = new Batches(new Mnist(data != null ? data : Mnist.sampleDataFolder(), true));
        } catch (DatasetException e) {
            err.println(ERROR + e.getMessage());
            return 1;
        }
        if (threads > 0 && CpuBackend.threads() != threads) {
            err.println(ERROR + "note: the CPU backend was already started with " + CpuBackend.threads()
                    + " threads; --threads " + threads + " ignored");
        }
        boolean peakMeasured = peak == 0 && device.isCpu();
        if (!device.isCpu() && peak == 0) {
            // a GPU's peak is not the CPU's FMA rate: percentages only with --peak-gflops
            peak = Double.NaN;
        }
        if (peakMeasured) {
            // before any network, while the CPU backend's workers are parked (they park after 2 ms without work),
            // and after the options and the data are checked, so a mistake is reported at once
            peak = FmaPeak.measure(CpuBackend.threads(), PEAK_ROUND_SECONDS);
        }
        List<Result> results = new ArrayList<>();
        for (Spec s : specs) {
            int iters = inferIters > 0 ? inferIters : Math.max(3, steps / 10);
            results.add(measure(device, s, optimizer, mnist, warmup, warmupSeconds, steps, iters));
            device.releaseUnused();
        }
        if (json) {
            printJson(out, results, warmup, warmupSeconds, steps, peak, peakMeasured, device);
        } else {
            printTable(out, results, warmup, warmupSeconds, steps, peak, peakMeasured, device);
        }
        return 0;
    }

    /**
     * SGD (lr 0.01, momentum 0.9), or Adam (lr 1e-3) as the ready-made projects train: {@code deepcanvas train}
     * compares with the bench for the same optimizer.
     */
    static Optimizer<?> optimizer(String name, Module net) {
        return name.equals("adam") ? new Adam(net.parameters(), 1e-3f) : new SGD(net.parameters(), 0.01f, 0.9f);
    }

    /** The value of option args[i-1], one of {@code allowed}. */
    private static String choice(String[] args, int i, String... allowed) {
        String v = value(args, i);
        if (List.of(allowed).contains(v)) {
            return v;
        }
        throw new IllegalArgumentException("option '" + args[i - 1] + "' needs one of " + String.join(", ", allowed)
                + ", got '" + v + "'");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a value");
        }
        return args[i];
    }

    /** The whole-number value of option args[i-1], at least {@code min}. */
    private static int whole(String[] args, int i, int min) {
        String v = value(args, i);
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a whole number >= " + min + ", got '"
                + v + "'");
    }

    /** The number value of option args[i-1], which must pass {@code ok}; {@code needs} says what it must be. */
    private static double number(String[] args, int i, java.util.function.DoublePredicate ok, String needs) {
        String v = value(args, i);
        try {
            double x = Double.parseDouble(v);
            if (ok.test(x)) {
                return x;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("option '" + args[i - 1] + "' needs " + needs + ", got '" + v + "'");
    }

    private static String usage() {
        return "usage: bench [--networks lenet5,mlp,convnet] [--warmup-steps N] [--warmup-seconds S] [--steps N]"
                + " [--inference-iters N] [--threads N] [--data DIR] [--peak-gflops X] [--json]"
                + " [--device cpu|opencl|opencl:N|auto] [--batch-size N (every network)] [--optimizer sgd|adam]";
    }

    private static Spec spec(String name) {
        return switch (name) {
            case "lenet5" -> new Spec("lenet5", "LeNet-5", 64, 32,
                    conv(1, 6, 5, 28) + conv(6, 16, 5, 10) + fc(400, 120) + fc(120, 84) + fc(84, 10),
                    MnistExamples::lenet5);
            case "mlp" -> new Spec("mlp", "MLP 784-512-512-10", 128, 28,
                    fc(784, 512) + fc(512, 512) + fc(512, 10),
                    MnistExamples::mlp);
            case "convnet" -> new Spec("convnet", "ConvNet 32/64", 32, 28,
                    conv(1, 32, 5, 28) + conv(32, 64, 5, 14) + fc(3136, 1000) + fc(1000, 10),
                    () -> new Sequential(new Conv2d(1, 32, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                            new Conv2d(32, 64, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(),
                            new Linear(7 * 7 * 64, 1000), new ReLU(), new Dropout(0.5f), new Linear(1000, 10)));
            default -> null;
        };
    }

    private static long conv(int in, int out, int k, int outSide) {
        return 2L * in * out * k * k * outSide * outSide;
    }

    private static long fc(int in, int out) {
        return 2L * in * out;
    }

    /**
     * Trains {@code steps} timed steps after a warm-up of at least {@code warmup} steps and {@code warmupSeconds}
     * (the JIT compiles the kernels during the first seconds, its two compiler threads sharing the two cores with
     * the training: LeNet-5 measured 22,000 img/s after 2 s of warm-up, 30,800 after 6 s and 32,900 after 12 s; the
     * dense network 47,800 after 2 s and 57,900 after 10 s; hence 10 s by default), then times {@code inferIters} inference passes after the same kind
     * of warm-up (at least a third as many passes and half the seconds).
     */
    static Result measure(Device device, Spec s, String optimizer, Batches mnist, int warmup, double warmupSeconds,
                          int steps, int inferIters) {
        Tensor.manualSeed(0);
        Module net;
        try (Device.Scope ignored = Device.use(device)) {
            net = s.factory().get();
        }
        Optimizer<?> opt = optimizer(optimizer, net);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        // on an accelerator, as PyTorch is measured on a GPU: a few batches uploaded before timing and cycled (the
        // data already on the device)
        Tensor[][] resident = device.isCpu() ? null : new Tensor[RESIDENT_BATCHES][];
        for (int i = 0; resident != null && i < RESIDENT_BATCHES; i++) {
            // batch() reuses its array: each batch is copied to the device before the next is built
            Tensor[] b = mnist.batch((i * s.batch()) % (mnist.count() - s.batch()), s.batch(), s.side());
            resident[i] = new Tensor[] {b[0].to(device), b[1].to(device)};
        }
        System.gc();
        List<MemoryPoolMXBean> heap = heapPools();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        int cursor = 0;
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
            Tensor[] batch;
            if (resident != null) {
                batch = resident[i % RESIDENT_BATCHES];
            } else {
                batch = mnist.batch(cursor, s.batch(), s.side());
                cursor = (cursor + s.batch()) % (mnist.count() - s.batch());
            }
            // set to none, as the trainer does: the old grads' memory takes the next backward's weight gradients
            opt.zeroGrad();
            Tensor l = lossFn.forward(net.forward(batch[0]), batch[1]);
            l.backward();
            opt.step();
            // on a device the loss is read back every step: the one blocking read a step of live training has
            if (timed == steps || resident != null) {
                loss = l.item();
            }
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        net.eval();
        double inferSec;
        try (NoGrad ignored = GradMode.noGrad()) {
            Tensor x = mnist.batch(0, INFERENCE_BATCH, s.side())[0].to(device);
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
        // the heap tells the CPU run's memory; a device's is elsewhere
        double peak = resident != null ? Double.NaN
                : heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024.0 * 1024.0);
        return new Result(s, (double) steps * s.batch() / trainSec, (double) inferIters * INFERENCE_BATCH / inferSec,
                peak, loss);
    }

    /** Distinct batches kept on a device: enough that no step sees the batch before it again. */
    private static final int RESIDENT_BATCHES = 8;

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                pools.add(p);
            }
        }
        return pools;
    }

    private static void printTable(PrintStream out, List<Result> results, int warmup, double warmupSeconds, int steps,
                                   double peak, boolean peakMeasured, Device device) {
        if (!device.isCpu()) {
            out.printf(Locale.ROOT, "DeepCanvas benchmark on %s: warm-up %d steps and %.1f s, %d timed training "
                    + "steps (batches on the device, loss read every step), inference at batch %d%n",
                    device.describe(), warmup, warmupSeconds, steps, INFERENCE_BATCH);
        } else out.printf(Locale.ROOT, "DeepCanvas CPU benchmark: %d threads (%s), warm-up %d steps and %.1f s, %d "
                + "timed training steps, inference at batch %d; peak %.0f GFLOP/s (%s)%n", CpuBackend.threads(),
                CpuBackend.vectorShape(), warmup, warmupSeconds, steps, INFERENCE_BATCH, peak,
                peakMeasured ? "measured: vector FMAs on every thread" : "--peak-gflops");
        out.printf(Locale.ROOT, "%-20s %5s %12s %9s %6s %12s %9s %6s %9s %8s%n", "network", "batch", "train img/s",
                "GFLOP/s", "peak", "infer img/s", "GFLOP/s", "peak", "heap MB", "loss");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-20s %5d %12.0f %9.2f %6s %12.0f %9.2f %6s %9s %8.4f%n",
                    r.spec().title(), r.spec().batch(), r.trainImagesPerSec(), r.trainGflops(),
                    percent(r.trainGflops() / peak), r.inferImagesPerSec(), r.inferGflops(),
                    percent(r.inferGflops() / peak), Double.isNaN(r.peakHeapMb()) ? "-"
                            : String.format(Locale.ROOT, "%.0f", r.peakHeapMb()), r.lastLoss());
        }
    }

    /** A share of the peak as {@code 12.3%}, or {@code -} when there is no peak to compare with (a GPU). */
    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static void printJson(PrintStream out, List<Result> results, int warmup, double warmupSeconds, int steps,
                                  double peak, boolean peakMeasured, Device device) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"engine\": \"deepcanvas\", \"device\": \"%s\", \"threads\": %d, "
                + "\"warmup_steps\": %d, \"warmup_seconds\": %.1f, \"steps\": %d, \"peak_gflops\": %.1f, "
                + "\"peak_measured\": %b, \"networks\": {", device.describe().replace("\"", "'"),
                CpuBackend.threads(), warmup, warmupSeconds, steps, Double.isNaN(peak) ? 0 : peak, peakMeasured));
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "\"%s\": {\"batch\": %d, "
                    + "\"train_images_per_s\": %.1f, \"train_gflops\": %.3f, \"infer_images_per_s\": %.1f, "
                    + "\"infer_gflops\": %.3f, \"peak_heap_mb\": %.1f, \"loss\": %.5f}", r.spec().name(),
                    r.spec().batch(), r.trainImagesPerSec(), r.trainGflops(), r.inferImagesPerSec(),
                    r.inferGflops(), r.peakHeapMb(), r.lastLoss()));
        }
        out.println(sb.append("}}"));
    }

    /**
     * Normalised float batches of the MNIST training set, built on demand from the data package's {@code Mnist}
     * (which keeps the raw bytes, 47 MB), so the peak heap reported is the network's and not a float copy of the
     * data set.
     */
    static final class Batches {
        private final Mnist mnist;
        /** What ToTensor then Normalize make of each grey level. */
        private final float[] normalized = new float[256];
        private final byte[] raw = new byte[28 * 28];
        /**
         * The last batch's pixels, written over by the next batch of the same size: a step is done with its
         * input before the next one is built (a network never recycles its input), and the benchmark then
         * measures the network rather than a fresh 400 KB array per step.
         */
        private float[] pixels = new float[0];

        Batches(Mnist mnist) {
            this.mnist = mnist;
            for (int v = 0; v < 256; v++) {
                normalized[v] = (v / 255f - MNIST_MEAN) / MNIST_STD;
            }
        }

        int count() {
            return mnist.size();
        }

        /** Images [from, from+n) as [n, 1, side, side] (zero-padded to 32 for LeNet) and their labels [n]. */
        Tensor[] batch(int from, int n, int side) {
            int pad = (side - 28) / 2;
            if (pixels.length != n * side * side) {
                pixels = new float[n * side * side];
            }
            float[] x = pixels;
            float[] y = new float[n];
            // Pad(2) then Normalize, as torchvision does: the black border normalises like a 0 pixel
            if (pad > 0) {
                java.util.Arrays.fill(x, normalized[0]);
            }
            for (int i = 0; i < n; i++) {
                mnist.copyPixels(from + i, raw, 0);
                int dst = i * side * side;
                for (int r = 0; r < 28; r++) {
                    int d = dst + (r + pad) * side + pad;
                    for (int c = 0; c < 28; c++) {
                        x[d + c] = normalized[raw[r * 28 + c] & 0xFF];
                    }
                }
                y[i] = mnist.label(from + i);
            }
            return new Tensor[] {Tensor.wrap(x, n, 1, side, side), Tensor.wrap(y, n)};
        }
    }
}
