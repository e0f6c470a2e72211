package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.nn.Repr;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one line of Python call syntax for code export, such as {@code nn.Conv2d(1, 6, kernel_size=5)}, writing
 * values as Python literals ({@code True}, {@code 1e-05}, a square pair as its single number).
 */
public final class PyCall {
    private final String callee;
    private final List<String> args = new ArrayList<>();

    public PyCall(String callee) {
        this.callee = callee;
    }

    /** Appends a positional argument. */
    public PyCall arg(Object value) {
        args.add(literal(value));
        return this;
    }

    /** Appends {@code name=value}. */
    public PyCall kw(String name, Object value) {
        args.add(name + "=" + literal(value));
        return this;
    }

    /** Appends {@code name=value} unless the node leaves the parameter at its default. */
    public PyCall kwIfSet(LayerParams p, String name) {
        return p.isDefault(name) || p.get(name) == null ? this : kw(name, p.get(name));
    }

    /** A parameter value as a Python literal; a pair whose halves are equal becomes one number, as people write it. */
    public static String literal(Object v) {
        if (v instanceof Boolean b) {
            return Repr.py(b);
        }
        if (v instanceof Double d) {
            return Repr.py(d);
        }
        if (v instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v instanceof List<?> l) {
            if (l.size() == 2 && l.get(0).equals(l.get(1))) {
                return l.get(0).toString();
            }
            return l.size() == 2 ? "(" + l.get(0) + ", " + l.get(1) + ")" : l.toString();
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return callee + "(" + String.join(", ", args) + ")";
    }
}
