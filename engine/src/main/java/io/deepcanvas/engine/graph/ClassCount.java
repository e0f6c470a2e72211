package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.tensor.Shape;
import java.util.Locale;
import java.util.Map;

/**
 * The number of classes a network must output for the data set its Input node names (10 for MNIST's digits), and
 * the Linear layer whose {@code out_features} sets it. Checked with the shapes, so a network that cannot fit its
 * labels is a problem in the editor and {@code summary}, not {@code Target 9 is out of bounds} at the first step.
 */
public final class ClassCount {
    private ClassCount() {
    }

    /** The classes of a data set named as an Input node's {@code dataset} parameter; 0 when it is not known. */
    public static int of(String dataset) {
        return dataset != null && dataset.toLowerCase(Locale.ROOT).equals("mnist") ? 10 : 0;
    }

    /** The classes the network of {@code report} must output, from its Input node; 0 when unknown. */
    public static int expected(ShapeReport report) {
        NodeInfo input = report.inputId() == null ? null : report.info(report.inputId());
        return input == null ? 0 : of(input.params().getString("dataset"));
    }

    /**
     * The Linear layer that decides how many values the network outputs: the output node itself, or the last Linear
     * before it when only layers that keep the shape (ReLU, Softmax, Dropout...) follow it; null when there is none.
     */
    public static String lastLinear(ShapeReport report) {
        return report.outputId() == null ? null : lastLinear(report.nodes(), report.outputId());
    }

    static String lastLinear(Map<String, NodeInfo> nodes, String outputId) {
        NodeInfo n = nodes.get(outputId);
        while (n != null) {
            if (n.type().name().equals("Linear")) {
                return n.id();
            }
            // only a one-input layer whose output has its input's shape passes the count through unchanged
            if (n.inputs().size() != 1 || !n.outputShape().equals(n.inputShapes().get(0))) {
                return null;
            }
            n = nodes.get(n.inputs().get(0));
        }
        return null;
    }

    /**
     * The message for an output of shape {@code out} at {@code where} (e.g. {@code Linear 'fc3'}), when a network
     * for {@code dataset} must output {@code classes} values; null when the shape fits.
     */
    static String mismatch(String where, Shape out, int classes, String dataset, String linear) {
        if (classes == 0 || (out.rank() == 1 && out.dim(0) == classes)) {
            return null;
        }
        String has = out.rank() == 1 ? out.dim(0) + (out.dim(0) == 1 ? " value" : " values") : out.toString();
        String fix;
        if (out.rank() == 1 && linear != null) {
            fix = "set out_features of Linear '" + linear + "' to " + classes;
        } else if (out.rank() == 1) {
            fix = "end the network with a Linear layer with out_features " + classes;
        } else {
            fix = "end the network with Flatten and a Linear layer with out_features " + classes;
        }
        return where + ": the network outputs " + has + " per image but " + dataset.toUpperCase(Locale.ROOT)
                + " has " + classes + " classes (the digits 0-9), one output each: " + fix;
    }
}
