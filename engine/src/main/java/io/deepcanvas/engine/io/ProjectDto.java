package io.deepcanvas.engine.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.io.StrictJson.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The project file as Gson sees it: plain fields in file order, every value boxed so a missing field reads as
 * null, and the explicit conversion to and from the domain model, which never sees Gson. A null field is left
 * out when writing, so optional values ({@code label}, {@code port}, optimizer extras) only appear when set.
 */
final class ProjectDto {
    String format;
    Integer formatVersion;
    String name;
    GraphDto graph;
    TrainingDto training;
    ViewDto view;
    String weights;

    static final class GraphDto {
        List<NodeDto> nodes;
        List<EdgeDto> edges;
    }

    static final class NodeDto {
        String id;
        String type;
        String label;
        Double x;
        Double y;
        JsonElement params; // values keep their JSON type (Integer vs Double), so they are converted by hand
    }

    static final class EdgeDto {
        String from;
        String to;
        Integer port;
    }

    static final class TrainingDto {
        String dataset;
        List<TransformDto> transforms;
        Integer batchSize;
        Integer epochs;
        Boolean shuffle;
        Long seed;
        String loss;
        OptimizerDto optimizer;
        String device;
    }

    static final class TransformDto {
        String type;
        Integer padding;
        Double mean;
        Double std;
    }

    /** One class for all optimizers: the fields a type does not have must stay null. */
    static final class OptimizerDto {
        String type;
        Double lr;
        Double momentum;
        Double dampening;
        List<Double> betas;
        Double alpha;
        Double eps;
        @SerializedName("weight_decay")
        Double weightDecay;
        Boolean nesterov;
        Boolean amsgrad;
        Boolean centered;
    }

    static final class ViewDto {
        Double zoom;
        Double panX;
        Double panY;
    }

    // ==== domain → file =======================================================================================

    static ProjectDto of(Project p) {
        ProjectDto d = new ProjectDto();
        d.format = ProjectFile.FORMAT;
        d.formatVersion = ProjectFile.FORMAT_VERSION;
        d.name = p.name();
        d.graph = graph(p.graph());
        d.training = training(p.training());
        d.view = new ViewDto();
        d.view.zoom = p.view().zoom();
        d.view.panX = p.view().panX();
        d.view.panY = p.view().panY();
        d.weights = p.weights();
        return d;
    }

