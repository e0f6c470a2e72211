/*
 * DeepCanvas icon generator.
 *
 * Draws the layer-palette icons and the application icon with Java2D and writes them as PNG files.
 * Every icon is described in a 24 x 24 unit design grid and scaled to the output size, so the 1x
 * (24 px) and 2x (48 px) files are both rendered from vectors. Thin strokes sit on half units and
 * 2-unit strokes on whole units, so they land on the pixel grid at 1x.
 *
 * Usage (from the repository root, needs only the JDK):
 *   java tools/icons/DrawIcons.java icons                      write all PNG files into icons/
 *   java tools/icons/DrawIcons.java --sheet out.png [NAME...]  contact sheet for review: the named icons
 *                                    (all if none; "deepcanvas" for the app icon; "overview" for the
 *                                    whole set at 1x/2x on light and dark)
 */

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

public class DrawIcons {

    /** Size of the design grid every icon is drawn in. */
    static final double GRID = 24;

    // ---- category palette: one accent per layer category -------------------------------------

    static final Color INPUT = new Color(0x5A6B85);         // slate / grey-blue
    static final Color CONVOLUTION = new Color(0x2F6FDE);   // blue
    static final Color POOLING = new Color(0x0E9488);       // teal
    static final Color ACTIVATION = new Color(0xE8710A);    // orange
    static final Color LINEAR = new Color(0x7B4FD6);        // purple
    static final Color NORMALIZATION = new Color(0x219A52); // green
    static final Color REGULARIZATION = new Color(0xD6403F); // red
    static final Color MERGE = new Color(0xD08A00);         // amber
    static final Color RESHAPE = new Color(0x4651C8);       // indigo

    /** A layer icon: file base name, category accent, glyph painter. */
    record Icon(String name, Color accent, Glyph glyph) {}

    /** Paints the white glyph of one icon on top of its tile, in design-grid units. */
    interface Glyph {
        void draw(Graphics2D g);
    }

    static final List<Icon> ICONS = List.of(
            new Icon("input", INPUT, DrawIcons::input),
            new Icon("conv2d", CONVOLUTION, DrawIcons::conv2d),
            new Icon("maxpool2d", POOLING, DrawIcons::maxpool2d),
            new Icon("avgpool2d", POOLING, DrawIcons::avgpool2d),
            new Icon("relu", ACTIVATION, DrawIcons::relu),
            new Icon("leakyrelu", ACTIVATION, DrawIcons::leakyrelu),
            new Icon("sigmoid", ACTIVATION, DrawIcons::sigmoid),
            new Icon("tanh", ACTIVATION, DrawIcons::tanh),
            new Icon("softmax", ACTIVATION, DrawIcons::softmax),
            new Icon("linear", LINEAR, DrawIcons::linear),
            new Icon("batchnorm1d", NORMALIZATION, DrawIcons::batchnorm1d),
            new Icon("batchnorm2d", NORMALIZATION, DrawIcons::batchnorm2d),
            new Icon("dropout", REGULARIZATION, DrawIcons::dropout),
            new Icon("add", MERGE, DrawIcons::add),
            new Icon("concat", MERGE, DrawIcons::concat),
            new Icon("flatten", RESHAPE, DrawIcons::flatten));

