package io.deepcanvas.engine.examples;

import io.deepcanvas.engine.data.Compose;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Normalize;
import io.deepcanvas.engine.data.Pad;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Flatten;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MaxPool2d;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The networks of the classic PyTorch MNIST tutorials, trained headless with their tutorials' settings:
 * <ul>
 *   <li>{@code lenet5 [--optimizer adam|sgd]}: LeNet-5 on 32×32 (Pad 2, Normalize 0.1307/0.3081), batch 64, one
 *       epoch, Adam 1e-3 or SGD 0.01 with momentum 0.9;</li>
 *   <li>{@code mlp}: the dense 784→512→512→10 network, Normalize, batch 128, one epoch, Adam 1e-3.</li>
 * </ul>
 * Prints loss and accuracy every 100 steps and the test accuracy at the end.
 */
public final class MnistExamples {
    private MnistExamples() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final String USAGE = "usage: MnistExamples lenet5|mlp [--optimizer adam|sgd] [--epochs N] [--data DIR]"
            + " [--seed N]";

    /** Runs one example; returns a process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        String network = args[0];
        String optimizer = "adam";
        int epochs = 1;
        long seed = 1;
        Path data = null;
        try {
            for (int i = 1; i < args.length; i++) {
                String flag = args[i];
                String value = i + 1 < args.length ? args[++i] : null;
                if (value == null) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                switch (flag) {
                    case "--optimizer" -> optimizer = value.toLowerCase(Locale.ROOT);
                    case "--epochs" -> epochs = Integer.parseInt(value);
                    case "--data" -> data = Path.of(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
                throw new IllegalArgumentException("--optimizer must be adam or sgd, got '" + optimizer + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println("MnistExamples: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Tensor.manualSeed(seed);
        Path folder = data != null ? data : Mnist.sampleDataFolder();
        Module net;
        Transform transform;
        int batchSize;
        switch (network) {
            case "lenet5" -> {
                net = lenet5();
                transform = new Compose(new Pad(2), new Normalize(0.1307f, 0.3081f));
                batchSize = 64;
            }
            case "mlp" -> {
                net = mlp();
                transform = new Normalize(0.1307f, 0.3081f);
                batchSize = 128;
            }
            default -> {
                err.println("MnistExamples: unknown network '" + network + "'\n" + USAGE);
                return 2;
            }
        }
        Optimizer<?> opt = optimizer.equals("sgd") ? new SGD(net.parameters(), 0.01f, 0.9f)
                : new Adam(net.parameters(), 1e-3f);
        DataLoader train = DataLoader.builder(new Mnist(folder, true, transform)).batchSize(batchSize).shuffle(true)
                .seed(seed).build();
        DataLoader test = DataLoader.builder(new Mnist(folder, false, transform)).batchSize(1000).build();
        out.println(net);
        out.printf(Locale.ROOT, "%s, %d parameters, %s, batch %d, %d epoch(s)%n", network, net.parameterCount(),
                optimizer.equals("sgd") ? "SGD(lr=0.01, momentum=0.9)" : "Adam(lr=0.001)", batchSize, epochs);
        Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), opt, train).epochs(epochs).testLoader(test)
                .logEvery(100).listener(new ProgressPrinter(out)).build();
        TrainingEvent.Finished end = trainer.runOnCallerThread();
        return end.succeeded() ? 0 : 1;
    }

    /** LeNet-5 for 32×32 inputs, as in the PyTorch tutorial: 61,706 parameters. */
    public static Sequential lenet5() {
        return new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84),
                new ReLU(), new Linear(84, 10));
    }

    /** The dense 784→512→512→10 network: 669,706 parameters. */
    public static Sequential mlp() {
        return new Sequential(new Flatten(), new Linear(28 * 28, 512), new ReLU(), new Linear(512, 512), new ReLU(),
                new Linear(512, 10));
    }

    /**
     * Prints the averaged progress lines, the test evaluation at each epoch's end, and the time and training
     * throughput at the end.
     */
    static final class ProgressPrinter implements TrainingListener {
        private final PrintStream out;
        private double imagesPerSecond;

        ProgressPrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onEvent(TrainingEvent e) {
            if (e instanceof TrainingEvent.StepCompleted s) {
                // images trained since the start over the time since the start: the last one is the run's figure
                imagesPerSecond = s.imagesPerSecond();
            } else if (e instanceof TrainingEvent.Logged l) {
                out.printf(Locale.ROOT, "epoch %d step %5d/%d  loss %.4f  accuracy %5.2f%%  %,.0f images/s%n",
                        l.epoch(), l.step(), l.totalSteps(), l.meanLoss(), 100 * l.meanAccuracy(),
                        l.imagesPerSecond());
            } else if (e instanceof TrainingEvent.EpochCompleted ec && ec.test() != null) {
                out.printf(Locale.ROOT, "epoch %d done: train loss %.4f, train accuracy %.2f%%, test %s%n",
                        ec.epoch(), ec.trainLoss(), 100 * ec.trainAccuracy(), ec.test());
            } else if (e instanceof TrainingEvent.Finished f) {
                out.printf(Locale.ROOT, "%s: %s in %.1f s, %,.0f images/s while training%n", f.reason(),
                        f.message(), f.elapsed().toMillis() / 1000.0, imagesPerSecond);
            }
        }
    }
}
