package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches a {@link Dataset}, like {@code torch.utils.data.DataLoader(dataset, batch_size, shuffle, drop_last)}
 * with {@code default_collate} and one worker: each {@link #iterator()} call is one epoch of {@link Batch}es,
 * built ahead on a background daemon thread so that the training thread does not wait for collation.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(dataset).batchSize(64).shuffle(true).seed(42).build();
 * for (Batch b : loader) { ... b.inputs() [64, 1, 28, 28], b.targets() [64] ... }
 * }</pre>
 *
 * <p><b>Order.</b> With shuffle each epoch uses a permutation drawn from {@code (seed, epoch)} by Fisher-Yates with
 * {@link SplittableRandom}: the same seed gives the same sequence of epoch orders, and each {@code iterator()} call
 * starts the next epoch with a new permutation ({@link #setEpoch} rewinds, e.g. when resuming). The order is not
 * PyTorch's. Without a seed, one is drawn at random ({@link #seed()} tells which).
 *
 * <p><b>Threads.</b> Each iterator starts one daemon thread that fills a queue of {@code prefetch} batches (2 by
 * default) and ends after the epoch's last batch. If the consumer stops early, call {@link BatchIterator#close()}
 * (or use try-with-resources); otherwise the thread ends by itself within a fraction of a second once the iterator
 * is garbage collected, and being a daemon it never keeps the JVM alive. An exception thrown by the dataset or a
 * transform on that thread is rethrown, unchanged (same object, type and message), by the consumer's
 * {@code next()}, with a suppressed exception telling which batch and index failed. {@code prefetch(0)} builds
 * batches on the consumer's thread instead.
 */
public final class DataLoader implements Iterable<Batch> {
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    /** How often a producer blocked on a full queue checks whether its consumer went away. */
    private static final long POLL_MS = 100;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final AtomicLong nextEpoch = new AtomicLong();

    /** Batches of {@code batchSize} in dataset order, keeping a last partial batch. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(builder(dataset).batchSize(batchSize));
    }

    /** Batches of {@code batchSize}, shuffled each epoch with a random seed if {@code shuffle}. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle) {
        this(builder(dataset).batchSize(batchSize).shuffle(shuffle));
    }

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed != null ? b.seed : new SplittableRandom().nextLong();
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
    }

    /** A builder with PyTorch's defaults: batch size 1, no shuffle, keep the last partial batch, prefetch 2. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Options of a {@link DataLoader}; each setter validates its value at once. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private Long seed;
        private boolean dropLast;
        private int prefetch = 2;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new NullPointerException("DataLoader: dataset is null");
            }
            this.dataset = dataset;
        }

        /** Examples per batch, {@code batch_size}; must be > 0. */
        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("DataLoader: batchSize must be > 0, got " + batchSize
                        + " (typical values are 32 to 256)");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether to visit the examples in a new random order each epoch, {@code shuffle}. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed of the shuffle order; the same seed gives the same order for each epoch. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to drop the last batch when it is smaller than the batch size, {@code drop_last}. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Batches built ahead on the background thread (PyTorch's {@code prefetch_factor} with one worker);
         * 0 builds each batch on the consumer's thread, with no background thread. Default 2.
         */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch must be >= 0, got " + prefetch
                        + " (0 loads on the calling thread, 2 is the default)");
            }
            this.prefetch = prefetch;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    /** The shuffle seed, given or drawn at random. */
    public long seed() {
        return seed;
    }

    public boolean dropLast() {
        return dropLast;
    }

    public int prefetch() {
        return prefetch;
    }

    /** Number of batches per epoch, {@code len(loader)}: {@code ceil(N / B)}, or {@code floor(N / B)} with dropLast. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Same as {@link #numBatches()}, as {@code len(loader)} is in PyTorch. */
    public int size() {
        return numBatches();
    }

    /** The epoch that the next {@link #iterator()} call will run (0 at first, +1 per call). */
    public long epoch() {
        return nextEpoch.get();
    }

    /** Makes the next {@link #iterator()} call run {@code epoch}, e.g. to resume training with the same orders. */
    public void setEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.setEpoch: epoch must be >= 0, got " + epoch);
        }
        nextEpoch.set(epoch);
    }

    /** The order in which {@code epoch} visits the dataset's indices: a permutation with shuffle, else 0..N-1. */
    public int[] order(long epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            // Mix seed and epoch so that epochs get unrelated SplittableRandom streams (plain seed + epoch would
            // give streams that are shifted copies of one another).
            SplittableRandom rng = new SplittableRandom(mix64(mix64(seed) + epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Starts the next epoch. Close the iterator if you stop before its end (see the class comment). */
    @Override
    public BatchIterator iterator() {
        long epoch = nextEpoch.getAndIncrement();
        return new BatchIterator(this, epoch, order(epoch));
    }

    /** Stafford's variant 13 of the MurmurHash3 finalizer: a bijective, well-mixing 64-bit hash. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset + ", batchSize=" + batchSize + ", shuffle=" + shuffle + ", seed=" + seed
                + ", dropLast=" + dropLast + ")";
    }

    /**
     * Collates examples {@code order[from..to)} into one batch: one float[] per tensor, filled by copying the
     * samples in, then wrapped without a further copy.
     */
    static Batch collate(Dataset dataset, int[] order, int from, int to) {
        int b = to - from;
        Example first = get(dataset, order[from]);
        Shape inShape = first.input().shape();
        Shape tgShape = first.target().shape();
        int inN = inShape.numel();
        int tgN = tgShape.numel();
        float[] x = new float[Math.multiplyExact(b, inN)];
        float[] y = new float[Math.multiplyExact(b, tgN)];
        first.input().copyInto(x, 0);
        first.target().copyInto(y, 0);
        for (int i = 1; i < b; i++) {
            int index = order[from + i];
            Example e = get(dataset, index);
            if (!e.input().shape().equals(inShape) || !e.target().shape().equals(tgShape)) {
                boolean input = !e.input().shape().equals(inShape);
                throw new IllegalStateException("DataLoader: example " + index + " of " + dataset + " has "
                        + (input ? "input" : "target") + " shape " + (input ? e.input() : e.target()).shape()
                        + " but example " + order[from] + " in the same batch has "
                        + (input ? inShape : tgShape) + "; every example of a batch needs the same shape"
                        + (input ? " (resize or pad the images)" : ""));
            }
            e.input().copyInto(x, i * inN);
            e.target().copyInto(y, i * tgN);
        }
        return new Batch(Tensor.wrap(x, prepend(b, inShape)), Tensor.wrap(y, prepend(b, tgShape)));
    }

    private static Example get(Dataset dataset, int index) {
        Example e = dataset.get(index);
        if (e == null) {
            throw new IllegalStateException("DataLoader: " + dataset + ".get(" + index + ") returned null;"
                    + " a dataset must return an Example");
        }
        return e;
    }

    private static int[] prepend(int b, Shape s) {
        int[] dims = s.toArray();
        int[] out = new int[dims.length + 1];
        out[0] = b;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return out;
    }

    /**
     * One epoch of batches. Closing it early stops its background thread and drops the batches built ahead;
     * after that {@link #hasNext()} is false. Not thread-safe: use it from one consumer thread.
     */
    public static final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final Dataset dataset;
        private final int[] order;
        private final int batchSize;
        private final int numBatches;
        private final long epoch;
        private final Producer producer; // null when prefetch is 0
        private int next;
        private boolean closed;

        private BatchIterator(DataLoader loader, long epoch, int[] order) {
            this.dataset = loader.dataset;
            this.order = order;
            this.batchSize = loader.batchSize;
            this.numBatches = loader.numBatches();
            this.epoch = epoch;
            if (loader.prefetch > 0 && numBatches > 0) {
                producer = new Producer(this, dataset, order, batchSize, numBatches, loader.prefetch);
                producer.thread.start();
            } else {
                producer = null;
            }
        }

        /** The epoch this iterator runs. */
        public long epoch() {
            return epoch;
        }

        /** Batches in this epoch. */
        public int numBatches() {
            return numBatches;
        }

        @Override
        public boolean hasNext() {
            return !closed && next < numBatches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException(closed ? "DataLoader iterator was closed"
                        : "DataLoader epoch " + epoch + " has only " + numBatches + " batches");
            }
            int b = next++;
            if (producer == null) {
                int from = b * batchSize;
                return collate(dataset, order, from, Math.min(from + batchSize, order.length));
            }
            Object item = producer.take(this);
            if (item instanceof Failure f) {
                close();
                throw f.rethrow();
            }
            if (next == numBatches) {
                close();
            }
            return (Batch) item;
        }

        /** Stops the background thread and frees the batches built ahead; idempotent. */
        @Override
        public void close() {
            closed = true;
            if (producer != null) {
                producer.stop();
            }
        }

        /** The background thread, for tests; null when loading on the consumer's thread. */
        Thread thread() {
            return producer == null ? null : producer.thread;
        }
    }

    /** An exception from the loader thread on its way to the consumer. */
    private record Failure(Throwable error, int batch, int firstIndex, String thread) {
        RuntimeException rethrow() {
            Throwable where = new Throwable("raised on DataLoader thread '" + thread + "' while loading batch " + batch
                    + " (starting at dataset index " + firstIndex + "); rethrown in the consuming thread here");
            error.addSuppressed(where);
            if (error instanceof RuntimeException r) {
                return r;
            }
            if (error instanceof Error e) {
                throw e;
            }
            // Checked exceptions can only arrive here sneakily; keep the message, chain the original.
            return new RuntimeException(error.getMessage(), error);
        }
    }

    /**
     * The loader thread's work. It holds its iterator only weakly, so that an abandoned iterator can be collected;
     * it then notices the cleared reference while waiting for queue space and ends.
     */
    private static final class Producer implements Runnable {
        final Thread thread;
        private final WeakReference<BatchIterator> owner;
        private final Dataset dataset;
        private final int[] order;
        private final int batchSize;
        private final int numBatches;
        private final BlockingQueue<Object> queue;
        private volatile boolean stopped;

        Producer(BatchIterator owner, Dataset dataset, int[] order, int batchSize, int numBatches, int prefetch) {
            this.owner = new WeakReference<>(owner);
            this.dataset = dataset;
            this.order = order;
            this.batchSize = batchSize;
            this.numBatches = numBatches;
            this.queue = new ArrayBlockingQueue<>(prefetch);
            this.thread = new Thread(this, "deepcanvas-dataloader-" + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            for (int b = 0; b < numBatches && !stopped; b++) {
                int from = b * batchSize;
                Object item;
                try {
                    item = collate(dataset, order, from, Math.min(from + batchSize, order.length));
                } catch (Throwable t) {
                    item = new Failure(t, b, order[from], Thread.currentThread().getName());
                }
                if (!offer(item) || item instanceof Failure) {
                    return;
                }
            }
        }

        /** Waits for queue space; false if the consumer closed or dropped the iterator meanwhile. */
        private boolean offer(Object item) {
            try {
                while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
                    if (stopped || owner.get() == null) {
                        return false;
                    }
                }
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }

        /** The next item, waiting for it; fails if the loader thread died without delivering one. */
        Object take(BatchIterator consumer) {
            try {
                while (true) {
                    Object item = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                    if (!thread.isAlive()) {
                        // It may have delivered just before ending.
                        item = queue.poll();
                        if (item != null) {
                            return item;
                        }
                        consumer.close();
                        throw new IllegalStateException("DataLoader thread " + thread.getName()
                                + " ended without delivering a batch; this is a bug in the loader");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                consumer.close();
                throw new IllegalStateException("Interrupted while waiting for the next batch from the DataLoader", e);
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            queue.clear();
        }
    }
}
