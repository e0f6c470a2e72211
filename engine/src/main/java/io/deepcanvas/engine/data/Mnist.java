package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The MNIST handwritten digits, like {@code torchvision.datasets.MNIST(root, train, transform)} but reading the IDX
 * files straight from a folder (no download). Each example is a {@code [1, 28, 28]} float image in [0, 1], i.e.
 * already what torchvision's {@code ToTensor()} produces, so a pipeline only adds {@link Normalize}/{@link Pad};
 * the target is a 0-d float tensor holding the digit 0..9.
 *
 * <p>The folder needs {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte} (train) or
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte} (test), each gzipped ({@code .gz}, preferred when
 * both exist) or not. The raw uint8 bytes stay in memory (47 MB for train) and samples are built on demand.
 * Any dataset in the same format and with the same file names (e.g. Fashion-MNIST) works too.
 */
public final class Mnist implements Dataset {
    /** System property naming the data folder; overrides the search of {@link #sampleDataFolder()}. */
    public static final String DATA_PROPERTY = "deepcanvas.data";
    /** Environment variable naming the data folder; used when {@value #DATA_PROPERTY} is not set. */
    public static final String DATA_ENV = "DEEPCANVAS_DATA";

    private static final String[] ALL_FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private final boolean train;
    private final Path imagesFile;
    private final Path labelsFile;
    private final byte[] images;
    private final byte[] labels;
    private final int count;
    private final int rows;
    private final int cols;
    private final Transform transform;
    /** The transform worked out per grey level, or null when it is applied image by image. */
    private final GreyLevels greyLevels;

    /** The training (60,000 images) or test (10,000 images) split in {@code folder}, without a transform. */
    public Mnist(Path folder, boolean train) {
        this(folder, train, null);
    }

    /**
     * The training or test split in {@code folder}; {@code transform} (may be null) is applied to each
     * {@code [1, 28, 28]} image in [0, 1].
     *
     * @throws DatasetException if a file is missing or invalid, or the image and label counts differ
     */
    public Mnist(Path folder, boolean train, Transform transform) {
        if (folder == null) {
            throw new NullPointerException("Mnist: folder is null; use Mnist.sampleDataFolder() for the bundled data");
        }
        this.train = train;
        this.transform = transform;
        String prefix = train ? "train" : "t10k";
        if (!Files.isDirectory(folder)) {
            throw new DatasetException("MNIST folder " + folder.toAbsolutePath() + " does not exist or is not a folder;"
                    + " it must hold " + fileList() + " (gzipped or not). DeepCanvas ships them in sample-data/mnist/");
        }
        this.imagesFile = find(folder, prefix + "-images-idx3-ubyte", prefix + "-images.idx3-ubyte");
        this.labelsFile = find(folder, prefix + "-labels-idx1-ubyte", prefix + "-labels.idx1-ubyte");
        IdxReader.IdxData img = IdxReader.readImages(imagesFile);
        IdxReader.IdxData lab = IdxReader.readLabels(labelsFile);
        if (img.count() != lab.count()) {
            throw new DatasetException("MNIST " + split() + " files disagree: " + imagesFile.toAbsolutePath() + " has "
                    + img.count() + " images but " + labelsFile.toAbsolutePath() + " has " + lab.count()
                    + " labels; they must come from the same release (re-copy both)");
        }
        this.images = img.data();
        this.labels = lab.data();
        this.count = img.count();
        this.rows = img.dims()[1];
        this.cols = img.dims()[2];
        this.greyLevels = GreyLevels.of(transform, rows, cols);
    }

