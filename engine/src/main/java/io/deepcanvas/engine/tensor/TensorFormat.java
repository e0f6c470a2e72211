package io.deepcanvas.engine.tensor;

import java.util.Locale;

/** PyTorch's tensor printing: aligned columns, 4 decimals, summarised with "..." past 1000 elements. */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        float[] v = t.toArray();
        int[] dims = t.size();
        boolean summarize = v.length > THRESHOLD;
        String[] cells = cells(v);
        int width = 0;
        for (String c : cells) {
            width = Math.max(width, c.length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (dims.length == 0) {
            sb.append(cells[0]);
        } else {
            append(sb, cells, dims, 0, 0, width, summarize, 7);
        }
        if (t.gradFn() != null) {
            sb.append(", grad_fn=<").append(t.gradFn().name()).append('>');
        } else if (t.requiresGrad()) {
            sb.append(", requires_grad=True");
        }
        return sb.append(')').toString();
    }

    private static String[] cells(float[] v) {
        boolean ints = true;
        double maxAbs = 0, minAbs = Double.MAX_VALUE;
        for (float x : v) {
            if (Float.isFinite(x)) {
                ints &= x == Math.rint(x);
                maxAbs = Math.max(maxAbs, Math.abs(x));
                if (x != 0) {
                    minAbs = Math.min(minAbs, Math.abs(x));
                }
            }
        }
        boolean sci = !ints && (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != Double.MAX_VALUE)
                || (maxAbs / Math.max(minAbs, 1e-30) > 1000 && maxAbs > 1000));
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (Float.isNaN(x)) {
                out[i] = "nan";
            } else if (Float.isInfinite(x)) {
                out[i] = x > 0 ? "inf" : "-inf";
            } else if (ints) {
                out[i] = String.format(Locale.ROOT, "%.0f.", x);
            } else if (sci) {
                out[i] = String.format(Locale.ROOT, "%.4e", x);
            } else {
                out[i] = String.format(Locale.ROOT, "%.4f", x);
            }
        }
        return out;
    }

    /** Appends dimension {@code d} starting at flat index {@code base}. */
    private static void append(StringBuilder sb, String[] cells, int[] dims, int d, int base, int width,
                               boolean summarize, int indent) {
        int n = dims[d];
        int step = 1;
        for (int i = d + 1; i < dims.length; i++) {
            step *= dims[i];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(d == dims.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + d + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (d == dims.length - 1) {
                String c = cells[base + i];
                sb.append(" ".repeat(width - c.length())).append(c);
                if (i < n - 1) {
                    sb.append(", ");
                }
            } else {
                append(sb, cells, dims, d + 1, base + i * step, width, summarize, indent);
                if (i < n - 1) {
                    sb.append(',').append("\n".repeat(dims.length - d - 1)).append(" ".repeat(indent + d + 1));
                }
            }
        }
        sb.append(']');
    }
}
