package io.deepcanvas.engine.graph;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node's hyperparameters after {@link LayerType#resolve}: every parameter of the schema present in canonical form
 * (defaults filled in), so shape rules, factories and code export read typed values without re-checking them.
 * Immutable.
 */
public final class LayerParams {
    private final LayerType type;
    private final String nodeId;
    private final Map<String, Object> values;

    LayerParams(LayerType type, String nodeId, Map<String, Object> values) {
        this.type = type;
        this.nodeId = nodeId;
        this.values = Collections.unmodifiableMap(values);
    }

    public LayerType type() {
        return type;
    }

    /** The id of the node these values belong to, for messages such as "insert Flatten before 'fc1'". */
    public String nodeId() {
        return nodeId;
    }

    /** {@code Conv2d 'conv1'}: how messages name the node. */
    public String where() {
        return type.name() + " '" + nodeId + "'";
    }

    /** Every value in schema order (INT_PAIR and INT_LIST as {@code List<Integer>}); null where unset. */
    public Map<String, Object> values() {
        return values;
    }

    public Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(type.name() + " has no parameter '" + name + "'");
        }
        return values.get(name);
    }

    public int getInt(String name) {
        return (Integer) get(name);
    }

    public double getFloat(String name) {
        return (Double) get(name);
    }

    public boolean getBool(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    /** An INT_PAIR as {h, w}, or null when unset. */
    public int[] getPair(String name) {
        return toArray(get(name));
    }

    /** An INT_LIST as an array. */
    public int[] getIntList(String name) {
        return toArray(get(name));
    }

    private static int[] toArray(Object v) {
        if (v == null) {
            return null;
        }
        List<?> l = (List<?>) v;
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (Integer) l.get(i);
        }
        return a;
    }

    /** Whether the value equals the schema's default (code export leaves such arguments out). */
    public boolean isDefault(String name) {
        return Objects.equals(get(name), type.param(name).defaultValue());
    }

    @Override
    public String toString() {
        return where() + " " + values;
    }
}
