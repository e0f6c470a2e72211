package io.deepcanvas.app.model;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.ClassCount;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.LayerParams;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mechanical fixes the editor offers for a problem: a Linear fed an image gets a Flatten before it, a kernel
 * larger than its input is reduced (or, for a convolution, the input padded), a dangling layer is deleted, the
 * last Linear gets one output per class of the data set. Fixes are
 * found from the graph's structure, not by reading messages, so they survive a translated or reworded message.
 */
public final class Fixes {
    private Fixes() {
    }

    /** The fixes for {@code p} in {@code graph} as {@code report} sees it; empty when the fix is not mechanical. */
    public static List<Fix> forProblem(Problem p, NetworkGraph graph, ShapeReport report) {
        List<Fix> out = new ArrayList<>();
        Node node = p.nodeId() == null ? null : graph.node(p.nodeId());
        if (node == null) {
            return out;
        }
        switch (p.kind()) {
            case SHAPE_MISMATCH -> {
                Shape in = inputShape(graph, report, node, 0);
                if (in == null) {
                    break;
                }
                if (node.type().equals("Linear") && in.rank() > 1) {
                    out.add(insertFlatten(graph, node));
                }
                if (isWindowed(node) && in.rank() == 3) {
                    kernelFixes(node, in, out);
                }
            }
            case NOT_CONNECTED, DEAD_END -> out.add(new Fix(I18n.text("fix.delete", node.label()),
                    g -> g.remove(node.id())));
            case CLASS_COUNT -> classCountFix(report, graph, out);
            default -> { }
        }
        return out;
    }

    /**
     * One output per class of the data set: the Linear that decides the output count (the last node, or the last
     * Linear before layers that keep the shape) gets that many out_features. An image-shaped output has no such
     * Linear; its message says to add Flatten and a Linear.
     */
    private static void classCountFix(ShapeReport report, NetworkGraph graph, List<Fix> out) {
        String linear = ClassCount.lastLinear(report);
        int classes = ClassCount.expected(report);
        if (linear == null || classes == 0 || graph.node(linear) == null) {
            return;
        }
        Node fc = graph.node(linear);
        out.add(new Fix(I18n.text("fix.classCount", fc.label(), classes),
                g -> g.require(linear).setParam("out_features", classes)));
    }

    private static boolean isWindowed(Node n) {
        return n.type().equals("Conv2d") || n.type().equals("MaxPool2d") || n.type().equals("AvgPool2d");
    }

    private static Shape inputShape(NetworkGraph graph, ShapeReport report, Node node, int port) {
        for (Edge e : graph.inputsOf(node.id())) {
            if (e.toPort() == port) {
                return report.outputShape(e.from());
            }
        }
        return null;
    }

    /** Flatten placed where the Linear was; the Linear and everything after it move one step right. */
    private static Fix insertFlatten(NetworkGraph graph, Node linear) {
        String id = freshId(graph, "flatten");
        return new Fix(I18n.text("fix.insertFlatten", linear.label()), g -> {
            Node fc = g.require(linear.id());
            Edge in = g.inputsOf(fc.id()).get(0);
            double x = fc.x();
            double y = fc.y();
            EditorModel.shiftFrom(g, List.of(fc.id()), EditorModel.STEP_X);
            g.add(new Node(id, "Flatten", Map.of(), x, y));
            g.disconnect(in);
            g.connect(in.from(), id, 0);
            g.connect(id, fc.id(), in.toPort());
        });
    }

    private static void kernelFixes(Node node, Shape in, List<Fix> out) {
        LayerType t = LayerTypes.get(node.type());
        LayerParams p;
        try {
            p = t.resolve(node.id(), node.params());
        } catch (IllegalArgumentException e) {
            return; // a parameter is invalid: that problem comes first
        }
        int[] k = p.getPair("kernel_size");
        int[] pad = p.getPair("padding");
        int h = in.dim(1) + 2 * pad[0];
        int w = in.dim(2) + 2 * pad[1];
        if (k[0] <= h && k[1] <= w) {
            return; // the problem is something else (stride, dilation)
        }
        int fit = Math.max(1, Math.min(Math.min(h, w), Math.max(k[0], k[1])));
        out.add(new Fix(I18n.text("fix.reduceKernel", node.label(), fit),
                g -> g.require(node.id()).setParam("kernel_size", fit)));
        if (node.type().equals("Conv2d")) {
            int need = Math.max((k[0] - in.dim(1) + 1) / 2, (k[1] - in.dim(2) + 1) / 2);
            out.add(new Fix(I18n.text("fix.pad", node.label(), need),
                    g -> g.require(node.id()).setParam("padding", need)));
        }
    }

    private static String freshId(NetworkGraph g, String base) {
        for (int i = 1; ; i++) {
            if (!g.contains(base + i)) {
                return base + i;
            }
        }
    }
}
