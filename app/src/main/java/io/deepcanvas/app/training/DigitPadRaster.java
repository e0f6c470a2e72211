package io.deepcanvas.app.training;

/**
 * The drawing pad's ink as numbers (0 background, 1 ink), painted alongside the Canvas with the same round brush,
 * so predictions never read pixels back from the scene graph. Edges are anti-aliased over one pixel; overlapping
 * strokes keep the darker value. Used on the FX thread only; {@link #snapshot()} copies for the worker.
 */
public final class DigitPadRaster {
    private final int width;
    private final int height;
    private final float[] ink;
    private boolean empty = true;

    public DigitPadRaster(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("DigitPadRaster: size must be at least 1×1, got " + width + "×"
                    + height);
        }
        this.width = width;
        this.height = height;
        this.ink = new float[width * height];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Whether nothing has been drawn since the last clear. */
    public boolean isEmpty() {
        return empty;
    }

    public void clear() {
        java.util.Arrays.fill(ink, 0f);
        empty = true;
    }

    /** A copy of the ink, row by row. */
    public float[] snapshot() {
        return ink.clone();
    }

    /** A round brush of diameter {@code brush} moved in a straight line from (x0, y0) to (x1, y1). */
    public void stroke(double x0, double y0, double x1, double y1, double brush) {
        double r = brush / 2;
        int minX = Math.max(0, (int) Math.floor(Math.min(x0, x1) - r - 1));
        int maxX = Math.min(width - 1, (int) Math.ceil(Math.max(x0, x1) + r + 1));
        int minY = Math.max(0, (int) Math.floor(Math.min(y0, y1) - r - 1));
        int maxY = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + r + 1));
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                // distance from the pixel's centre to the segment
                double px = x + 0.5 - x0;
                double py = y + 0.5 - y0;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
                double ex = px - t * dx;
                double ey = py - t * dy;
                double d = Math.sqrt(ex * ex + ey * ey);
                float v = (float) Math.max(0, Math.min(1, r + 0.5 - d));
                int i = y * width + x;
                if (v > ink[i]) {
                    ink[i] = v;
                    empty = false;
                }
            }
        }
    }
}
