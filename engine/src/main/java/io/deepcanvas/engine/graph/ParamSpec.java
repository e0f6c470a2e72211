package io.deepcanvas.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One hyperparameter of a {@link LayerType}: its name as PyTorch spells it ({@code out_channels}), kind, default,
 * allowed range or choices and a one-line description. The schema drives validation, the project file and the
 * editor's inspector, so a parameter is described here once and nowhere else.
 *
 * <p>Values are the {@link Node}'s plain values; {@link #convert} turns one into its canonical form: {@link Integer}
 * (INT), {@link Double} (FLOAT), {@link Boolean} (BOOL), {@link String} (CHOICE), an unmodifiable
 * {@code List<Integer>} of two (INT_PAIR, which also accepts a single number: {@code 5} means {@code [5, 5]}) or of
 * any length (INT_LIST). A null default means "unset" (MaxPool2d's stride, which then follows kernel_size).
 *
 * @param min smallest allowed value (for lists and pairs: of each element), or null for none
 * @param max largest allowed value, or null for none
 * @param minExclusive whether {@code min} itself is refused ({@code eps > 0})
 * @param choices the allowed strings of a CHOICE, empty otherwise
 */
public record ParamSpec(String name, Kind kind, Object defaultValue, Double min, Double max, boolean minExclusive,
                        List<String> choices, String description) {

    /** What sort of value a parameter holds; the inspector picks its editor from this. */
    public enum Kind {
        INT, FLOAT, BOOL, CHOICE, INT_PAIR, INT_LIST
    }

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        choices = List.copyOf(choices == null ? List.of() : choices);
        description = description == null ? "" : description;
        if (defaultValue != null) {
            defaultValue = convert(name, kind, defaultValue);
        }
    }

    /** A whole number in [min, max] (either bound may be null). */
    public static ParamSpec ofInt(String name, int defaultValue, Integer min, Integer max, String description) {
        return new ParamSpec(name, Kind.INT, defaultValue, toDouble(min), toDouble(max), false, null, description);
    }

    /** A real number in [min, max] (either bound may be null). */
    public static ParamSpec ofFloat(String name, double defaultValue, Double min, Double max, String description) {
        return new ParamSpec(name, Kind.FLOAT, defaultValue, min, max, false, null, description);
    }

    public static ParamSpec ofBool(String name, boolean defaultValue, String description) {
        return new ParamSpec(name, Kind.BOOL, defaultValue, null, null, false, null, description);
    }

    public static ParamSpec ofChoice(String name, String defaultValue, List<String> choices, String description) {
        return new ParamSpec(name, Kind.CHOICE, defaultValue, null, null, false, choices, description);
    }

    /** One number or a pair [h, w], each at least {@code min}; a null default means "unset". */
    public static ParamSpec ofIntPair(String name, Integer defaultValue, int min, String description) {
        return new ParamSpec(name, Kind.INT_PAIR, defaultValue, (double) min, null, false, null, description);
    }

    /** A list of whole numbers, each at least {@code min}. */
    public static ParamSpec ofIntList(String name, List<Integer> defaultValue, int min, String description) {
        return new ParamSpec(name, Kind.INT_LIST, defaultValue, (double) min, null, false, null, description);
    }

    /** This spec with {@code min} itself excluded ({@code eps} must be {@code > 0}). */
    public ParamSpec withMinExclusive() {
        return new ParamSpec(name, kind, defaultValue, min, max, true, choices, description);
    }

    private static Double toDouble(Integer v) {
        return v == null ? null : v.doubleValue();
    }

    /**
     * The canonical form of {@code value}, checked against kind and range; null stays null (unset). Throws
     * {@link IllegalArgumentException} with a message such as {@code kernel_size must be >= 1, got 0}.
     */
    public Object convert(Object value) {
        if (value == null) {
            return null;
        }
        Object v = convert(name, kind, value);
        checkRange(v, show(value));
        return v;
    }

    private static Object convert(String name, Kind kind, Object value) {
        return switch (kind) {
            case INT -> toInt(name, value, "a whole number");
            case FLOAT -> {
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new IllegalArgumentException(name + " must be a finite number, got " + show(value));
                }
                yield n.doubleValue();
            }
            case BOOL -> {
                if (!(value instanceof Boolean)) {
                    throw new IllegalArgumentException(name + " must be true or false, got " + show(value));
                }
                yield value;
            }
            case CHOICE -> {
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException(name + " must be a name, got " + show(value));
                }
                yield value;
            }
            case INT_PAIR -> {
                if (value instanceof List<?> l) {
                    if (l.size() != 2) {
                        throw new IllegalArgumentException(name + " must be one number or a pair [h, w], got "
                                + show(value));
                    }
                    yield List.of(toInt(name, l.get(0), "a pair of whole numbers"),
                            toInt(name, l.get(1), "a pair of whole numbers"));
                }
                int v = toInt(name, value, "a whole number or a pair [h, w]");
                yield List.of(v, v);
            }
            case INT_LIST -> {
                if (!(value instanceof List<?> l)) {
                    throw new IllegalArgumentException(name + " must be a list of whole numbers such as [1, 28, 28], "
                            + "got " + show(value));
                }
                List<Integer> out = new ArrayList<>(l.size());
                for (Object e : l) {
                    out.add(toInt(name, e, "a list of whole numbers"));
                }
                yield List.copyOf(out);
            }
        };
    }

    private static int toInt(String name, Object value, String expected) {
        if (value instanceof Integer i) {
            return i;
        }
        // the project file's JSON numbers may arrive as doubles; 5.0 is accepted as 5, 5.5 is not
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new IllegalArgumentException(name + " must be " + expected + ", got " + show(value));
    }

    /** Checks bounds and choices; {@code shown} is the value as the user gave it ({@code 0}, not {@code [0, 0]}). */
    private void checkRange(Object v, String shown) {
        switch (kind) {
            case INT, FLOAT -> checkNumber(((Number) v).doubleValue(), shown);
            case INT_PAIR, INT_LIST -> {
                for (Object e : (List<?>) v) {
                    checkNumber(((Integer) e).doubleValue(), shown);
                }
            }
            case CHOICE -> {
                if (!choices.isEmpty() && !choices.contains(v)) {
                    throw new IllegalArgumentException(name + " must be one of " + String.join(", ", choices)
                            + ", got '" + v + "'");
                }
            }
            case BOOL -> { }
        }
    }

    private void checkNumber(double d, String shown) {
        if ((min != null && (minExclusive ? d <= min : d < min)) || (max != null && d > max)) {
            String lower = min == null ? "" : (minExclusive ? "> " : ">= ") + bound(min);
            String upper = max == null ? "" : "<= " + bound(max);
            throw new IllegalArgumentException(name + " must be " + lower + (min != null && max != null ? " and " : "")
                    + upper + ", got " + shown);
        }
    }

    private String bound(double b) {
        return kind == Kind.FLOAT ? Double.toString(b) : Long.toString((long) b);
    }

    private static String show(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
