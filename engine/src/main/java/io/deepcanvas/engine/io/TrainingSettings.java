package io.deepcanvas.engine.io;

import java.util.List;
import java.util.Objects;

/**
 * How a project trains: data set and its transforms, batch size, epochs, shuffling, seed, loss, optimizer and
 * device. Immutable and always valid: the constructor rejects an out-of-range value with an
 * {@link InvalidSettingException} that names the field as the project file spells it.
 */
public record TrainingSettings(String dataset, List<Transform> transforms, int batchSize, int epochs,
                               boolean shuffle, long seed, String loss, OptimizerSettings optimizer, String device) {
    /** Loss names as PyTorch spells them. */
    public static final List<String> LOSSES = List.of("CrossEntropyLoss", "NLLLoss", "MSELoss");
    /** {@code auto} picks OpenCL when a GPU is found, the CPU otherwise. */
    public static final List<String> DEVICES = List.of("cpu", "opencl", "auto");

    /** A per-sample transform applied after {@code ToTensor}, like {@code torchvision.transforms}. */
    public sealed interface Transform {
        /** The name written in the project file. */
        String type();
    }

    /** {@code transforms.Pad(padding)}: zero border on every side (28×28 MNIST → 32×32 for LeNet-5). */
    public record Pad(int padding) implements Transform {
        public Pad {
            if (padding < 0) {
                throw new InvalidSettingException("padding", "padding must be >= 0, got " + padding
                        + ": use e.g. 2 to pad 28x28 images to 32x32");
            }
        }

        @Override
        public String type() {
            return "Pad";
        }
    }

    /** {@code transforms.Normalize(mean, std)} for one channel: {@code (x - mean) / std}. */
    public record Normalize(double mean, double std) implements Transform {
        public Normalize {
            if (!Double.isFinite(mean)) {
                throw new InvalidSettingException("mean", "mean must be a finite number, got " + mean
                        + ": use the data set's mean, e.g. 0.1307 for MNIST");
            }
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new InvalidSettingException("std", "std must be a positive number, got " + std
                        + ": use the data set's standard deviation, e.g. 0.3081 for MNIST");
            }
        }

        @Override
        public String type() {
            return "Normalize";
        }
    }

    public TrainingSettings {
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidSettingException("dataset", "dataset must be named, got " + quote(dataset)
                    + ": use \"mnist\"");
        }
        Objects.requireNonNull(transforms, "transforms: pass an empty list for none");
        transforms = List.copyOf(transforms);
        if (batchSize < 1) {
            throw new InvalidSettingException("batchSize", "batchSize must be at least 1, got " + batchSize
                    + ": use e.g. 64");
        }
        if (epochs < 1) {
            throw new InvalidSettingException("epochs", "epochs must be at least 1, got " + epochs + ": use e.g. 1");
        }
        if (!LOSSES.contains(loss)) {
            throw new InvalidSettingException("loss", "unknown loss " + quote(loss) + ": use one of "
                    + String.join(", ", LOSSES) + " (spelled as in PyTorch)");
        }
        Objects.requireNonNull(optimizer, "optimizer: use new OptimizerSettings.Adam(0.001)");
        if (!DEVICES.contains(device)) {
            throw new InvalidSettingException("device", "unknown device " + quote(device) + ": use one of "
                    + String.join(", ", DEVICES));
        }
    }

    /** MNIST normalised with its mean and std, batches of 64, one shuffled epoch, seed 1, cross-entropy, Adam 1e-3. */
    public static TrainingSettings defaults() {
        return new TrainingSettings("mnist", List.of(new Normalize(0.1307, 0.3081)), 64, 1, true, 1,
                "CrossEntropyLoss", new OptimizerSettings.Adam(0.001), "auto");
    }

    public TrainingSettings withTransforms(List<Transform> transforms) {
        return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer, device);
    }

    public TrainingSettings withBatchSize(int batchSize) {
        return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer, device);
    }

    public TrainingSettings withEpochs(int epochs) {
        return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer, device);
    }

    public TrainingSettings withLoss(String loss) {
        return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer, device);
    }

    public TrainingSettings withOptimizer(OptimizerSettings optimizer) {
        return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer, device);
    }

    public TrainingSettings withDevice(String device) {
        return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer, device);
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }
}
