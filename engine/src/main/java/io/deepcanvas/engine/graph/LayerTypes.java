package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.graph.layers.AddLayer;
import io.deepcanvas.engine.graph.layers.AvgPool2dLayer;
import io.deepcanvas.engine.graph.layers.BatchNorm1dLayer;
import io.deepcanvas.engine.graph.layers.BatchNorm2dLayer;
import io.deepcanvas.engine.graph.layers.ConcatLayer;
import io.deepcanvas.engine.graph.layers.Conv2dLayer;
import io.deepcanvas.engine.graph.layers.DropoutLayer;
import io.deepcanvas.engine.graph.layers.FlattenLayer;
import io.deepcanvas.engine.graph.layers.InputLayer;
import io.deepcanvas.engine.graph.layers.LeakyReLULayer;
import io.deepcanvas.engine.graph.layers.LinearLayer;
import io.deepcanvas.engine.graph.layers.MaxPool2dLayer;
import io.deepcanvas.engine.graph.layers.ReLULayer;
import io.deepcanvas.engine.graph.layers.SigmoidLayer;
import io.deepcanvas.engine.graph.layers.SoftmaxLayer;
import io.deepcanvas.engine.graph.layers.TanhLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of layer types by name, in palette order (categories in {@link Category} order). */
public final class LayerTypes {
    private static final List<LayerType> ALL = List.of(
            new InputLayer(),
            new Conv2dLayer(),
            new MaxPool2dLayer(), new AvgPool2dLayer(),
            new ReLULayer(), new LeakyReLULayer(), new SigmoidLayer(), new TanhLayer(), new SoftmaxLayer(),
            new LinearLayer(),
            new BatchNorm1dLayer(), new BatchNorm2dLayer(),
            new DropoutLayer(),
            new AddLayer(), new ConcatLayer(),
            new FlattenLayer());
    private static final Map<String, LayerType> BY_NAME = new LinkedHashMap<>();

    static {
        for (LayerType t : ALL) {
            if (BY_NAME.put(t.name(), t) != null) {
                throw new IllegalStateException("two layer types are named " + t.name());
            }
        }
    }

    private LayerTypes() {
    }

    /** Every layer type in palette order. */
    public static List<LayerType> all() {
        return ALL;
    }

    /** The type names in palette order: {@code Input, Conv2d, ...}. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The layer type called {@code name} (case-sensitive, as PyTorch spells it), if there is one. */
    public static Optional<LayerType> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The layer type called {@code name}, or an error that lists the known names. */
    public static LayerType get(String name) {
        LayerType t = BY_NAME.get(name);
        if (t == null) {
            throw new IllegalArgumentException(unknownMessage(name));
        }
        return t;
    }

    /** {@code unknown layer type 'Conv3d'; known types: Input, Conv2d, ...}, with a hint when only the case differs. */
    static String unknownMessage(String name) {
        String hint = "";
        for (String known : BY_NAME.keySet()) {
            if (known.equalsIgnoreCase(name)) {
                hint = " (did you mean '" + known + "'?)";
            }
        }
        return "unknown layer type '" + name + "'" + hint + "; known types: " + String.join(", ", BY_NAME.keySet());
    }
}
