package io.deepcanvas.app.model;

import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import java.util.Iterator;

/** Comparisons of whole graphs, for tests of undo and for skipping edits that changed nothing. */
public final class Graphs {
    private Graphs() {
    }

    /** Same nodes in the same order (id, type, label, params, position) and the same edges in the same order. */
    public static boolean sameGraph(NetworkGraph a, NetworkGraph b) {
        if (a.nodes().size() != b.nodes().size() || !a.edges().equals(b.edges())) {
            return false;
        }
        Iterator<Node> ia = a.nodes().iterator();
        Iterator<Node> ib = b.nodes().iterator();
        while (ia.hasNext()) {
            Node x = ia.next();
            Node y = ib.next();
            if (!x.id().equals(y.id()) || !x.type().equals(y.type()) || !x.label().equals(y.label())
                    || !x.params().equals(y.params()) || x.x() != y.x() || x.y() != y.y()) {
                return false;
            }
        }
        return true;
    }
}
