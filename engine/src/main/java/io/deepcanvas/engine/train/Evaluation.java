package io.deepcanvas.engine.train;

import java.util.Locale;

/**
 * Classification results over a data set: accuracy, per-class accuracy and the confusion matrix
 * ({@code confusion[actual][predicted]}).
 */
public record Evaluation(long total, long correct, double meanLoss, int[][] confusion) {

    /** Copies the matrix, so that an evaluation handed to another thread never changes under it. */
    public Evaluation {
        confusion = copy(confusion);
    }

    /** A copy of the confusion matrix, {@code [actual][predicted]}. */
    @Override
    public int[][] confusion() {
        return copy(confusion);
    }

    private static int[][] copy(int[][] m) {
        int[][] c = new int[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    public int numClasses() {
        return confusion.length;
    }

    /** Fraction of the samples of {@code label} that were predicted correctly (NaN if there were none). */
    public double classAccuracy(int label) {
        long n = 0;
        for (int c : confusion[label]) {
            n += c;
        }
        return n == 0 ? Double.NaN : (double) confusion[label][label] / n;
    }

    /** The confusion matrix as an aligned text table, rows = actual class, columns = predicted class. */
    public String confusionTable() {
        int width = 4;
        for (int[] row : confusion) {
            for (int v : row) {
                width = Math.max(width, Integer.toString(v).length() + 1);
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s", "actual"));
        for (int c = 0; c < confusion.length; c++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "d", c));
        }
        sb.append('\n');
        for (int r = 0; r < confusion.length; r++) {
            sb.append(String.format(Locale.ROOT, "%-8d", r));
            for (int v : confusion[r]) {
                sb.append(String.format(Locale.ROOT, "%" + width + "d", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "accuracy %.2f%% (%d/%d), loss %.4f", 100 * accuracy(), correct, total,
                meanLoss);
    }
}
