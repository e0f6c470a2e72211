package io.deepcanvas.engine.nn;

/** How a loss combines per-sample values ({@code reduction=} in PyTorch). */
public enum Reduction {
    MEAN, SUM, NONE;

    /** PyTorch's spelling: {@code mean}, {@code sum}, {@code none}. */
    public String pytorchName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Reduction parse(String s) {
        for (Reduction r : values()) {
            if (r.pytorchName().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Unknown reduction '" + s + "': expected mean, sum or none");
    }
}
