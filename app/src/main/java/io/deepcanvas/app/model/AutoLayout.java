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
 * flows one way; nodes sharing a column are stacked around the main row. Nodes on a cycle keep their column order
 * of insertion after the others.
 */
final class AutoLayout {
    private AutoLayout() {
    }

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
        columns.forEach((col, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                // 0, +1, -1, +2, ...: the first node of a column stays on the main row
                int slot = (i + 1) / 2 * (i % 2 == 1 ? 1 : -1);
                graph.require(ids.get(i)).moveTo(x0 + col * dx, y0 + slot * dy);
            }
        });
    }
}
