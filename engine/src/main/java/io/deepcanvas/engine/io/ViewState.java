package io.deepcanvas.engine.io;

/** Where the canvas was looking when the project was saved: zoom factor and pan offset in pixels. */
public record ViewState(double zoom, double panX, double panY) {
    /** Zoom 1, no pan. */
    public static final ViewState DEFAULT = new ViewState(1, 0, 0);

    public ViewState {
        if (!(zoom > 0) || Double.isInfinite(zoom)) {
            throw new InvalidSettingException("zoom", "zoom must be a positive number, got " + zoom
                    + ": use 1 for 100%");
        }
        if (!Double.isFinite(panX) || !Double.isFinite(panY)) {
            throw new InvalidSettingException(Double.isFinite(panX) ? "panY" : "panX",
                    "pan offsets must be finite numbers, got (" + panX + ", " + panY + "): use 0");
        }
    }
}
