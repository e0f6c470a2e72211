package io.deepcanvas.app.editor;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.ParamSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the inspector's text fields accept and show, free of controls so it is tested without the FX thread: text
 * such as {@code 5}, {@code 5, 3}, {@code [1, 32, 32]} or an empty field is read into a value for the model, checked
 * by the parameter's own {@link ParamSpec}; a value is written back as the user would type it.
 */
final class InspectorValues {
    /** Between the numbers of a pair or list: commas, spaces, or the {@code ×} of the canvas captions ({@code 5×5}). */
    private static final Pattern SEPARATOR = Pattern.compile("\\s*[,×xX]\\s*|\\s+");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    /** A decimal number as Python writes one; not Java's extras ({@code 1d}, {@code 0x1p3}, {@code NaN}). */
    private static final Pattern REAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private InspectorValues() {
    }

    /**
     * What the user typed, read: a value to commit (null means "unset": the layer's default), or a message that
     * says what is wrong and what is allowed.
     */
    record Result(Object value, String error) {
        static Result ok(Object value) {
            return new Result(value, null);
        }

        static Result error(String message) {
            return new Result(null, message);
        }

        public boolean valid() {
            return error == null;
        }
    }

    /**
     * Reads {@code text} for parameter {@code spec}: empty means unset (the default), one number stays one number
     * (a kernel size of {@code 5}, as the project files write it), several become a list. The value is checked with
     * {@link ParamSpec#convert}; its message, with the allowed range in the user's language, is the error.
     */
    static Result parse(ParamSpec spec, String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Result.ok(null);
        }
        Object raw = switch (spec.kind()) {
            case INT -> number(t);
            case FLOAT -> readReal(t);
            case INT_PAIR, INT_LIST -> numbers(t, spec.kind() == ParamSpec.Kind.INT_LIST);
            case BOOL -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> t;
            };
            case CHOICE -> t;
        };
        try {
            Object canonical = spec.convert(raw);
            // one number for a pair stays one number, as the project files and PyTorch code write a square kernel
            return Result.ok(spec.kind() == ParamSpec.Kind.INT_PAIR && !(raw instanceof List)
                    ? ((List<?>) canonical).get(0) : canonical);
        } catch (IllegalArgumentException e) {
            return Result.error(invalid(e.getMessage(), allowed(spec)));
        }
    }

    /** The parameter's value in its canonical form, for comparing an edit with what the node holds. */
    static Object canonical(ParamSpec spec, Object value) {
        Object v = value == null ? spec.defaultValue() : value;
        try {
            return spec.convert(v);
        } catch (IllegalArgumentException e) {
            return v; // an invalid stored value differs from any valid edit
        }
    }

    /** {@code message; allowed: at least 1}, or the message alone where anything of the right sort goes. */
    static String invalid(String message, String allowed) {
        return allowed == null ? message : I18n.text("inspector.invalid", message, allowed);
    }

    /**
     * The allowed range in the user's words ({@code at least 1}, {@code from 0 to 1}, {@code greater than 0}) for
     * each number of the parameter, or null where the schema sets no bounds.
     */
    static String allowed(ParamSpec spec) {
        Double min = spec.min();
        Double max = spec.max();
        if (min != null && max != null && !spec.minExclusive()) {
            return I18n.text("inspector.range.between", format(min), format(max));
        }
        List<String> parts = new ArrayList<>(2);
        if (min != null) {
            parts.add(I18n.text(spec.minExclusive() ? "inspector.range.above" : "inspector.range.min", format(min)));
        }
        if (max != null) {
            parts.add(I18n.text("inspector.range.max", format(max)));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /**
     * A value as the user would type it: {@code 5} for a square pair, {@code 5, 3} otherwise, {@code 1, 32, 32} for
     * a list, {@code 0.001} or {@code 1e-05} for a real number, an empty text for unset.
     */
    static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> l) {
            if (l.size() == 2 && l.get(0).equals(l.get(1))) {
                return format(l.get(0));
            }
            List<String> parts = new ArrayList<>(l.size());
            l.forEach(e -> parts.add(format(e)));
            return String.join(", ", parts);
        }
        if (value instanceof Double d) {
            return formatReal(d);
        }
        return String.valueOf(value);
    }

    /** {@code 0.5}, {@code 3}, {@code 0.001}; very small or large values in Python's {@code 1e-05} style. */
    private static String formatReal(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        double a = Math.abs(d);
        if (a >= 1e-4 && a < 1e15) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        // Double.toString writes these as 1.0E-5; Python (and PyTorch's reprs) as 1e-05
        String java = Double.toString(d);
        int e = java.indexOf('E');
        String mantissa = BigDecimal.valueOf(Double.parseDouble(java.substring(0, e))).stripTrailingZeros()
                .toPlainString();
        int exp = Integer.parseInt(java.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /**
     * Reads a whole number for a training setting: the number, or an error naming the setting ({@code Epochs must
     * be a whole number, got "x"}). {@code min} and {@code max} are what the setting's Java type holds; the
     * setting's real bounds are its record's to check, with its own message.
     */
    static Result parseWhole(String name, String text, long min, long max) {
        String t = text == null ? "" : text.strip();
        if (!WHOLE.matcher(t).matches()) {
            return Result.error(I18n.text("inspector.wholeNumber", name, quote(t)));
        }
        Object n = number(t);
        long v = n instanceof Double ? Long.MAX_VALUE : ((Number) n).longValue();
        if (n instanceof Double || v < min || v > max) {
            return Result.error(I18n.text("inspector.outOfRange", name, t));
        }
        return Result.ok(v);
    }

    /** Reads a real number for a training setting ({@code 0.001}, {@code 1e-3}; a decimal comma is accepted). */
    static Result parseReal(String name, String text) {
        Object n = readReal(text == null ? "" : text.strip());
        if (!(n instanceof Double d)) {
            return Result.error(I18n.text("inspector.number", name, quote(String.valueOf(n))));
        }
        return Result.ok(d);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** An Integer where it fits, else a Long or a Double (which the schema then refuses by name); else the text. */
    private static Object number(String t) {
        if (WHOLE.matcher(t).matches()) {
            try {
                long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                return v == (int) v ? (Object) (int) v : (Object) v;
            } catch (NumberFormatException e) {
                return Double.parseDouble(t); // more digits than a long holds
            }
        }
        return REAL.matcher(t).matches() ? (Object) Double.parseDouble(t) : t;
    }

    /**
     * A real number; a single decimal comma ({@code 0,5}) is read as a point, as users of comma-decimal languages
     * type it. Only here: in pairs and lists the comma separates numbers.
     */
    private static Object readReal(String t) {
        String s = t.indexOf(',') == t.lastIndexOf(',') && t.indexOf('.') < 0 ? t.replace(',', '.') : t;
        Object n = number(s);
        return n instanceof Number v ? (Object) v.doubleValue() : t;
    }

    /** {@code 5} → 5; {@code 5, 3} or {@code [5, 3]} or {@code 5×3} → [5, 3]; a list keeps even a single number. */
    private static Object numbers(String t, boolean list) {
        String s = t;
        if ((s.startsWith("[") && s.endsWith("]")) || (s.startsWith("(") && s.endsWith(")"))) {
            s = s.substring(1, s.length() - 1).strip();
            list = true;
        }
        if (s.endsWith(",")) {
            s = s.substring(0, s.length() - 1).strip(); // Python's one-element tuple: (5,)
        }
        String[] parts = s.isEmpty() ? new String[0] : SEPARATOR.split(s);
        if (parts.length == 1 && !list) {
            return number(parts[0]);
        }
        List<Object> out = new ArrayList<>(parts.length);
        for (String p : parts) {
            out.add(number(p));
        }
        return out;
    }
}
