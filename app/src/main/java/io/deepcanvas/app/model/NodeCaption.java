package io.deepcanvas.app.model;

import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The short texts a node shows on the canvas: its key parameters ({@code 5×5, 6}) and shapes ({@code 16×5×5}),
 * written as the tutorials' diagrams write them.
 */
public final class NodeCaption {
    /** Parameters worth a place on the node whatever their value, in the order shown. */
    private static final List<String> KEY = List.of("kernel_size", "out_channels", "out_features", "p",
            "negative_slope", "shape");

    private NodeCaption() {
    }

    /** {@code 5×5, 6}; other parameters appear only when they differ from the default ({@code stride=2}). */
    public static String keyParams(Node node, LayerType type) {
        List<String> parts = new ArrayList<>();
        for (String k : KEY) {
            ParamSpec spec = type.param(k);
            if (spec != null) {
                Object v = value(node, spec);
                if (v != null) {
                    parts.add(format(v));
                }
            }
        }
        for (ParamSpec spec : type.params()) {
            if (KEY.contains(spec.name()) || spec.kind() == ParamSpec.Kind.CHOICE) {
                continue;
            }
            Object v = value(node, spec);
            if (v != null && !sameValue(v, spec.defaultValue())) {
                // stride=2, not stride=2×2: a square pair reads as one number, as PyTorch accepts it
                parts.add(spec.name() + "=" + (v instanceof List<?> l && l.size() == 2 && l.get(0).equals(l.get(1))
                        ? format(l.get(0)) : format(v)));
            }
        }
        return String.join(", ", parts);
    }

    private static Object value(Node node, ParamSpec spec) {
        Object raw = node.param(spec.name());
        try {
            return spec.convert(raw != null ? raw : spec.defaultValue());
        } catch (IllegalArgumentException e) {
            return raw; // shown as typed; the problem is marked on the node
        }
    }

    private static boolean sameValue(Object v, Object def) {
        if (def == null) {
            return false;
        }
        return format(v).equals(format(def));
    }

    /** {@code [5, 5]} → {@code 5×5}; numbers without a needless {@code .0}. */
    public static String format(Object v) {
        if (v instanceof List<?> l) {
            List<String> s = new ArrayList<>();
            l.forEach(e -> s.add(format(e)));
            return String.join("×", s);
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False"; // as PyTorch code writes it: no language to translate
        }
        return String.valueOf(v);
    }

    /** {@code 16×5×5}, or an em dash where the shape is unknown. */
    public static String shape(Shape s) {
        if (s == null) {
            return "—";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.rank(); i++) {
            if (i > 0) {
                sb.append('×');
            }
            sb.append(s.dim(i));
        }
        return sb.toString();
    }

    /** {@code 61,706}: grouped the way the summary and the tutorials print it. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * {@code 2.4k}, {@code 263k}, {@code 3.2M}: three significant digits at most, for a node whose output shape
     * leaves no room for {@link #count}; below 1,000 the number itself.
     */
    public static String compactCount(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        if (n < 99_950) {
            return oneDecimal(n / 1e3) + "k";
        }
        if (n < 999_500) {
            return String.format(Locale.ROOT, "%.0fk", n / 1e3);
        }
        if (n < 99_950_000) {
            return oneDecimal(n / 1e6) + "M";
        }
        return String.format(Locale.ROOT, "%.0fM", n / 1e6);
    }

    /** {@code 2.4}, and {@code 5} rather than {@code 5.0}. */
    private static String oneDecimal(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