    static final int[] APP_SIZES = {16, 32, 48, 64, 128, 256};

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("--sheet")) {
            writePng(contactSheet(List.of(args).subList(2, args.length)), new File(args[1]));
            return;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java tools/icons/DrawIcons.java OUTPUT_DIR | --sheet SHEET.png [NAME...]");
            System.exit(2);
        }
        File dir = new File(args[0]);
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        int count = 0;
        for (Icon icon : ICONS) {
            writePng(renderIcon(icon, 24), new File(dir, icon.name() + ".png"));
            writePng(renderIcon(icon, 48), new File(dir, icon.name() + "@2x.png"));
            count += 2;
        }
        for (int size : APP_SIZES) {
            writePng(renderApp(size), new File(dir, "deepcanvas-" + size + ".png"));
            count++;
        }
        System.out.println("wrote " + count + " icons to " + dir);
    }

    // ---- rendering ---------------------------------------------------------------------------

    static BufferedImage renderIcon(Icon icon, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = designCanvas(img, size);
        tile(g, icon.accent());
        icon.glyph().draw(g);
        g.dispose();
        return img;
    }

    /** A transparent canvas whose user space is the 24-unit design grid. */
    static Graphics2D designCanvas(BufferedImage img, int size) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        g.scale(size / GRID, size / GRID);
        return g;
    }

    static void writePng(BufferedImage img, File file) throws IOException {
        if (!ImageIO.write(img, "png", file)) {
            throw new IOException("no PNG writer for " + file);
        }
    }

    // ---- shared drawing helpers (all coordinates in design-grid units) -----------------------

    /** The rounded accent tile every layer icon sits on. */
    static void tile(Graphics2D g, Color accent) {
        g.setColor(accent);
        g.fill(new RoundRectangle2D.Double(1, 1, 22, 22, 9, 9));
    }

    /** White at the given opacity (0..1): the glyph colour. */
    static Color white(double opacity) {
        return new Color(255, 255, 255, (int) Math.round(255 * opacity));
    }

    static void stroke(Graphics2D g, Shape s, double width, double opacity) {
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(white(opacity));
        g.draw(s);
    }

    static void fill(Graphics2D g, Shape s, double opacity) {
        g.setColor(white(opacity));
        g.fill(s);
    }

    static void line(Graphics2D g, double x1, double y1, double x2, double y2, double width, double opacity) {
        stroke(g, new Line2D.Double(x1, y1, x2, y2), width, opacity);
    }

    /** Open polyline through x0,y0, x1,y1, ... */
    static Path2D polyline(double... xy) {
        Path2D p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        return p;
    }

    static Shape circle(double cx, double cy, double r) {
        return new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
    }

    static Shape rect(double x, double y, double w, double h) {
        return new Rectangle2D.Double(x, y, w, h);
    }

    static Shape roundRect(double x, double y, double w, double h, double radius) {
        return new RoundRectangle2D.Double(x, y, w, h, 2 * radius, 2 * radius);
    }

    /** Open chevron arrow head with its tip at (x, y), pointing in direction (dx, dy). */
    static void arrowHead(Graphics2D g, double x, double y, double dx, double dy, double len, double width) {
        double n = Math.hypot(dx, dy);
        double ux = dx / n, uy = dy / n;
        double bx = x - ux * len, by = y - uy * len;
        stroke(g, polyline(bx - uy * len, by + ux * len, x, y, bx + uy * len, by - ux * len), width, 1);
    }

    /** Filled triangular arrow head with its tip at (x, y), pointing along (dx, dy). */
    static void triangle(Graphics2D g, double x, double y, double dx, double dy, double len, double halfWidth) {
        double n = Math.hypot(dx, dy);
        double ux = dx / n, uy = dy / n;
        double bx = x - ux * len, by = y - uy * len;
        Path2D p = polyline(bx - uy * halfWidth, by + ux * halfWidth, x, y, bx + uy * halfWidth, by - ux * halfWidth);
        p.closePath();
        fill(g, p, 1);
    }

    /** Straight arrow from (x1, y1) to (x2, y2). */
    static void arrow(Graphics2D g, double x1, double y1, double x2, double y2, double head, double width) {
        line(g, x1, y1, x2, y2, width, 1);
        arrowHead(g, x2, y2, x2 - x1, y2 - y1, head, width);
    }

    /** Thin function-plot axes: horizontal at y = axisY, vertical at x = axisX, inside the plot box. */
    static void axes(Graphics2D g, double axisX, double axisY) {
        line(g, 4.5, axisY, 19.5, axisY, 1, 0.55);
        line(g, axisX, 4.5, axisX, 19.5, 1, 0.55);
    }

    /**
     * Samples f over [xFrom, xTo] and maps it linearly so that f = yLow lands on pixel row py1 and
     * f = yHigh on py0, across pixel columns px0..px1.
     */
    static Path2D plot(DoubleUnaryOperator f, double xFrom, double xTo, double yLow, double yHigh,
                       double px0, double px1, double py0, double py1) {
        Path2D p = new Path2D.Double();
        int steps = 96;
        for (int i = 0; i <= steps; i++) {
            double t = i / (double) steps;
            double x = xFrom + t * (xTo - xFrom);
            double y = f.applyAsDouble(x);
            double px = px0 + t * (px1 - px0);
            double py = py1 - (y - yLow) / (yHigh - yLow) * (py1 - py0);
            if (i == 0) {
                p.moveTo(px, py);
            } else {
                p.lineTo(px, py);
            }
        }
        return p;
    }

    /** Grid of cols x rows square cells of the given size with 1-unit lines; (x, y) is the outer corner. */
    static void cellGrid(Graphics2D g, double x, double y, int cols, int rows, double cell, double opacity) {
        for (int c = 0; c <= cols; c++) {
            line(g, x + c * cell, y, x + c * cell, y + rows * cell, 1, opacity);
        }
        for (int r = 0; r <= rows; r++) {
            line(g, x, y + r * cell, x + cols * cell, y + r * cell, 1, opacity);
        }
    }

    // ---- layer icons -------------------------------------------------------------------------

    /** Input: an arrow entering an open tray / bracket (data flowing into the network). */
    static void input(Graphics2D g) {
        stroke(g, polyline(14, 5, 19, 5, 19, 19, 14, 19), 2, 1);   // bracket, open to the left
        arrow(g, 5, 12, 15, 12, 4, 2);                             // arrow entering it
    }

    /** Conv2d: a 5x5 feature map with a highlighted 3x3 kernel window and the ghost of its next step. */
    static void conv2d(Graphics2D g) {
        double x = 4.5, y = 4.5, cell = 3;
        cellGrid(g, x, y, 5, 5, cell, 0.45);
        stroke(g, rect(x + cell, y + cell, 3 * cell, 3 * cell), 1, 0.75); // next position (dimmer)
        fill(g, rect(x, y, 3 * cell, 3 * cell), 0.35);                    // current window
        stroke(g, rect(4, 4, 10, 10), 2, 1);
    }

    /** MaxPool2d: a 2x2 window with one strongest cell funnelled into one solid cell, a hat for max. */
    static void maxpool2d(Graphics2D g) {
        poolFrame(g, 1);
        stroke(g, polyline(15.5, 7.5, 17.5, 5.5, 19.5, 7.5), 1.5, 1);     // hat: max
    }

    /** AvgPool2d: a 2x2 window of values funnelled into their mean, with a bar over it (x-bar). */
    static void avgpool2d(Graphics2D g) {
        poolFrame(g, 0.6);
        line(g, 15, 7, 20, 7, 2, 1);                                     // bar: mean
    }

    /**
     * Shared pooling layout: a 2x2 window of differently shaded cells on the left, lines converging
     * to the single pooled cell (filled at outOpacity) on the right, room above it for a mark.
     */
    static void poolFrame(Graphics2D g, double outOpacity) {
        double[] shade = {0.45, 1, 0.65, 0.35};
        for (int i = 0; i < 4; i++) {
            fill(g, rect(3 + 5 * (i % 2), 8 + 5 * (i / 2), 4, 4), shade[i]);
        }
        line(g, 12.5, 8.5, 15, 10, 1, 0.6);
        line(g, 12.5, 16.5, 15, 15, 1, 0.6);
        fill(g, rect(15, 10, 5, 5), outOpacity);
    }

    /** ReLU: the hinge max(0, x) on small axes. */
    static void relu(Graphics2D g) {
        axes(g, 11.5, 15.5);
        stroke(g, polyline(4, 16, 11.5, 16, 19.5, 7), 2, 1);
    }

    /** LeakyReLU: the same hinge with a small negative slope left of the origin. */
    static void leakyrelu(Graphics2D g) {
        axes(g, 11.5, 15.5);
        stroke(g, polyline(4, 18.5, 11.5, 16, 19.5, 7), 2, 1);
    }

    /** Sigmoid: the S curve from 0 to 1 (x axis at the bottom, dim line at 1). */
    static void sigmoid(Graphics2D g) {
        axes(g, 11.5, 18.5);
        line(g, 4.5, 5.5, 19.5, 5.5, 1, 0.35);                           // y = 1 asymptote
        stroke(g, plot(x -> 1 / (1 + Math.exp(-x)), -6, 6, 0, 1, 3.5, 19.5, 5.5, 18.5), 2, 1);
    }

    /** Tanh: a steeper S running from -1 to 1 through the origin, axes crossing at the centre. */
    static void tanh(Graphics2D g) {
        axes(g, 11.5, 11.5);
        stroke(g, plot(Math::tanh, -2.6, 2.6, -1, 1, 3.5, 19.5, 4.5, 18.5), 2, 1);
    }

    /** Softmax: a probability distribution as bars (one dominant) over a baseline. */
    static void softmax(Graphics2D g) {
        line(g, 4, 19.5, 20, 19.5, 1, 0.55);
        double[] heights = {3, 7, 13, 4};
        for (int i = 0; i < heights.length; i++) {
            fill(g, rect(5 + 4 * i, 19 - heights[i], 2, heights[i]), i == 2 ? 1 : 0.8);
        }
    }

    /** Linear: two columns of neurons, every left one connected to every right one. */
    static void linear(Graphics2D g) {
        double[] left = {6, 12, 18};
        double[] right = {8.5, 15.5};
        for (double yl : left) {
            for (double yr : right) {
                line(g, 6.5, yl, 17.5, yr, 1, 0.6);
            }
        }
        for (double yl : left) {
            fill(g, circle(6.5, yl, 2.25), 1);
        }
        for (double yr : right) {
            fill(g, circle(17.5, yr, 2.25), 1);
        }
    }

    /** BatchNorm1d: a bell curve above a single row of cells (normalising a vector of features). */
    static void batchnorm1d(Graphics2D g) {
        bell(g);
        for (int c = 0; c < 4; c++) {
            fill(g, roundRect(4 + 4 * c, 17, 3, 3, 0.5), 0.85);
        }
    }

    /** BatchNorm2d: the same bell curve above a small grid (normalising channels of feature maps). */
    static void batchnorm2d(Graphics2D g) {
        bell(g);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 4; c++) {
                fill(g, rect(4 + 4 * c, 15 + 3 * r, 3, 2), 0.85);
            }
        }
    }

    /** Shared Gaussian bell with a dim mean marker, for the normalisation icons. */
    static void bell(Graphics2D g) {
        fill(g, rect(11, 5, 2, 8), 0.3);
        stroke(g, plot(x -> Math.exp(-x * x / 2), -3, 3, 0, 1, 4, 20, 4.5, 12.5), 2, 1);
    }

    /** Dropout: a 3x3 grid of units with some dropped (crossed out). */
    static void dropout(Graphics2D g) {
        boolean[] dropped = {false, true, false, false, false, true, true, false, false};
        for (int i = 0; i < 9; i++) {
            double cx = 6 + 6 * (i % 3);
            double cy = 6 + 6 * (i / 3);
            if (dropped[i]) {
                line(g, cx - 2, cy - 2, cx + 2, cy + 2, 1.5, 1);
                line(g, cx - 2, cy + 2, cx + 2, cy - 2, 1.5, 1);
            } else {
                fill(g, circle(cx, cy, 2.25), 1);
            }
        }
    }

    /** Add: two arrows flowing into a circled plus (element-wise sum). */
    static void add(Graphics2D g) {
        double cx = 15, cy = 12, r = 5;
        line(g, 4, 5, 7.5, 7.3, 2, 1);
        triangle(g, 10.2, 9.1, 3, 2, 3.2, 2.2);
        line(g, 4, 19, 7.5, 16.7, 2, 1);
        triangle(g, 10.2, 14.9, 3, -2, 3.2, 2.2);
        stroke(g, circle(cx, cy, r), 1.5, 1);
        line(g, cx - 2.5, cy, cx + 2.5, cy, 2, 1);
        line(g, cx, cy - 2.5, cx, cy + 2.5, 2, 1);
    }

    /** Concat: two blocks of different size joined side by side, one bracket spanning both. */
    static void concat(Graphics2D g) {
        fill(g, roundRect(4, 5, 6, 10, 1), 1);
        fill(g, roundRect(11, 5, 9, 10, 1), 0.6);
        stroke(g, polyline(4.5, 16.5, 4.5, 18.5, 19.5, 18.5, 19.5, 16.5), 1, 1);
        fill(g, rect(11, 18, 2, 2.5), 1);                                // one output
    }

    /** Flatten: a 2x2 block of shaded cells unrolled into a single row with the same shading. */
    static void flatten(Graphics2D g) {
        double[] shade = {1, 0.75, 0.5, 0.3};
        for (int i = 0; i < 4; i++) {
            fill(g, rect(8 + 4 * (i % 2), 3 + 4 * (i / 2), 4, 4), shade[i]);
        }
        line(g, 12, 11.5, 12, 13, 2, 1);
        triangle(g, 12, 15, 0, 1, 2.5, 3);
        for (int i = 0; i < 4; i++) {
            fill(g, rect(4 + 4 * i, 16, 4, 4), shade[i]);
        }
    }

    // ---- application icon --------------------------------------------------------------------

    /**
     * DeepCanvas: a dark rounded-square canvas (dot grid at larger sizes) with three layer blocks in
     * category colours, joined by curved wires as in the editor.
     */
    static BufferedImage renderApp(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = designCanvas(img, size);
        g.setPaint(new GradientPaint(0, 1, new Color(0x2C3C68), 0, 23, new Color(0x1A2240)));
        g.fill(new RoundRectangle2D.Double(1, 1, 22, 22, 10, 10));
        g.setColor(white(0.14));                           // faint rim: keeps the edge on dark backgrounds
        g.setStroke(new BasicStroke(0.5f));
        g.draw(new RoundRectangle2D.Double(1.25, 1.25, 21.5, 21.5, 9.5, 9.5));
        if (size >= 48) {                                  // canvas dot grid
            g.setColor(white(0.12));
            for (double y = 4; y <= 20; y += 3) {
                for (double x = 4; x <= 20; x += 3) {
                    g.fill(circle(x, y, 0.3));
                }
            }
        }
        double wire = size <= 16 ? 1.6 : size <= 32 ? 1.2 : 1;
        appWire(g, 9, 7.5, 15, 10.5, wire);
        appWire(g, 15, 13.5, 9, 16.5, wire);
        appBlock(g, 3.5, 3.5, CONVOLUTION, new Color(0x5A93FF));
        appBlock(g, 9.5, 10, ACTIVATION, new Color(0xFF9A3D));
        appBlock(g, 3.5, 16.5, LINEAR, new Color(0xA57BFF));
        if (size >= 32) {                                  // ports where the wires attach
            for (double[] port : new double[][] {{9, 7.5}, {15, 10}, {15, 14}, {9, 16.5}}) {
                g.setColor(white(1));
                g.fill(circle(port[0], port[1], 0.9));
            }
        }
        g.dispose();
        return img;
    }

    /** One layer block of the application icon: 11 x 4 units, a lighter top half for depth. */
    static void appBlock(Graphics2D g, double x, double y, Color base, Color light) {
        g.setColor(base);
        g.fill(roundRect(x, y, 11, 4, 1.2));
        g.setColor(light);
        g.fill(roundRect(x, y, 11, 2.4, 1.2));
        g.setColor(base);
        g.fill(rect(x, y + 1.6, 11, 0.8));
    }

    /** Vertical S-shaped wire between two ports of the application icon. */
    static void appWire(Graphics2D g, double x1, double y1, double x2, double y2, double width) {
        Path2D p = new Path2D.Double();
        double my = (y1 + y2) / 2;
        p.moveTo(x1, y1);
        p.curveTo(x1, my + 1, x2, my - 1, x2, y2);
        stroke(g, p, width, 0.85);
    }

    // ---- contact sheet -----------------------------------------------------------------------

    /**
     * Review sheet: each icon at 1x and 2x, then 1x magnified 6x and 2x magnified 3x (nearest
     * neighbour, to judge the actual pixels), on a light strip and on a dark strip; then the
     * application icon sizes. Optional names restrict the sheet to those icons ("deepcanvas" keeps
     * the application icon strip; "overview" switches to {@link #overview()}).
     */
    static BufferedImage contactSheet(List<String> only) {
        if (only.contains("overview")) {
            return overview();
        }
        List<Icon> icons = ICONS.stream().filter(i -> only.isEmpty() || only.contains(i.name())).toList();
        int cols = 2, cellW = 430, cellH = 175;
        int rows = (icons.size() + cols - 1) / cols;
        int width = cols * cellW, appH = only.isEmpty() || only.contains("deepcanvas") ? 2 * 280 : 0;
        int height = 2 * rows * cellH + appH;
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        Color[] backgrounds = {new Color(0xFFFFFF), new Color(0x2B2D30)};
        Color[] text = {new Color(0x333333), new Color(0xDDDDDD)};
        for (int strip = 0; strip < 2; strip++) {
            int top = strip * rows * cellH;
            g.setColor(backgrounds[strip]);
            g.fillRect(0, top, width, rows * cellH);
            for (int i = 0; i < icons.size(); i++) {
                Icon icon = icons.get(i);
                int x = (i % cols) * cellW + 10, y = top + (i / cols) * cellH + 6;
                g.setColor(text[strip]);
                g.drawString(icon.name(), x, y + 12);
                BufferedImage one = renderIcon(icon, 24), two = renderIcon(icon, 48);
                g.drawImage(one, x, y + 24, null);
                g.drawImage(two, x + 32, y + 24, null);
                g.drawImage(one, x + 100, y + 20, 144, 144, null);
                g.drawImage(two, x + 260, y + 20, 144, 144, null);
            }
        }
        for (int strip = 0; appH > 0 && strip < 2; strip++) {
            int y0 = 2 * rows * cellH + strip * appH / 2;
            g.setColor(backgrounds[strip]);
            g.fillRect(0, y0, width, appH / 2);
            int x = 10;
            for (int size : APP_SIZES) {
                g.drawImage(renderApp(size), x, y0 + 10, null);
                x += size + 14;
            }
            g.drawImage(renderApp(16), x, y0 + 10, 96, 96, null);
            g.drawImage(renderApp(32), x, y0 + 120, 96, 96, null);
        }
        g.dispose();
        return sheet;
    }

    /** Whole set at a glance: 2x and 1x rows on light and dark, the sheet then magnified 2x. */
    static BufferedImage overview() {
        int perRow = 8, pitch = 58, rowH = 100;
        int rows = (ICONS.size() + perRow - 1) / perRow;
        int width = perRow * pitch + 12, stripH = rows * rowH + 10;
        BufferedImage sheet = new BufferedImage(width, 2 * stripH, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = sheet.createGraphics();
        Color[] backgrounds = {new Color(0xF5F5F5), new Color(0x2B2D30)};
        for (int strip = 0; strip < 2; strip++) {
            g.setColor(backgrounds[strip]);
            g.fillRect(0, strip * stripH, width, stripH);
            for (int i = 0; i < ICONS.size(); i++) {
                int x = 10 + (i % perRow) * pitch, y = strip * stripH + 10 + (i / perRow) * rowH;
                g.drawImage(renderIcon(ICONS.get(i), 48), x, y, null);
                g.drawImage(renderIcon(ICONS.get(i), 24), x + 12, y + 58, null);
            }
        }
        g.dispose();
        BufferedImage big = new BufferedImage(2 * width, 4 * stripH, BufferedImage.TYPE_INT_ARGB);
        Graphics2D b = big.createGraphics();
        b.drawImage(sheet, 0, 0, 2 * width, 4 * stripH, null);
        b.dispose();
        return big;
    }
}
