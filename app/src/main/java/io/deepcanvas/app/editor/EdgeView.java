package io.deepcanvas.app.editor;

import io.deepcanvas.engine.graph.Edge;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.paint.Color;
import javafx.scene.shape.CubicCurve;

/**
 * A link from an output port to an input port, drawn as a horizontal S-curve. A wide transparent twin of the curve
 * takes the clicks, so a 2-pixel line is easy to hit.
 */
final class EdgeView extends Group {
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass REFUSED = PseudoClass.getPseudoClass("refused");

    final Edge edge;
    private final CubicCurve line = new CubicCurve();
    private final CubicCurve hit = new CubicCurve();

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
        // a link running backwards (to the next band of a wrapped layout) swings out a little, not across the canvas
        double bend = to.getX() >= from.getX() ? Math.max(40, (to.getX() - from.getX()) / 2) : 80;
        for (CubicCurve c : new CubicCurve[]{line, hit}) {
            c.setStartX(from.getX());
            c.setStartY(from.getY());
            c.setControlX1(from.getX() + bend);
            c.setControlY1(from.getY());
            c.setControlX2(to.getX() - bend);
            c.setControlY2(to.getY());
            c.setEndX(to.getX());
            c.setEndY(to.getY());
        }
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(SELECTED, selected);
    }

    /** For the link being dragged: greyed when the drop would be refused. */
    void setRefused(boolean refused) {
        pseudoClassStateChanged(REFUSED, refused);
    }

    /** Whether the curve passes within the hit width of {@code p} (canvas coordinates). */
    boolean passesNear(Point2D p) {
        return hit.contains(hit.parentToLocal(p));
    }

    /** The curve's midpoint, where a node dropped onto it is placed. */
    Point2D midpoint() {
        double x = (line.getStartX() + 3 * line.getControlX1() + 3 * line.getControlX2() + line.getEndX()) / 8;
        double y = (line.getStartY() + 3 * line.getControlY1() + 3 * line.getControlY2() + line.getEndY()) / 8;
        return new Point2D(x, y);
    }
}
