package io.deepcanvas.app.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * The frame of one chart on a canvas: the plot rectangle, linear or log scales from data to pixels, nice ticks with
 * grid lines and labels, and the helpers every chart draws with (series as lines or bands, vertical markers). Colours
 * are those of AtlantaFX's Primer Light theme, so the charts sit with the controls around them.
 */
final class Plot {
    static final Color FG = Color.web("#24292f");
    static final Color MUTED = Color.web("#57606a");
    static final Color SUBTLE = Color.web("#8c959f");
    static final Color GRID = Color.web("#eaeef2");
    static final Color AXIS = Color.web("#d0d7de");
    static final Color BLUE = Color.web("#0969da");
    static final Color GREEN = Color.web("#1a7f37");
    static final Color ORANGE = Color.web("#bc4c00");
    static final Color RED = Color.web("#cf222e");
    static final Color PURPLE = Color.web("#8250df");
    static final Color YELLOW = Color.web("#bf8700");
    /** Layer colours for many lines on one chart, distinct on white. */
    static final Color[] PALETTE = {Color.web("#0969da"), Color.web("#bc4c00"), Color.web("#1a7f37"),
            Color.web("#8250df"), Color.web("#bf3989"), Color.web("#1b7c83"), Color.web("#9a6700"),
            Color.web("#6e7781"), Color.web("#0550ae"), Color.web("#953800")};
    static final Font FONT = Font.font(Font.getDefault().getFamily(), 11);
    static final Font BOLD = Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, 11);

    final double left;
    final double top;
    final double right;
    final double bottom;
    final double xMin;
    final double xMax;
    final double yMin;
    final double yMax;
    final boolean logY;

    /**
     * A plot filling {@code w × h} less margins for the axis labels, over x in [xMin, xMax] and y in [yMin, yMax]
     * (both positive for a log scale).
     */
    Plot(double w, double h, double xMin, double xMax, double yMin, double yMax, boolean logY) {
        this.left = 52;
        this.top = 12;
        this.right = Math.max(left + 10, w - 14);
        this.bottom = Math.max(top + 10, h - 24);
        this.xMin = xMin;
        this.xMax = xMax > xMin ? xMax : xMin + 1;
        this.logY = logY;
        double lo = logY ? Math.log10(yMin) : yMin;
        double hi = logY ? Math.log10(yMax) : yMax;
        this.yMin = lo;
        this.yMax = hi > lo ? hi : lo + 1;
    }

    double px(double x) {
        return left + (x - xMin) / (xMax - xMin) * (right - left);
    }

    double py(double y) {
        // a loss of exactly 0 on a log axis: far below the floor (clipped), not −∞ in a path
        double v = logY ? Math.log10(Math.max(y, Double.MIN_NORMAL)) : y;
        return bottom - (v - yMin) / (yMax - yMin) * (bottom - top);
    }

    double width() {
        return right - left;
    }

    /** Grid, axes and tick labels; y labels through {@code yLabel}. */
    void frame(GraphicsContext g, java.util.function.DoubleFunction<String> yLabel) {
        g.setLineWidth(1);
        g.setFont(FONT);
        g.setFill(MUTED);
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.RIGHT);
        for (double t : yTicks()) {
            double y = Math.round(py(t)) + 0.5;
            g.setStroke(GRID);
            g.strokeLine(left, y, right, y);
            g.fillText(yLabel.apply(t), left - 6, y);
        }
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        for (double t : ticks(xMin, xMax, Math.max(2, (int) (width() / 90)))) {
            double x = Math.round(px(t)) + 0.5;
            g.setStroke(GRID);
            g.strokeLine(x, top, x, bottom);
            g.fillText(steps(t), x, bottom + 5);
        }
        g.setStroke(AXIS);
        g.strokeLine(left + 0.5, top, left + 0.5, bottom + 0.5);
        g.strokeLine(left, bottom + 0.5, right, bottom + 0.5);
    }

    private List<Double> yTicks() {
        if (!logY) {
            return ticks(yMin, yMax, Math.max(2, (int) ((bottom - top) / 36)));
        }
        List<Double> out = new ArrayList<>();
        int first = (int) Math.ceil(yMin - 1e-9);
        int last = (int) Math.floor(yMax + 1e-9);
        int stride = Math.max(1, (int) Math.ceil((last - first + 1) / Math.max(2.0, (bottom - top) / 28)));
        for (int e = first; e <= last; e += stride) {
            out.add(Math.pow(10, e));
        }
        return out;
    }

    /** Round tick values (1, 2, 5 × 10ⁿ apart) from min to max, about {@code count} of them. */
    static List<Double> ticks(double min, double max, int count) {
        List<Double> out = new ArrayList<>();
        if (!(max > min)) {
            out.add(min);
            return out;
        }
        double step = niceStep((max - min) / Math.max(1, count));
        for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    /** The smallest round value at or above {@code v} (1, 2, 2.5, 5 × 10ⁿ): an axis end that does not jitter. */
    static double niceCeil(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : new double[]{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (f * mag >= v * (1 - 1e-12)) {
                return f * mag;
            }
        }
        return 10 * mag;
    }

    /** A step count for an axis: 900, 1.5k, 12k. */
    static String steps(double v) {
        if (Math.abs(v) >= 1000) {
            double k = v / 1000;
            return (k == Math.rint(k) ? String.format(Locale.ROOT, "%.0f", k)
                    : String.format(Locale.ROOT, "%.1f", k)) + "k";
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** A linear-axis number: as few decimals as the tick spacing needs. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : a >= 10 ? trim(String.format(Locale.ROOT, "%.1f", v))
                : a >= 0.1 ? trim(String.format(Locale.ROOT, "%.2f", v)) : trim(String.format(Locale.ROOT, "%.3f", v));
    }

    /** "0.50" → "0.5", "2.00" → "2" (by hand: a regular expression here compiled two patterns per tick label). */
    private static String trim(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /** A power of ten as 10⁻³. */
    static String power(double v) {
        int e = (int) Math.round(Math.log10(v));
        if (e == 0) {
            return "1";
        }
        StringBuilder sb = new StringBuilder("10");
        if (e < 0) {
            sb.append('⁻');
        }
        for (char c : Integer.toString(Math.abs(e)).toCharArray()) {
            sb.append(SUPERSCRIPTS.charAt(c - '0'));
        }
        return sb.toString();
    }

    /** Clips drawing to the plot rectangle until {@link #unclip}. */
    void clip(GraphicsContext g) {
        g.save();
        g.beginPath();
        g.rect(left, top - 1, right - left + 1, bottom - top + 2);
        g.clip();
    }

    void unclip(GraphicsContext g) {
        g.restore();
    }

    /** The series' means as one polyline (points that are not drawable, such as 0 on a log scale, are skipped). */
    void line(GraphicsContext g, DecimatedSeries s, Color color, double width) {
        if (s.isEmpty()) {
            return;
        }
        g.setStroke(color);
        g.setLineWidth(width);
        g.setLineJoin(StrokeLineJoin.ROUND);
        g.setLineCap(StrokeLineCap.ROUND);
        g.beginPath();
        boolean open = false;
        for (int i = 0; i < s.size(); i++) {
            double y = s.y(i);
            if (logY && !(y > 0)) {
                open = false;
                continue;
            }
            double x = px(s.x(i));
            double yy = py(y);
            if (open) {
                g.lineTo(x, yy);
            } else {
                g.moveTo(x, yy);
                open = true;
            }
        }
        if (s.size() == 1) {
            g.lineTo(px(s.x(0)) + 0.5, py(s.y(0)));
        }
        g.stroke();
    }

    /** The min…max band of a decimated series, with the raw points as a thin line while not decimated. */
    void band(GraphicsContext g, DecimatedSeries s, Color color) {
        if (s.isEmpty()) {
            return;
        }
        if (s.span() == 1) {
            line(g, s, color.deriveColor(0, 0.6, 1.25, 0.55), 1);
            return;
        }
        int n = s.size();
        double[] xs = new double[2 * n];
        double[] ys = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[i] = px(s.x(i));
            ys[i] = py(s.max(i));
            xs[2 * n - 1 - i] = xs[i];
            ys[2 * n - 1 - i] = py(s.min(i));
        }
        g.setFill(color.deriveColor(0, 0.6, 1.3, 0.28));
        g.fillPolygon(xs, ys, 2 * n);
    }

    /** A dashed vertical line at {@code x} with a label at its top. */
    void marker(GraphicsContext g, double x, Color color, String label, double[] dashes, int row) {
        marker(g, x, color, label, dashes, row, false);
    }

    /**
     * A vertical marker at step x with its label in row {@code row} from the top, or from the bottom when
     * {@code below} (an accuracy curve runs along the top of its chart, where a label would cover its last points).
     */
    void marker(GraphicsContext g, double x, Color color, String label, double[] dashes, int row, boolean below) {
        double px = Math.round(px(x)) + 0.5;
        if (px < left - 1 || px > right + 1) {
            return;
        }
        g.setStroke(color);
        g.setLineWidth(1);
        g.setLineDashes(dashes);
        g.strokeLine(px, top, px, bottom);
        g.setLineDashes((double[]) null);
        if (label != null) {
            g.setFont(FONT);
            g.setTextBaseline(VPos.TOP);
            boolean rightSide = px + 4 + label.length() * 6 < right;
            g.setTextAlign(rightSide ? TextAlignment.LEFT : TextAlignment.RIGHT);
            double ty = below ? bottom - 15 - row * 14 : top + 2 + row * 14;
            g.setFill(Color.rgb(255, 255, 255, 0.85));
            double w = label.length() * 6.2 + 4;
            g.fillRect(rightSide ? px + 2 : px - 2 - w, ty - 1, w, 14);
            g.setFill(color);
            g.fillText(label, rightSide ? px + 4 : px - 4, ty);
        }
    }

    /** The series' means as a dashed polyline: a compared run under the shown one. */
    void dashedLine(GraphicsContext g, DecimatedSeries s, Color color, double width) {
        g.setLineDashes(6, 4);
        line(g, s, color, width);
        g.setLineDashes((double[]) null);
    }

    /** A ring around the best test point, labelled, so it reads from across the room. */
    void best(GraphicsContext g, double x, double y, String label) {
        double cx = px(x);
        double cy = py(y);
        g.setStroke(FG);
        g.setLineWidth(1.5);
        g.strokeOval(cx - 7, cy - 7, 14, 14);
        g.setFont(BOLD);
        g.setTextBaseline(VPos.BOTTOM);
        boolean leftSide = cx - 10 - label.length() * 6.5 > left;
        g.setTextAlign(leftSide ? TextAlignment.RIGHT : TextAlignment.LEFT);
        double tx = leftSide ? cx - 9 : cx + 9;
        double ty = Math.max(top + 14, cy - 6);
        g.setFill(Color.rgb(255, 255, 255, 0.85));
        double w = label.length() * 6.5 + 4;
        g.fillRect(leftSide ? tx - w + 2 : tx - 2, ty - 14, w, 14);
        g.setFill(FG);
        g.fillText(label, tx, ty);
    }

    /** A filled dot with a white ring. */
    static void dot(GraphicsContext g, double x, double y, Color color, double r) {
        g.setFill(Color.WHITE);
        g.fillOval(x - r - 1.5, y - r - 1.5, 2 * r + 3, 2 * r + 3);
        g.setFill(color);
        g.fillOval(x - r, y - r, 2 * r, 2 * r);
    }

    /** A message in the middle of an empty chart. */
    static void empty(GraphicsContext g, double w, double h, String text) {
        g.setFont(Font.font(Font.getDefault().getFamily(), 13));
        g.setFill(SUBTLE);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(text, w / 2, h / 2);
    }
}
