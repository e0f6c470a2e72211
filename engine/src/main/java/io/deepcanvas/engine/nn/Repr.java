package io.deepcanvas.engine.nn;

import java.math.BigDecimal;

/** Python-style rendering of hyperparameters, so {@code print(net)} reads exactly as in PyTorch. */
public final class Repr {
    private Repr() {
    }

    /** A float as Python prints it: {@code 0.01}, {@code 1e-05}, {@code 0.5}, {@code 2.0}. */
    public static String py(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        // the shortest decimal that round-trips the float, as the user typed it
        BigDecimal d = new BigDecimal(Float.toString((float) v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-4 || a >= 1e16)) {
            String unscaled = d.unscaledValue().abs().toString();
            int exp = unscaled.length() - 1 - d.scale();
            String mant = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
            return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        String s = d.toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    /** Python's True / False. */
    public static String py(boolean b) {
        return b ? "True" : "False";
    }

    /** A pair as a Python tuple: {@code (5, 5)}. */
    public static String tuple(int[] pair) {
        return "(" + pair[0] + ", " + pair[1] + ")";
    }

    /** A pair as PyTorch's pooling layers print it: the single number when both are equal. */
    public static String intOrTuple(int[] pair) {
        return pair[0] == pair[1] ? Integer.toString(pair[0]) : tuple(pair);
    }
}