    private static GraphDto graph(NetworkGraph g) {
        GraphDto d = new GraphDto();
        d.nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            NodeDto nd = new NodeDto();
            nd.id = n.id();
            nd.type = n.type();
            nd.label = n.label().equals(n.id()) ? null : n.label();
            if (!Double.isFinite(n.x()) || !Double.isFinite(n.y())) {
                throw new IllegalArgumentException(n + " is at (" + n.x() + ", " + n.y()
                        + "), which JSON cannot hold: move it to a finite position before saving");
            }
            nd.x = n.x();
            nd.y = n.y();
            JsonObject params = new JsonObject();
            n.params().forEach((k, v) -> params.add(k, paramToJson(n, k, v)));
            nd.params = params;
            d.nodes.add(nd);
        }
        d.edges = new ArrayList<>();
        for (Edge e : g.edges()) {
            EdgeDto ed = new EdgeDto();
            ed.from = e.from();
            ed.to = e.to();
            ed.port = e.toPort() == 0 ? null : e.toPort();
            d.edges.add(ed);
        }
        return d;
    }

    private static JsonElement paramToJson(Node n, String name, Object v) {
        if (v instanceof Integer i) {
            return new JsonPrimitive(i);
        } else if (v instanceof Double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(n + " parameter '" + name + "' is " + x
                        + ", which JSON cannot hold: set a finite number before saving");
            }
            return new JsonPrimitive(new StrictJson.Literal(StrictJson.doubleNumber(x), x));
        } else if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        } else if (v instanceof String s) {
            return new JsonPrimitive(s);
        } else if (v instanceof List<?> list) {
            JsonArray a = new JsonArray();
            list.forEach(e -> a.add((Integer) e));
            return a;
        }
        throw new IllegalArgumentException(n + " parameter '" + name + "' has unsupported value " + v);
    }

    private static TrainingDto training(TrainingSettings t) {
        TrainingDto d = new TrainingDto();
        d.dataset = t.dataset();
        d.transforms = new ArrayList<>();
        for (TrainingSettings.Transform tr : t.transforms()) {
            TransformDto td = new TransformDto();
            td.type = tr.type();
            if (tr instanceof TrainingSettings.Pad pad) {
                td.padding = pad.padding();
            } else if (tr instanceof TrainingSettings.Normalize norm) {
                td.mean = norm.mean();
                td.std = norm.std();
            }
            d.transforms.add(td);
        }
        d.batchSize = t.batchSize();
        d.epochs = t.epochs();
        d.shuffle = t.shuffle();
        d.seed = t.seed();
        d.loss = t.loss();
        d.optimizer = optimizer(t.optimizer());
        d.device = t.device();
        return d;
    }

    /** Writes only what differs from PyTorch's defaults, so a file says what was chosen. */
    private static OptimizerDto optimizer(OptimizerSettings o) {
        OptimizerDto d = new OptimizerDto();
        d.type = o.type();
        d.lr = o.lr();
        if (o instanceof OptimizerSettings.SGD s) {
            d.momentum = unlessDefault(s.momentum(), 0);
            d.dampening = unlessDefault(s.dampening(), 0);
            d.weightDecay = unlessDefault(s.weightDecay(), 0);
            d.nesterov = s.nesterov() ? Boolean.TRUE : null;
        } else if (o instanceof OptimizerSettings.Adam a) {
            if (a.beta1() != OptimizerSettings.Adam.DEFAULT_BETA1 || a.beta2() != OptimizerSettings.Adam.DEFAULT_BETA2) {
                d.betas = List.of(a.beta1(), a.beta2());
            }
            d.eps = unlessDefault(a.eps(), OptimizerSettings.Adam.DEFAULT_EPS);
            d.weightDecay = unlessDefault(a.weightDecay(), 0);
            d.amsgrad = a.amsgrad() ? Boolean.TRUE : null;
        } else if (o instanceof OptimizerSettings.RMSprop r) {
            d.momentum = unlessDefault(r.momentum(), 0);
            d.alpha = unlessDefault(r.alpha(), OptimizerSettings.RMSprop.DEFAULT_ALPHA);
            d.eps = unlessDefault(r.eps(), OptimizerSettings.RMSprop.DEFAULT_EPS);
            d.weightDecay = unlessDefault(r.weightDecay(), 0);
            d.centered = r.centered() ? Boolean.TRUE : null;
        }
        return d;
    }

    private static Double unlessDefault(double v, double dflt) {
        return v == dflt ? null : v;
    }

    // ==== file → domain =======================================================================================

    /** Builds a fresh project, or throws at the first problem; nothing outside is touched either way. */
    Project toProject(Predicate<String> knownLayerType) throws FieldError {
        String projectName = require(name, "$.name", "\"name\": \"My network\"");
        NetworkGraph g = toGraph(require(graph, "$.graph", "\"graph\": {\"nodes\": [], \"edges\": []}"),
                knownLayerType);
        TrainingSettings t = toTraining(require(training, "$.training", "a \"training\" object"));
        ViewState v = view == null ? ViewState.DEFAULT : toView(view);
        if (weights != null && weights.isBlank()) {
            throw new FieldError("$.weights", "the weights file name is empty: name the .safetensors file or "
                    + "remove the field");
        }
        return new Project(projectName, g, t, v, weights);
    }

    private static NetworkGraph toGraph(GraphDto d, Predicate<String> knownLayerType) throws FieldError {
        List<NodeDto> nodes = require(d.nodes, "$.graph.nodes", "\"nodes\": []");
        List<EdgeDto> edges = require(d.edges, "$.graph.edges", "\"edges\": []");
        NetworkGraph g = new NetworkGraph();
        Map<String, Integer> indexOfId = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String at = "$.graph.nodes[" + i + "]";
            NodeDto n = require(nodes.get(i), at, "a node object");
            String id = require(n.id, at + ".id", "\"id\": \"conv1\"");
            if (id.isBlank()) {
                throw new FieldError(at + ".id", "a node id may not be empty: give it a name such as \"conv1\"");
            }
            Integer first = indexOfId.putIfAbsent(id, i);
            if (first != null) {
                throw new FieldError(at + ".id", "duplicate node id \"" + id + "\" (also $.graph.nodes[" + first
                        + "]): node ids must be unique, rename one of them");
            }
            String type = require(n.type, at + ".type", "\"type\": \"Conv2d\"");
            if (type.isBlank() || !knownLayerType.test(type)) {
                throw new FieldError(at + ".type", "unknown layer type \"" + type + "\" on node \"" + id
                        + "\": use a layer type from the palette, spelled as in PyTorch (e.g. Conv2d, Linear, ReLU)");
            }
            double x = require(n.x, at + ".x", "\"x\": 40");
            double y = require(n.y, at + ".y", "\"y\": 200");
            Map<String, Object> params = toParams(require(n.params, at + ".params", "\"params\": {}"),
                    at + ".params");
            Node node = new Node(id, type, params, x, y);
            node.setLabel(n.label);
            g.add(node);
        }
        for (int i = 0; i < edges.size(); i++) {
            String at = "$.graph.edges[" + i + "]";
            EdgeDto e = require(edges.get(i), at, "an edge object {\"from\": ..., \"to\": ...}");
            String from = require(e.from, at + ".from", "\"from\": \"conv1\"");
            String to = require(e.to, at + ".to", "\"to\": \"relu1\"");
            for (String[] end : new String[][] {{from, "from"}, {to, "to"}}) {
                if (!g.contains(end[0])) {
                    throw new FieldError(at + "." + end[1], "the edge " + end[1] + " node \"" + end[0]
                            + "\", which does not exist: add a node with that id or remove the edge");
                }
            }
            int port = e.port == null ? 0 : e.port;
            if (port < 0) {
                throw new FieldError(at + ".port", "input port must be >= 0, got " + port
                        + ": use 0 for the first input");
            }
            try {
                g.connect(from, to, port);
            } catch (IllegalArgumentException ex) {
                throw new FieldError(at, ex.getMessage());
            }
        }
        return g;
    }

    /** JSON values to the node's value types: whole-number literals to Integer, others to Double. */
    private static Map<String, Object> toParams(JsonElement json, String at) throws FieldError {
        if (!json.isJsonObject()) {
            throw new FieldError(at, "expected an object {...} of parameters but found " + json
                    + ": use {} for a layer without parameters");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
            params.put(e.getKey(), paramValue(e.getValue(), at + "." + e.getKey()));
        }
        return params;
    }

    private static Object paramValue(JsonElement v, String at) throws FieldError {
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean();
            } else if (p.isString()) {
                return p.getAsString();
            } else if (StrictJson.isIntegerLiteral(p.getAsString())) {
                return wholeNumber(p, at);
            }
            return p.getAsDouble();
        }
        if (v.isJsonArray()) {
            JsonArray a = v.getAsJsonArray();
            List<Integer> list = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                JsonElement e = a.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
                        || !StrictJson.isIntegerLiteral(e.getAsString())) {
                    throw new FieldError(at + "[" + i + "]", "parameter lists hold whole numbers only, found " + e
                            + ": write e.g. [5, 5]");
                }
                list.add(wholeNumber(e.getAsJsonPrimitive(), at + "[" + i + "]"));
            }
            return list;
        }
        throw new FieldError(at, "a parameter must be a number, text, true/false or a list of whole numbers, "
                + "found " + v + ": replace it with one of those");
    }

    private static int wholeNumber(JsonPrimitive p, String at) throws FieldError {
        try {
            return Integer.parseInt(p.getAsString());
        } catch (NumberFormatException e) {
            throw new FieldError(at, "the number " + p.getAsString() + " does not fit in 32 bits: use a value "
                    + "between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
    }

    private TrainingSettings toTraining(TrainingDto d) throws FieldError {
        String at = "$.training";
        TrainingSettings dflt = TrainingSettings.defaults();
        String dataset = require(d.dataset, at + ".dataset", "\"dataset\": \"" + dflt.dataset() + "\"");
        List<TransformDto> transformDtos = require(d.transforms, at + ".transforms", "\"transforms\": []");
        List<TrainingSettings.Transform> transforms = new ArrayList<>();
        for (int i = 0; i < transformDtos.size(); i++) {
            transforms.add(toTransform(require(transformDtos.get(i), at + ".transforms[" + i + "]",
                    "{\"type\": \"Normalize\", \"mean\": 0.1307, \"std\": 0.3081}"), at + ".transforms[" + i + "]"));
        }
        int batchSize = require(d.batchSize, at + ".batchSize", "\"batchSize\": " + dflt.batchSize());
        int epochs = require(d.epochs, at + ".epochs", "\"epochs\": " + dflt.epochs());
        boolean shuffle = require(d.shuffle, at + ".shuffle", "\"shuffle\": true");
        long seed = require(d.seed, at + ".seed", "\"seed\": " + dflt.seed());
        String loss = require(d.loss, at + ".loss", "\"loss\": \"" + dflt.loss() + "\"");
        OptimizerSettings optimizer = toOptimizer(require(d.optimizer, at + ".optimizer",
                "\"optimizer\": {\"type\": \"Adam\", \"lr\": 0.001}"), at + ".optimizer");
        String device = require(d.device, at + ".device", "\"device\": \"" + dflt.device() + "\"");
        try {
            return new TrainingSettings(dataset, transforms, batchSize, epochs, shuffle, seed, loss, optimizer,
                    device);
        } catch (InvalidSettingException e) {
            throw new FieldError(at + "." + e.field(), e.getMessage());
        }
    }

    private static TrainingSettings.Transform toTransform(TransformDto d, String at) throws FieldError {
        String type = require(d.type, at + ".type", "\"type\": \"Normalize\"");
        try {
            switch (type) {
                case "Pad":
                    forbid(d.mean, at, "mean", "Pad");
                    forbid(d.std, at, "std", "Pad");
                    return new TrainingSettings.Pad(require(d.padding, at + ".padding", "\"padding\": 2"));
                case "Normalize":
                    forbid(d.padding, at, "padding", "Normalize");
                    return new TrainingSettings.Normalize(require(d.mean, at + ".mean", "\"mean\": 0.1307"),
                            require(d.std, at + ".std", "\"std\": 0.3081"));
                default:
                    throw new FieldError(at + ".type", "unknown transform \"" + type + "\": use Pad or Normalize");
            }
        } catch (InvalidSettingException e) {
            throw new FieldError(at + "." + e.field(), e.getMessage());
        }
    }

    private static OptimizerSettings toOptimizer(OptimizerDto d, String at) throws FieldError {
        String type = require(d.type, at + ".type", "\"type\": \"Adam\"");
        double lr = require(d.lr, at + ".lr", "\"lr\": 0.001");
        try {
            switch (type) {
                case "SGD":
                    forbidAll(d, at, type, "betas", d.betas, "alpha", d.alpha, "eps", d.eps, "amsgrad", d.amsgrad,
                            "centered", d.centered);
                    return new OptimizerSettings.SGD(lr, or(d.momentum, 0), or(d.dampening, 0),
                            or(d.weightDecay, 0), d.nesterov != null && d.nesterov);
                case "Adam":
                    forbidAll(d, at, type, "momentum", d.momentum, "dampening", d.dampening, "alpha", d.alpha,
                            "nesterov", d.nesterov, "centered", d.centered);
                    double beta1 = OptimizerSettings.Adam.DEFAULT_BETA1;
                    double beta2 = OptimizerSettings.Adam.DEFAULT_BETA2;
                    if (d.betas != null) {
                        if (d.betas.size() != 2 || d.betas.contains(null)) {
                            throw new FieldError(at + ".betas", "betas must be a list of two numbers, found "
                                    + d.betas + ": use [0.9, 0.999]");
                        }
                        beta1 = d.betas.get(0);
                        beta2 = d.betas.get(1);
                    }
                    return new OptimizerSettings.Adam(lr, beta1, beta2, or(d.eps, OptimizerSettings.Adam.DEFAULT_EPS),
                            or(d.weightDecay, 0), d.amsgrad != null && d.amsgrad);
                case "RMSprop":
                    forbidAll(d, at, type, "dampening", d.dampening, "betas", d.betas, "nesterov", d.nesterov,
                            "amsgrad", d.amsgrad);
                    return new OptimizerSettings.RMSprop(lr, or(d.alpha, OptimizerSettings.RMSprop.DEFAULT_ALPHA),
                            or(d.eps, OptimizerSettings.RMSprop.DEFAULT_EPS), or(d.weightDecay, 0),
                            or(d.momentum, 0), d.centered != null && d.centered);
                default:
                    throw new FieldError(at + ".type", "unknown optimizer \"" + type + "\": use one of "
                            + String.join(", ", OptimizerSettings.TYPES) + " (spelled as in PyTorch)");
            }
        } catch (InvalidSettingException e) {
            throw new FieldError(at + "." + e.field(), type + ": " + e.getMessage());
        }
    }

    /** Pairs of (name, value): a value that is set belongs to another optimizer. */
    private static void forbidAll(OptimizerDto d, String at, String type, Object... namesAndValues)
            throws FieldError {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                String field = (String) namesAndValues[i];
                List<String> own = new ArrayList<>(List.of("lr"));
                own.addAll(switch (type) {
                    case "SGD" -> new OptimizerSettings.SGD(1, 0).parameterNames();
                    case "Adam" -> new OptimizerSettings.Adam(1).parameterNames();
                    default -> new OptimizerSettings.RMSprop(1).parameterNames();
                });
                throw new FieldError(at + "." + field, type + " has no parameter '" + field + "' (its parameters: "
                        + String.join(", ", own) + "): remove it or change the optimizer type");
            }
        }
    }

    private static void forbid(Object value, String at, String field, String type) throws FieldError {
        if (value != null) {
            throw new FieldError(at + "." + field, type + " has no field '" + field + "': remove it");
        }
    }

    private static ViewState toView(ViewDto d) throws FieldError {
        try {
            return new ViewState(require(d.zoom, "$.view.zoom", "\"zoom\": 1"),
                    require(d.panX, "$.view.panX", "\"panX\": 0"), require(d.panY, "$.view.panY", "\"panY\": 0"));
        } catch (InvalidSettingException e) {
            throw new FieldError("$.view." + e.field(), e.getMessage());
        }
    }

    private static double or(Double v, double dflt) {
        return v == null ? dflt : v;
    }

    private static <T> T require(T value, String path, String example) throws FieldError {
        if (value == null) {
            String field = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf('[')) + 1);
            throw new FieldError(path, path.endsWith("]") ? "this entry is null: remove it or write " + example
                    : "missing field '" + field + "': add it, e.g. " + example);
        }
        return value;
    }
}
