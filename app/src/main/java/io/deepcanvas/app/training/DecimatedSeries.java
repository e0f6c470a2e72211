package io.deepcanvas.app.training;

/**
 * A curve of (step, value) points that never holds more than {@link #capacity()} points, however long the run: when
 * it is full, neighbouring points merge in pairs into buckets that keep their mean, minimum and maximum, and each
 * bucket from then on takes twice as many samples. A chart draws the mean as the line and min…max as a band, so a
 * 20-epoch run of 18,000 steps looks as it would with every point, at a ninth of the drawing.
 *
 * <p>Not thread-safe: the view-model fills it and the charts read it, both on the FX thread. Non-finite values are
 * not stored (a diverged step is reported separately).
 */
public final class DecimatedSeries {
    private final int capacity;
    private final double[] x;
    private final double[] mean;
    private final double[] min;
    private final double[] max;
    private final int[] count;
    private int size;
    /** Samples a bucket takes before the next one starts; doubles at each merge. */
    private int span = 1;
    private long samples;
    private double yMin = Double.POSITIVE_INFINITY;
    private double yMax = Double.NEGATIVE_INFINITY;

    /** A series of at most {@code capacity} points (an even number of at least 2). */
    public DecimatedSeries(int capacity) {
        if (capacity < 2 || capacity % 2 != 0) {
            throw new IllegalArgumentException("capacity must be an even number >= 2, got " + capacity);
        }
        this.capacity = capacity;
        x = new double[capacity];
        mean = new double[capacity];
        min = new double[capacity];
        max = new double[capacity];
        count = new int[capacity];
    }

    /** Adds a sample; a NaN or infinite value is ignored. */
    public void add(double step, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        samples++;
        yMin = Math.min(yMin, value);
        yMax = Math.max(yMax, value);
        if (size > 0 && count[size - 1] < span) {
            int i = size - 1;
            int n = count[i];
            x[i] = (x[i] * n + step) / (n + 1);
            mean[i] = (mean[i] * n + value) / (n + 1);
            min[i] = Math.min(min[i], value);
            max[i] = Math.max(max[i], value);
            count[i] = n + 1;
            return;
        }
        if (size == capacity) {
            mergePairs();
        }
        x[size] = step;
        mean[size] = value;
        min[size] = value;
        max[size] = value;
        count[size] = 1;
        size++;
    }

    /** Halves the number of points: bucket 2i and 2i+1 become bucket i, weighted by their sample counts. */
    private void mergePairs() {
        int half = size / 2;
        for (int i = 0; i < half; i++) {
            int a = 2 * i;
            int b = a + 1;
            int n = count[a] + count[b];
            x[i] = (x[a] * count[a] + x[b] * count[b]) / n;
            mean[i] = (mean[a] * count[a] + mean[b] * count[b]) / n;
            min[i] = Math.min(min[a], min[b]);
            max[i] = Math.max(max[a], max[b]);
            count[i] = n;
        }
        size = half;
        span *= 2;
    }

    public void clear() {
        size = 0;
        span = 1;
        samples = 0;
        yMin = Double.POSITIVE_INFINITY;
        yMax = Double.NEGATIVE_INFINITY;
    }

    /** Makes this series a copy of {@code other} (of the same capacity). */
    public void copyFrom(DecimatedSeries other) {
        if (other.capacity != capacity) {
            throw new IllegalArgumentException("capacity " + other.capacity + " differs from " + capacity);
        }
        System.arraycopy(other.x, 0, x, 0, other.size);
        System.arraycopy(other.mean, 0, mean, 0, other.size);
        System.arraycopy(other.min, 0, min, 0, other.size);
        System.arraycopy(other.max, 0, max, 0, other.size);
        System.arraycopy(other.count, 0, count, 0, other.size);
        size = other.size;
        span = other.span;
        samples = other.samples;
        yMin = other.yMin;
        yMax = other.yMax;
    }

    /** The most points this series holds. */
    public int capacity() {
        return capacity;
    }

    /** How many points there are to draw (at most {@link #capacity()}). */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** How many samples were added in all. */
    public long samples() {
        return samples;
    }

    /** Samples per point now (1 until the first merge). */
    public int span() {
        return span;
    }

    /** The mean step of point {@code i}. */
    public double x(int i) {
        return x[i];
    }

    /** The mean value of point {@code i}. */
    public double y(int i) {
        return mean[i];
    }

    public double min(int i) {
        return min[i];
    }

    public double max(int i) {
        return max[i];
    }

    /** The smallest value ever added (+∞ when empty). */
    public double minValue() {
        return yMin;
    }

    /** The largest value ever added (−∞ when empty). */
    public double maxValue() {
        return yMax;
    }

    public double lastX() {
        return size == 0 ? Double.NaN : x[size - 1];
    }

    /** The mean of the last point (the newest sample until the first merge). */
    public double lastY() {
        return size == 0 ? Double.NaN : mean[size - 1];
    }
}
