package io.deepcanvas.app.editor;

import io.deepcanvas.app.editor.InspectorValues.Result;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.model.NodeCaption;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.NodeInfo;
import io.deepcanvas.engine.graph.ParamSpec;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.graph.ShapeInference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The inspector's rows for one layer, built from its type's {@link ParamSpec} schema: Layer (name, type), Parameters
 * (one row per spec, the editor chosen by its kind) and Inferred (input sizes, output shape and parameter count from
 * shape inference). No controls here: the rows read and edit through the {@link EditorModel}, so they are tested
 * without the FX thread.
 */
final class InspectorLayerItems {
    /** Input sizes PyTorch's constructors take and DeepCanvas infers: the name shown, and the layers that have it. */
    private static final List<String> IN_CHANNELS = List.of("Conv2d", "BatchNorm2d");
    private static final List<String> IN_FEATURES = List.of("Linear", "BatchNorm1d");

    private final EditorModel model;
    private final String nodeId;

    private InspectorLayerItems(EditorModel model, String nodeId) {
        this.model = model;
        this.nodeId = nodeId;
    }

    /** The rows for node {@code nodeId} of type {@code type}, in the order the sheet shows them. */
    static List<InspectorItem> build(EditorModel model, String nodeId, LayerType type) {
        return new InspectorLayerItems(model, nodeId).items(type);
    }

    private List<InspectorItem> items(LayerType type) {
        String layer = I18n.text("inspector.group.layer");
        String params = I18n.text("inspector.group.params");
        String inferred = I18n.text("inspector.group.inferred");
        List<InspectorItem> items = new ArrayList<>();
        items.add(InspectorItem.text("inspectorName", layer, I18n.text("inspector.label"),
                I18n.text("inspector.label.description"), nodeId, () -> node() == null ? "" : node().label(),
                this::parseLabel, v -> commitLabel((String) v)));
        items.add(InspectorItem.display("inspectorType", layer, I18n.text("inspector.type"), describe(type),
                type::displayName));
        for (ParamSpec spec : type.params()) {
            items.add(param(params, spec));
        }
        String inName = IN_CHANNELS.contains(type.name()) ? "inspector.in_channels"
                : IN_FEATURES.contains(type.name()) ? "inspector.in_features" : null;
        if (inName != null) {
            items.add(inferred("inferred-" + inName.substring("inspector.".length()), inferred, inName,
                    i -> i.inputShapes().isEmpty() || i.inputShapes().get(0).rank() == 0 ? null
                            : NodeCaption.count(i.inputShapes().get(0).dim(0))));
        }
        items.add(inferred("inferred-outputShape", inferred, "inspector.outputShape",
                i -> NodeCaption.shape(i.outputShape())));
        items.add(inferred("inferred-parameters", inferred, "inspector.parameters",
                i -> NodeCaption.count(i.parameters())));
        return items;
    }

    private Node node() {
        return model.graph().node(nodeId);
    }

    private static String describe(LayerType type) {
        String key = "layer." + type.name();
        return I18n.has(key) ? I18n.text(key) : type.description();
    }

    // ---- parameters ---------------------------------------------------------------------------------------

    private InspectorItem param(String category, ParamSpec spec) {
        String name = spec.name();
        String id = "param-" + name;
        String description = description(spec);
        return switch (spec.kind()) {
            case BOOL -> InspectorItem.check(id, category, name, description, () -> effective(spec),
                    v -> commitParam(spec, v));
            case CHOICE -> InspectorItem.choice(id, category, name, description, spec.choices(),
                    () -> effective(spec), v -> commitParam(spec, v));
            default -> InspectorItem.text(id, category, name, description, prompt(spec),
                    () -> InspectorValues.format(stored(spec)), text -> InspectorValues.parse(spec, text),
                    v -> commitParam(spec, v));
        };
    }

    /** The translated one-liner, with the allowed range: the tooltip of the row and of its editor. */
    static String description(ParamSpec spec) {
        String key = "param." + spec.name();
        String text = I18n.has(key) ? I18n.text(key) : spec.description();
        String allowed = InspectorValues.allowed(spec);
        return allowed == null ? text : I18n.text("inspector.describe", text, allowed);
    }

    /** The empty field's hint: the value the layer uses when none is set. */
    private static String prompt(ParamSpec spec) {
        return spec.defaultValue() == null ? I18n.text("inspector.unset") : InspectorValues.format(spec.defaultValue());
    }

    /** What the node stores, shown as stored (even if invalid); the default where nothing is stored. */
    private Object stored(ParamSpec spec) {
        Node n = node();
        Object raw = n == null ? null : n.param(spec.name());
        return raw != null ? raw : spec.defaultValue();
    }

    private Object effective(ParamSpec spec) {
        return InspectorValues.canonical(spec, stored(spec));
    }

    /** One undoable command, unless the value means what the node already holds ([5, 5] is 5, unset is default). */
    private void commitParam(ParamSpec spec, Object value) {
        if (node() == null || Objects.equals(InspectorValues.canonical(spec, value), effective(spec))) {
            return;
        }
        model.setParam(nodeId, spec.name(), value);
    }

    // ---- label --------------------------------------------------------------------------------------------

    /**
     * A label must name a Python attribute and be unique. The engine's rule decides (shape inference on a copy
     * with the new label, microseconds), so the inspector cannot drift from what export and compile accept.
     */
    private Result parseLabel(String text) {
        String label = text == null ? "" : text.strip();
        if (label.isEmpty()) {
            return Result.ok(nodeId); // an empty name falls back to the id, as Node.setLabel does
        }
        NetworkGraph graph = model.graph();
        for (Node other : graph.nodes()) {
            if (!other.id().equals(nodeId) && other.label().equals(label)) {
                return Result.error(I18n.text("inspector.labelTaken", label));
            }
        }
        if (!graph.contains(nodeId)) {
            return Result.ok(label);
        }
        NetworkGraph trial = graph.copy();
        trial.require(nodeId).setLabel(label);
        for (Problem p : ShapeInference.infer(trial).problemsAt(nodeId)) {
            if (p.kind() == Problem.Kind.INVALID_LABEL) {
                return Result.error(p.message());
            }
        }
        return Result.ok(label);
    }

    private void commitLabel(String label) {
        Node n = node();
        if (n != null && !n.label().equals(label)) {
            model.setLabel(nodeId, label);
        }
    }

    // ---- inferred -----------------------------------------------------------------------------------------

    /** A read-only row from shape inference; an em dash while the shape is unknown (a problem upstream). */
    private InspectorItem inferred(String id, String category, String key, Function<NodeInfo, String> value) {
        return InspectorItem.display(id, category, I18n.text(key), I18n.text("inspector.inferred"), () -> {
            NodeInfo info = model.report().info(nodeId);
            String v = info == null ? null : value.apply(info);
            return v == null ? "—" : v;
        });
    }
}
