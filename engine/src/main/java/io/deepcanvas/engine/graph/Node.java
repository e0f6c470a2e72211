package io.deepcanvas.engine.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer on the canvas: a unique id, its layer type name ({@code Conv2d}), its hyperparameters, a label used
 * for parameter names in the compiled module ({@code conv1} → {@code conv1.weight}) and its canvas position.
 *
 * <p>Parameter values are plain Java values so the model is easy to copy, compare and serialise: {@link Integer},
 * {@link Double}, {@link Boolean}, {@link String}, or an unmodifiable {@code List<Integer>} (a pair such as a
 * kernel size {@code [5, 5]}, or the Input node's sample shape). The layer's schema decides which is expected.
 */
public final class Node {
    private final String id;
    private String type;
    private String label;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private double x;
    private double y;

    public Node(String id, String type, Map<String, ?> params, double x, double y) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a node needs a non-empty id");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("node '" + id + "' needs a layer type");
        }
        this.id = id;
        this.type = type;
        this.label = id;
        this.x = x;
        this.y = y;
        if (params != null) {
            params.forEach(this::setParam);
        }
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    /** The name used for this layer's parameters and in exported code; defaults to the id. */
    public String label() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label == null || label.isBlank() ? id : label;
    }

    /** Hyperparameters in insertion order, read-only; change them with {@link #setParam}. */
    public Map<String, Object> params() {
        return Collections.unmodifiableMap(params);
    }

    public Object param(String name) {
        return params.get(name);
    }

    /** Sets (or with null removes) a hyperparameter, normalising numbers and lists to the model's value types. */
    public void setParam(String name, Object value) {
        if (value == null) {
            params.remove(name);
        } else {
            params.put(name, normalize(name, value));
        }
    }

    private Object normalize(String name, Object v) {
        if (v instanceof Integer || v instanceof Double || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof int[] a) {
            return List.of(java.util.Arrays.stream(a).boxed().toArray(Integer[]::new));
        }
        if (v instanceof List<?> l) {
            Integer[] out = new Integer[l.size()];
            for (int i = 0; i < out.length; i++) {
                Object e = l.get(i);
                if (!(e instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException("node '" + id + "' parameter '" + name
                            + "': list values must be whole numbers, got " + l);
                }
                out[i] = n.intValue();
            }
            return List.of(out);
        }
        throw new IllegalArgumentException("node '" + id + "' parameter '" + name + "': unsupported value " + v
                + " (" + v.getClass().getSimpleName() + ")");
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public void moveTo(double x, double y) {
        this.x = x;
        this.y = y;
    }

    /** A deep copy (parameter values are immutable, so copying the map suffices). */
    public Node copy() {
        Node n = new Node(id, type, params, x, y);
        n.label = label;
        return n;
    }

    @Override
    public String toString() {
        return type + " '" + id + "'";
    }
}