    /** The file for {@code name}: {@code name.gz} if present, else {@code name}, else the alternative spelling. */
    private Path find(Path folder, String name, String altName) {
        for (String candidate : new String[] {name + ".gz", name, altName + ".gz", altName}) {
            Path p = folder.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException("MNIST " + split() + " file missing: neither " + folder.resolve(name + ".gz")
                .toAbsolutePath() + " nor " + folder.resolve(name).toAbsolutePath() + " exists. The folder needs "
                + fileList() + " (gzipped or not): point --data at a folder that has them, or use the copy "
                + "DeepCanvas ships in sample-data/mnist/");
    }

    private static String fileList() {
        return String.join(", ", ALL_FILES);
    }

    private String split() {
        return train ? "train" : "test";
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(index, count, this);
        if (greyLevels != null) {
            return Example.of(greyLevels.image(images, index * rows * cols), labels[index] & 0xFF);
        }
        Tensor image = transform.apply(ToTensor.fromBytes(images, index * rows * cols, rows, cols));
        return Example.of(image, labels[index] & 0xFF);
    }

    /** The digit of example {@code index}, without building its image. */
    public int label(int index) {
        Dataset.checkIndex(index, count, this);
        return labels[index] & 0xFF;
    }

    /**
     * Copies the raw grey levels (0..255, row by row) of image {@code index} into {@code dst} at {@code at}, for
     * code that converts a whole batch at once instead of building one tensor per image.
     */
    public void copyPixels(int index, byte[] dst, int at) {
        Dataset.checkIndex(index, count, this);
        System.arraycopy(images, index * rows * cols, dst, at, rows * cols);
    }

    /** Image height in pixels (28). */
    public int height() {
        return rows;
    }

    /** Image width in pixels (28). */
    public int width() {
        return cols;
    }

    /** True for the training split, false for the test split. */
    public boolean train() {
        return train;
    }

    /** The transform applied to each image, or null. */
    public Transform transform() {
        return transform;
    }

    /** The images file that was read. */
    public Path imagesFile() {
        return imagesFile;
    }

    /** The labels file that was read. */
    public Path labelsFile() {
        return labelsFile;
    }

    /**
     * The folder with the MNIST files: the system property {@value #DATA_PROPERTY} if set, else the environment
     * variable {@value #DATA_ENV} if set (either may name the MNIST folder itself or a folder with an {@code mnist}
     * subfolder), else the first {@code sample-data/mnist} found in the working directory or one of its parents.
     *
     * @throws DatasetException if the named folder does not exist or no {@code sample-data/mnist} is found
     */
    public static Path sampleDataFolder() {
        String value = System.getProperty(DATA_PROPERTY);
        String source = "system property " + DATA_PROPERTY;
        if (value == null || value.isBlank()) {
            value = System.getenv(DATA_ENV);
            source = "environment variable " + DATA_ENV;
        }
        if (value != null && !value.isBlank()) {
            Path p;
            try {
                p = Path.of(value.trim());
            } catch (InvalidPathException e) {
                throw new DatasetException(source + " is '" + value + "', which is not a valid path", e);
            }
            if (!Files.isDirectory(p)) {
                throw new DatasetException(source + " is '" + value + "', but " + p.toAbsolutePath()
                        + " is not a folder; point it to a folder holding " + fileList()
                        + " (or to a folder with an mnist/ subfolder holding them), or unset it");
            }
            // Accept the data root (with mnist/ inside) as well as the MNIST folder itself.
            boolean hasFiles = Arrays.stream(ALL_FILES).anyMatch(
                    f -> Files.isRegularFile(p.resolve(f + ".gz")) || Files.isRegularFile(p.resolve(f)));
            Path sub = p.resolve("mnist");
            return !hasFiles && Files.isDirectory(sub) ? sub : p;
        }
        Path start = Path.of(System.getProperty("user.dir", ".")).toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve("sample-data").resolve("mnist");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new DatasetException("Could not find sample-data/mnist in " + start + " or any of its parent folders."
                + " Run from inside the DeepCanvas checkout, or set -D" + DATA_PROPERTY + "=DIR or " + DATA_ENV
                + "=DIR to a folder holding " + fileList() + " (gzipped or not)");
    }

    @Override
    public String toString() {
        return "MNIST " + split() + " (" + count + " images " + rows + "x" + cols + ")";
    }
}
