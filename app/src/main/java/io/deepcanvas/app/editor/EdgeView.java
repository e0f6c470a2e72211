package io.deepcanvas.app.editor;

import io.deepcanvas.engine.graph.Edge;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.QuadCurveTo;
import java.util.ArrayList;
import java.util.List;

/**
 * A link from an output port to an input port: a horizontal S-curve when it runs forwards, and when it runs backwards
 * (into the next band of a wrapped layout) a route down into the gap between the bands, across, and back in, with
 * rounded corners, so it never cuts through the layers between. A wide transparent twin of the line takes the
 * clicks, so a 2-pixel line is easy to hit.
 */
final class EdgeView extends Group {
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass REFUSED = PseudoClass.getPseudoClass("refused");

    final Edge edge;
    private final Path line = new Path();
    private final Path hit = new Path();
    private Point2D start = Point2D.ZERO;
    private Point2D end = Point2D.ZERO;

    EdgeView(Edge edge) {
        this.edge = edge;
        getStyleClass().add("edge-view");
        if (edge != null) {
            setId("edge-" + edge.from() + "-" + edge.to() + "-" + edge.toPort());
        }
        line.getStyleClass().add("edge-line");
        line.setFill(null);
        line.setMouseTransparent(true);
        hit.getStyleClass().add("edge-hit");
        hit.setFill(null);
        hit.setStroke(Color.TRANSPARENT);
        hit.setStrokeWidth(12);
        getChildren().addAll(hit, line);
    }

    void setEnds(Point2D from, Point2D to) {
        if (from.equals(start) && to.equals(end) && !line.getElements().isEmpty()) {
            return; // most refreshes move nothing: rebuilding 300 paths would recompute every bound for nothing
        }
        start = from;
        end = to;
        List<PathElement> route = to.getX() >= from.getX() - 1 ? curve(from, to) : detour(from, to);
        line.getElements().setAll(route);
        hit.getElements().setAll(route);
    }

    private static List<PathElement> curve(Point2D a, Point2D b) {
        double bend = Math.max(40, (b.getX() - a.getX()) / 2);
        return List.of(new MoveTo(a.getX(), a.getY()), new CubicCurveTo(a.getX() + bend, a.getY(), b.getX() - bend,
                b.getY(), b.getX(), b.getY()));
    }

    private static List<PathElement> detour(Point2D a, Point2D b) {
        double out = 18;
        double r = 10;
        double midY = (a.getY() + b.getY()) / 2;
        double x1 = a.getX() + out;
        double x2 = b.getX() - out;
        double down = Math.signum(midY - a.getY());
        double down2 = Math.signum(b.getY() - midY);
        List<PathElement> p = new ArrayList<>();
        p.add(new MoveTo(a.getX(), a.getY()));
        p.add(new LineTo(x1 - r, a.getY()));
        p.add(new QuadCurveTo(x1, a.getY(), x1, a.getY() + r * down));
        p.add(new LineTo(x1, midY - r * down));
        p.add(new QuadCurveTo(x1, midY, x1 - r, midY));
        p.add(new LineTo(x2 + r, midY));
        p.add(new QuadCurveTo(x2, midY, x2, midY + r * down2));
        p.add(new LineTo(x2, b.getY() - r * down2));
        p.add(new QuadCurveTo(x2, b.getY(), x2 + r, b.getY()));
        p.add(new LineTo(b.getX(), b.getY()));
        return p;
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(SELECTED, selected);
    }

    /** For the link being dragged: greyed when the drop would be refused. */
    void setRefused(boolean refused) {
        pseudoClassStateChanged(REFUSED, refused);
    }

    /** Whether the line passes within the hit width of {@code p} (canvas coordinates). */
    boolean passesNear(Point2D p) {
        return hit.contains(hit.parentToLocal(p));
    }
}
