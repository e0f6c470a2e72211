package io.deepcanvas.engine.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The examples of another dataset at the given indices, like {@code torch.utils.data.Subset}.
 * Reads through to the underlying dataset; nothing is copied.
 */
public final class Subset implements Dataset {
    private final Dataset dataset;
    private final int[] indices;

    /** Examples {@code indices[0], indices[1], ...} of {@code dataset}; every index must be in range. */
    public Subset(Dataset dataset, int... indices) {
        if (dataset == null) {
            throw new NullPointerException("Subset: dataset is null");
        }
        if (indices == null) {
            throw new NullPointerException("Subset: indices is null");
        }
        int n = dataset.size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("Subset: indices[" + i + "] = " + indices[i]
                        + " is out of range for " + dataset + " with " + n + " examples (valid: 0.." + (n - 1) + ")");
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The first {@code n} examples of {@code dataset}. */
    public static Subset first(Dataset dataset, int n) {
        return range(dataset, 0, n);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive) of {@code dataset}. */
    public static Subset range(Dataset dataset, int from, int to) {
        int size = dataset.size();
        if (from < 0 || to < from || to > size) {
            throw new IllegalArgumentException("Subset: range [" + from + ", " + to + ") does not fit " + dataset
                    + " with " + size + " examples; use 0 <= from <= to <= " + size);
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return new Subset(dataset, idx);
    }

    /**
     * {@code n} distinct examples of {@code dataset} picked at random with {@code seed} (same seed, same pick),
     * in random order; like the first part of {@code torch.utils.data.random_split}.
     */
    public static Subset random(Dataset dataset, int n, long seed) {
        int size = dataset.size();
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("Subset.random: cannot pick " + n + " examples from " + dataset
                    + " with " + size + "; use 0 <= n <= " + size);
        }
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        // Partial Fisher-Yates: only the first n slots need shuffling.
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return new Subset(dataset, Arrays.copyOf(all, n));
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(index, indices.length, this);
        return dataset.get(indices[index]);
    }

    /** The underlying dataset. */
    public Dataset dataset() {
        return dataset;
    }

    /** The index into {@link #dataset()} of example {@code index} of this subset. */
    public int sourceIndex(int index) {
        Dataset.checkIndex(index, indices.length, this);
        return indices[index];
    }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + dataset + ")";
    }
}
