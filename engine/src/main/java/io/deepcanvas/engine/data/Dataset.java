package io.deepcanvas.engine.data;

/**
 * A map-style dataset, like {@code torch.utils.data.Dataset}: a fixed number of examples read by index.
 *
 * <p>{@link #get} may be called from a {@link DataLoader}'s background thread, so implementations must be safe
 * to read from a thread other than the one that built them (immutable state after construction is enough).
 */
public interface Dataset {
    /** Number of examples, {@code len(dataset)} in PyTorch. */
    int size();

    /**
     * Example {@code index}, {@code dataset[index]} in PyTorch; {@code 0 <= index < size()}.
     * Each call returns fresh tensors the caller may modify.
     */
    Example get(int index);

    /** The first {@code n} examples, e.g. to train on a few thousand MNIST images in a test. */
    default Subset subset(int n) {
        return Subset.first(this, n);
    }

    /** Validates an index, naming the dataset and the valid range; for implementations of {@link #get}. */
    static void checkIndex(int index, int size, Object dataset) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for " + dataset + " with "
                    + size + " examples (valid: 0.." + (size - 1) + ")");
        }
    }
}
