package io.deepcanvas.engine.graph;

import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything DeepCanvas knows about one kind of layer, in one place: how the palette shows it, its parameter schema,
 * its shape rule, its parameter and multiply-accumulate counts, the engine {@link Module} it becomes and its PyTorch
 * code. Adding a layer means one subclass (in {@code graph.layers}) registered in {@link LayerTypes}, plus its test.
 *
 * <p><b>Shapes exclude the batch dimension.</b> The editor shows and reasons about one sample: an Input of shape
 * {@code [1, 32, 32]} feeding {@code Conv2d(out_channels=6, kernel_size=5)} gives {@code [6, 28, 28]}; at run time
 * the tensors are {@code [batch, 1, 32, 32]} and {@code [batch, 6, 28, 28]}. Input sizes such as
 * {@code in_channels} and {@code in_features} are never parameters: they come from the input shapes.
 */
public abstract class LayerType {
    private final String name;
    private final String displayName;
    private final Category category;
    private final String icon;
    private final String description;
    private final List<ParamSpec> params;

    /**
     * @param name the type name used in project files and code, as PyTorch spells the class ({@code Conv2d})
     * @param icon the icon's base name ({@code conv2d} → {@code icons/conv2d.png})
     */
    protected LayerType(String name, String displayName, Category category, String icon, String description,
                        ParamSpec... params) {
        this.name = name;
        this.displayName = displayName;
        this.category = category;
        this.icon = icon;
        this.description = description;
        this.params = List.of(params);
    }

    public final String name() {
        return name;
    }

    /** The name on the palette and on the node. */
    public final String displayName() {
        return displayName;
    }

    public final Category category() {
        return category;
    }

    public final String icon() {
        return icon;
    }

    /** One sentence for the palette's tooltip. */
    public final String description() {
        return description;
    }

    /** The parameter schema in the order the inspector shows it. */
    public final List<ParamSpec> params() {
        return params;
    }

    /** The schema entry for {@code name}, or null if this layer has no such parameter. */
    public final ParamSpec param(String name) {
        for (ParamSpec p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The fewest input edges the layer needs: 0 for Input, 2 for the merges, 1 for the rest. */
    public int minInputs() {
        return 1;
    }

    /** The most input edges the layer takes ({@link Integer#MAX_VALUE} for the merges). */
    public int maxInputs() {
        return 1;
    }

    /** Whether this is the network's entry point, which receives the batch instead of computing anything. */
    public boolean isInput() {
        return false;
    }

    /**
     * Checks {@code values} (a node's parameters) against the schema and fills in defaults. Every problem is added to
     * {@code errors} as a sentence such as {@code kernel_size must be >= 1, got 0}, including parameters the schema
     * does not know; the returned params are then incomplete and must not be used.
     */
    public final LayerParams resolve(String nodeId, Map<String, ?> values, List<String> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParamSpec spec : params) {
            Object raw = values.containsKey(spec.name()) ? values.get(spec.name()) : spec.defaultValue();
            try {
                out.put(spec.name(), spec.convert(raw));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
                out.put(spec.name(), spec.defaultValue());
            }
        }
        for (String key : values.keySet()) {
            if (param(key) == null) {
                errors.add("has no parameter '" + key + "'" + (params.isEmpty() ? ": it takes none, remove it"
                        : " (its parameters are " + String.join(", ", params.stream().map(ParamSpec::name).toList())
                        + ")"));
            }
        }
        return new LayerParams(this, nodeId, out);
    }

    /** Resolves {@code values} or throws with every problem listed; for code that builds graphs by hand. */
    public final LayerParams resolve(String nodeId, Map<String, ?> values) {
        List<String> errors = new java.util.ArrayList<>();
        LayerParams p = resolve(nodeId, values, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(name + " '" + nodeId + "': " + String.join("; ", errors));
        }
        return p;
    }

    /**
     * The shape rule: the output shape (without batch) for these inputs, or a {@link ShapeError} whose message names
     * the fix. {@code inputs} has one shape per port, in port order, and its size is within
     * [{@link #minInputs()}, {@link #maxInputs()}]. Pure int arithmetic: it runs after every edit.
     */
    public abstract Shape outputShape(LayerParams p, List<Shape> inputs);

    /** Learnable values of the layer for these (valid) inputs; 0 for layers without weights. */
    public long parameterCount(LayerParams p, List<Shape> inputs) {
        return 0;
    }

    /**
     * Multiply-accumulates of one sample's forward pass, counting the convolutions and matrix products (as
     * torchinfo's "mult-adds" do); element-wise layers and pooling count 0.
     */
    public long macs(LayerParams p, List<Shape> inputs, Shape output) {
        return 0;
    }

    /**
     * The engine module for a node whose inputs have these (valid) shapes, with input sizes taken from them; null
     * for layers that are plain expressions in {@code forward} (Input, Add, Concat).
     */
    public abstract Module createModule(LayerParams p, List<Shape> inputs);

    /**
     * Runs the layer on batched tensors (one per port); {@code module} is what {@link #createModule} returned. The
     * default calls the module on the single input.
     */
    public Tensor forward(Module module, LayerParams p, List<Tensor> inputs) {
        return module.forward(inputs.get(0));
    }

    /**
     * The PyTorch constructor, as written in {@code __init__}: {@code nn.Conv2d(1, 6, kernel_size=5)}; null where
     * {@link #createModule} gives null.
     */
    public abstract String pytorchModule(LayerParams p, List<Shape> inputs);

    /**
     * The expression computing this layer in PyTorch's {@code forward}: {@code self.conv1(x)} for a module,
     * {@code a + b} or {@code torch.cat([a, b], dim=1)} for a merge. {@code self} is the module reference
     * ({@code self.conv1}), {@code inputs} the variable names per port.
     */
    public String pytorchForward(LayerParams p, String self, List<String> inputs) {
        return self + "(" + inputs.get(0) + ")";
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- helpers for the shape rules ------------------------------------------------------------------------

    /** The shape in the user's words: {@code [16, 5, 5]}. */
    protected static String show(Shape s) {
        return s.toString();
    }

    /** Channels-height-width input check shared by the 2-D layers. */
    protected final Shape requireImage(Shape in) {
        if (in.rank() != 3) {
            throw new ShapeError(0, "expects an image [channels, height, width] but receives " + show(in)
                    + (in.rank() == 1 ? ": it must come before Flatten, not after"
                    : ": put it after a Conv2d, or give the Input a shape such as [1, 28, 28]"));
        }
        return in;
    }
}
