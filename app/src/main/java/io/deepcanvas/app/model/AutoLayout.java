package io.deepcanvas.app.model;

import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.ShapeReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Left-to-right layered layout: each node's column is the longest path to it from a node without inputs, so data
 * flows one way; nodes sharing a column are stacked around the main row. A network deeper than {@link #WRAP}
 * columns continues on a band below, like lines of text, so LeNet-5 reads at a legible zoom instead of as one
 * 2,400-pixel strip. Nodes on a cycle or unconnected come after the others.
 */
final class AutoLayout {
    private AutoLayout() {
    }

    /** Columns per band: seven nodes 200 px apart fit a laptop screen's canvas at a readable zoom. */
    static final int WRAP = 7;

    static void apply(NetworkGraph graph, ShapeReport report, double x0, double y0, double dx, double dy) {
        Map<String, Integer> depth = new HashMap<>();
        List<String> order = new ArrayList<>(report.order());
        for (Node n : graph.nodes()) {
            if (!order.contains(n.id())) {
                order.add(n.id()); // on or after a cycle, or unconnected
            }
        }
        for (String id : order) {
            int d = 0;
            for (Edge e : graph.inputsOf(id)) {
                Integer before = depth.get(e.from());
                if (before != null) {
                    d = Math.max(d, before + 1);
                }
            }
            depth.put(id, d);
        }
        Map<Integer, List<String>> columns = new LinkedHashMap<>();
        for (String id : order) {
            columns.computeIfAbsent(depth.get(id), k -> new ArrayList<>()).add(id);
        }
        int above = 0;
        int below = 0;
        for (List<String> ids : columns.values()) {
            below = Math.max(below, ids.size() / 2);
            above = Math.max(above, (ids.size() - 1) / 2);
        }
        // a band is as tall as its tallest column, plus a gap for the wrapping edge
        double band = (above + below + 1) * dy + 30;
        double top = y0 + above * dy;
        columns.forEach((col, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                // 0, +1, -1, +2, ...: the first node of a column stays on the main row
                int slot = (i + 1) / 2 * (i % 2 == 1 ? 1 : -1);
                graph.require(ids.get(i)).moveTo(x0 + col % WRAP * dx, top + col / WRAP * band + slot * dy);
            }
        });
    }
}
