package io.deepcanvas.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFileTest {
    private final ProjectFile file = new ProjectFile();

    /** A project touching every value type and optional field the format has. */
    static Project sample() {
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("dataset", "mnist", "shape", List.of(1, 28, 28)), 40, 200);
        Node conv = g.add("conv1", "Conv2d", null, 220, 200.5);
        conv.setParam("out_channels", 6);
        conv.setParam("kernel_size", List.of(5, 5));
        conv.setParam("bias", true);
        conv.setLabel("features.0");
        conv.setParam("note", "[\n  1,\n  2\n] stays as written"); // looks like a list, but is a string
        Node drop = g.add("drop", "Dropout", null, 400, 200);
        drop.setParam("p", 0.25);
        drop.setParam("scale", 2.0); // a whole Double must stay a Double
        drop.setParam("tiny", 1e-7);
        g.add("add", "Add", Map.of(), 580, 80);
        g.connect("input", "conv1");
        g.connect("conv1", "drop");
        g.connect("drop", "add");
        g.connect("conv1", "add", 1);
        TrainingSettings t = new TrainingSettings("mnist",
                List.of(new TrainingSettings.Pad(2), new TrainingSettings.Normalize(0.1307, 0.3081)), 32, 3, false,
                42, "NLLLoss", new OptimizerSettings.SGD(0.01, 0.9, 0, 5e-4, true), "cpu");
        return new Project("Sample", g, t, new ViewState(1.25, -30, 12.5), "sample.safetensors");
    }

    private String validJson() {
        return file.toJson(sample());
    }

    private ProjectFormatException loadError(String json) {
        return assertThrows(ProjectFormatException.class, () -> file.fromJson(json, "broken.json"));
    }

    private static int lineContaining(String json, String needle) {
        String[] lines = json.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + needle);
    }

    // ==== round trip ==========================================================================================

    @Test
    void saveLoadSaveGivesIdenticalBytes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        file.save(sample(), a);
        file.save(file.load(a), b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void roundTripKeepsEveryValueAndItsType() throws Exception {
        Project p = file.fromJson(validJson(), "sample.json");
        Node drop = p.graph().require("drop");
        assertEquals(2.0, drop.param("scale"));
        assertInstanceOf(Double.class, drop.param("scale"));
        assertEquals(1e-7, drop.param("tiny"));
        Node conv = p.graph().require("conv1");
        assertInstanceOf(Integer.class, conv.param("out_channels"));
        assertEquals(List.of(5, 5), conv.param("kernel_size"));
        assertEquals(Boolean.TRUE, conv.param("bias"));
        assertEquals("[\n  1,\n  2\n] stays as written", conv.param("note"));
        assertEquals("features.0", conv.label());
        assertEquals(200.5, conv.y());
        assertEquals(List.of(new Edge("input", "conv1"), new Edge("conv1", "drop"), new Edge("drop", "add"),
                new Edge("conv1", "add", 1)), p.graph().edges());
        assertEquals(sample().training(), p.training());
        assertEquals(new ViewState(1.25, -30, 12.5), p.view());
        assertEquals("sample.safetensors", p.weights());
        assertEquals("Sample", p.name());
    }

    @Test
    void writesTheDocumentedCanonicalForm() {
        String json = validJson();
        assertTrue(json.startsWith("{\n  \"format\": \"deepcanvas-project\",\n  \"formatVersion\": 1,\n  \"name\": "
                + "\"Sample\",\n  \"graph\": {"), json);
        assertTrue(json.contains("\"x\": 40,"), "whole positions without .0");
        assertTrue(json.contains("\"shape\": [1, 28, 28]"), "number lists on one line");
        assertTrue(json.contains("\"scale\": 2.0,"), "whole Double parameters keep .0");
        assertTrue(json.contains("\"tiny\": 1e-7"), json);
        assertTrue(json.contains("\"weight_decay\": 0.0005,"), json);
        assertTrue(json.contains("\"label\": \"features.0\""));
        assertEquals(1, json.split("\"label\"").length - 1, "label only where it differs from the id");
        assertEquals(1, json.split("\"port\"").length - 1, "port only where it is not 0");
        assertTrue(json.contains("\"port\": 1"));
        assertTrue(!json.contains("dampening") && json.contains("\"nesterov\": true"), "defaults are left out");
        assertTrue(json.endsWith("}\n") && !json.contains("\r"));
    }

    @Test
    void numbersAreShortestAndReadBackExactly() {
        assertEquals("0.1", StrictJson.number(0.1));
        assertEquals("0.001", StrictJson.number(1e-3));
        assertEquals("1e-5", StrictJson.number(1e-5));
        assertEquals("3", StrictJson.number(3.0));
        assertEquals("-2.5", StrictJson.number(-2.5));
        assertEquals("1e16", StrictJson.number(1e16));
        assertEquals("3.0", StrictJson.doubleNumber(3.0));
        double[] awkward = {0.1 + 0.2, 1.0 / 3, 2.82879384806159E17, 5e-324, Double.MAX_VALUE, 0.3081, 123456.789};
        for (double d : awkward) {
            assertEquals(d, Double.parseDouble(StrictJson.number(d)), StrictJson.number(d));
        }
        assertEquals("0.30000000000000004", StrictJson.number(0.1 + 0.2));
    }

    @Test
    void readsTheExampleFromTheDesignDocument() throws Exception {
        String doc = """
                {
                  "format": "deepcanvas-project", "formatVersion": 1, "name": "LeNet-5",
                  "graph": {
                    "nodes": [
                      {"id": "input", "type": "Input",  "x": 40,  "y": 200, "params": {"dataset": "mnist", "shape": [1, 32, 32]}},
                      {"id": "conv1", "type": "Conv2d", "x": 220, "y": 200, "params": {"out_channels": 6, "kernel_size": 5}},
                      {"id": "relu1", "type": "ReLU",   "x": 400, "y": 200, "params": {}}
                    ],
                    "edges": [{"from": "input", "to": "conv1"}, {"from": "conv1", "to": "relu1"}]
                  },
                  "training": {"dataset": "mnist", "transforms": [{"type": "Pad", "padding": 2}, {"type": "Normalize", "mean": 0.1307, "std": 0.3081}],
                               "batchSize": 64, "epochs": 1, "shuffle": true, "seed": 1,
                               "loss": "CrossEntropyLoss", "optimizer": {"type": "Adam", "lr": 0.001}, "device": "auto"},
                  "weights": "lenet5.safetensors"
                }
                """;
        Project p = file.fromJson(doc, "lenet5.json");
        assertEquals(3, p.graph().nodes().size());
        assertEquals(List.of(1, 32, 32), p.graph().require("input").param("shape"));
        assertEquals(new OptimizerSettings.Adam(0.001), p.training().optimizer());
        assertEquals(ViewState.DEFAULT, p.view(), "view is optional");
        // re-saving the hand-written file gives the canonical form, which is then stable
        String canonical = file.toJson(p);
        assertEquals(canonical, file.toJson(file.fromJson(canonical, "lenet5.json")));
    }

    // ==== malformed files =====================================================================================

    @Test
    void malformedJsonReportsLineAndColumn() {
        String json = validJson();
        int line = lineContaining(json, "\"batchSize\"");
        String broken = json.replace("\"batchSize\": 32,", "\"batchSize\": 32");
        ProjectFormatException e = loadError(broken);
        assertEquals(line + 1, e.line().getAsInt(), e.getMessage());
        assertTrue(e.getMessage().startsWith("broken.json: $.training."), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON at column "), e.getMessage());
        assertTrue(!e.getMessage().contains("https://"), "no Gson troubleshooting link: " + e.getMessage());
    }

    @Test
    void emptyAndTrailingGarbageAreMalformed() {
        assertEquals("the file is empty: open a project saved by DeepCanvas", loadError("").problem());
        assertTrue(loadError("{\"format\": 'x'}").problem().contains("not valid JSON"));
        assertTrue(loadError(validJson() + "}").getMessage().contains("malformed JSON"));
        assertTrue(loadError("[1, 2]").getMessage().contains("a project file is a JSON object"));
    }

    @Test
    void unknownFormatIsRefused() {
        ProjectFormatException e = loadError(validJson().replace("\"deepcanvas-project\"", "\"keras-model\""));
        assertEquals("$.format", e.path());
        assertEquals(2, e.line().getAsInt());
        assertTrue(e.problem().contains("unknown format \"keras-model\""), e.getMessage());
        ProjectFormatException missing = loadError("{\"name\": \"x\"}");
        assertEquals("$.format", missing.path());
        assertTrue(missing.problem().startsWith("missing field 'format'"), missing.getMessage());
    }

    @Test
    void newerFormatVersionAsksForAnUpdate() {
        ProjectFormatException e = loadError(validJson().replace("\"formatVersion\": 1", "\"formatVersion\": 3"));
        assertEquals("$.formatVersion", e.path());
        assertEquals("this file was written by a newer DeepCanvas (format 3); this version reads up to 1: "
                + "update DeepCanvas", e.problem());
    }

    @Test
    void missingFieldNamesItsPathAndTheParentsLine() {
        String json = validJson();
        ProjectFormatException e = loadError(json.replace("\"batchSize\": 32,", ""));
        assertEquals("$.training.batchSize", e.path());
        assertEquals(lineContaining(json, "\"training\""), e.line().getAsInt());
        assertEquals("missing field 'batchSize': add it, e.g. \"batchSize\": 64", e.problem());
        assertEquals("$.graph.nodes[1].type", loadError(json.replace("\"type\": \"Conv2d\",", "")).path());
    }

    @Test
    void wrongTypeNamesPathLineAndValue() {
        String json = validJson();
        ProjectFormatException e = loadError(json.replace("\"batchSize\": 32", "\"batchSize\": \"big\""));
        assertEquals("$.training.batchSize", e.path());
        assertEquals(lineContaining(json, "\"batchSize\""), e.line().getAsInt());
        assertEquals("expected a whole number but found the text \"big\"", e.problem());
        assertEquals("broken.json: $.training.batchSize (line " + e.line().getAsInt()
                + "): expected a whole number but found the text \"big\"", e.getMessage());

        ProjectFormatException fraction = loadError(json.replace("\"epochs\": 3", "\"epochs\": 2.5"));
        assertEquals("$.training.epochs", fraction.path());
        ProjectFormatException notList = loadError(json.replace("\"nodes\": [", "\"nodes\": {\"n\": 1}, \"was\": ["));
        assertEquals("$.graph.nodes", notList.path(), notList.getMessage());
        assertTrue(notList.problem().startsWith("expected a list [...] but found an object"), notList.problem());
        ProjectFormatException name = loadError(json.replace("\"name\": \"Sample\"", "\"name\": 5"));
        assertEquals("$.name", name.path());
        assertEquals("expected text in quotes but found the number 5", name.problem());
    }

    @Test
    void badParameterValuesNameTheirPath() {
        String json = validJson();
        ProjectFormatException e = loadError(json.replace("\"kernel_size\": [5, 5]", "\"kernel_size\": [5, 2.5]"));
        assertEquals("$.graph.nodes[1].params.kernel_size[1]", e.path());
        ProjectFormatException nested = loadError(json.replace("\"bias\": true", "\"bias\": {\"a\": 1}"));
        assertEquals("$.graph.nodes[1].params.bias", nested.path());
        ProjectFormatException notObject = loadError(json.replace("\"params\": {}", "\"params\": []"));
        assertEquals("$.graph.nodes[3].params", notObject.path());
    }

    @Test
    void danglingEdgeNamesTheEdgeEnd() {
        String json = validJson().replace("\"to\": \"drop\"", "\"to\": \"conv9\"");
        ProjectFormatException e = loadError(json);
        assertEquals("$.graph.edges[1].to", e.path());
        assertEquals(lineContaining(json, "\"conv9\""), e.line().getAsInt());
        assertTrue(e.problem().contains("\"conv9\", which does not exist"), e.problem());
    }

    @Test
    void duplicateNodeIdIsRefused() {
        ProjectFormatException e = loadError(validJson().replace("\"id\": \"drop\"", "\"id\": \"conv1\""));
        assertEquals("$.graph.nodes[2].id", e.path());
        assertTrue(e.problem().contains("duplicate node id \"conv1\" (also $.graph.nodes[1])"), e.problem());
    }

    @Test
    void twoEdgesIntoOnePortAreRefused() {
        ProjectFormatException e = loadError(validJson().replace("\"port\": 1", "\"port\": 0"));
        assertEquals("$.graph.edges[3]", e.path());
        assertTrue(e.problem().contains("already connected"), e.problem());
    }

    @Test
    void unknownLayerTypeIsKeptUnlessTheHookRefusesIt() throws Exception {
        String json = validJson().replace("\"Dropout\"", "\"Dropout3d\"");
        assertEquals("Dropout3d", file.fromJson(json, "x.json").graph().require("drop").type());
        Set<String> known = Set.of("Input", "Conv2d", "Dropout", "Add");
        ProjectFormatException e = assertThrows(ProjectFormatException.class,
                () -> new ProjectFile(known::contains).fromJson(json, "x.json"));
        assertEquals("$.graph.nodes[2].type", e.path());
        assertTrue(e.problem().startsWith("unknown layer type \"Dropout3d\" on node \"drop\""), e.problem());
        assertEquals(4, new ProjectFile(known::contains).fromJson(validJson(), "x.json").graph().nodes().size());
    }

    @Test
    void outOfRangeSettingsNameTheirFieldAndFix() {
        String json = validJson();
        ProjectFormatException batch = loadError(json.replace("\"batchSize\": 32", "\"batchSize\": 0"));
        assertEquals("$.training.batchSize", batch.path());
        assertEquals("batchSize must be at least 1, got 0: use e.g. 64", batch.problem());
        ProjectFormatException lr = loadError(json.replace("\"lr\": 0.01", "\"lr\": -1"));
        assertEquals("$.training.optimizer.lr", lr.path());
        assertTrue(lr.problem().contains("lr (learning rate) must be a positive number, got -1.0"), lr.problem());
        ProjectFormatException loss = loadError(json.replace("\"NLLLoss\"", "\"CrossEntropy\""));
        assertEquals("$.training.loss", loss.path());
        assertTrue(loss.problem().contains("CrossEntropyLoss, NLLLoss, MSELoss"), loss.problem());
        assertEquals("$.training.device", loadError(json.replace("\"cpu\"", "\"cuda\"")).path());
        ProjectFormatException foreign = loadError(json.replace("\"type\": \"SGD\"", "\"type\": \"Adam\""));
        assertEquals("$.training.optimizer.momentum", foreign.path());
        assertTrue(foreign.problem().startsWith("Adam has no parameter 'momentum' (its parameters: lr, betas, eps, "
                + "weight_decay, amsgrad)"), foreign.problem());
        assertEquals("$.training.optimizer.type",
                loadError(json.replace("\"type\": \"SGD\"", "\"type\": \"LBFGS\"")).path());
        assertEquals("$.training.transforms[1].std",
                loadError(json.replace("\"std\": 0.3081", "\"std\": 0")).path());
        assertEquals("$.view.zoom", loadError(json.replace("\"zoom\": 1.25", "\"zoom\": -1")).path());
    }

    @Test
    void settingsValidateOnConstruction() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TrainingSettings.defaults().withEpochs(0));
        assertEquals("epochs", e.field());
        InvalidSettingException nesterov = assertThrows(InvalidSettingException.class,
                () -> new OptimizerSettings.SGD(0.1, 0, 0, 0, true));
        assertEquals("nesterov", nesterov.field());
        InvalidSettingException betas = assertThrows(InvalidSettingException.class,
                () -> new OptimizerSettings.Adam(0.1, 1.0, 0.999, 1e-8, 0, false));
        assertEquals("betas", betas.field());
        assertEquals("padding", assertThrows(InvalidSettingException.class, () -> new TrainingSettings.Pad(-1))
                .field());
    }

    // ==== migration ===========================================================================================

    private static final String VERSION_0 = """
            {
              "format": "deepcanvas-project",
              "name": "old",
              "graph": {
                "nodes": [
                  {"id": "a", "type": "Input", "x": 0, "y": 0, "params": {"shape": [1, 28, 28]}},
                  {"id": "b", "type": "Flatten", "x": 180, "y": 0, "params": {}},
                  {"id": "c", "type": "Add", "x": 360, "y": 0, "params": {}}
                ],
                "edges": [
                  {"source": "a", "target": "b"},
                  {"source": "a", "target": "c"},
                  {"source": "b", "target": "c", "targetPort": 1}
                ]
              },
              "training": {"dataset": "mnist", "transforms": [], "batchSize": 8, "epochs": 1, "shuffle": true,
                           "seed": 1, "loss": "MSELoss", "optimizer": {"type": "RMSprop", "lr": 0.01}, "device": "cpu"}
            }
            """;

    @Test
    void versionZeroEdgesWithSourceAndTargetAreMigrated() throws Exception {
        Project p = file.fromJson(VERSION_0, "old.json");
        assertEquals(List.of(new Edge("a", "b"), new Edge("a", "c"), new Edge("b", "c", 1)), p.graph().edges());
        assertEquals(new OptimizerSettings.RMSprop(0.01), p.training().optimizer());
        String saved = file.toJson(p);
        assertTrue(saved.contains("\"formatVersion\": 1") && saved.contains("\"from\": \"a\"")
                && !saved.contains("source"), saved);
    }

    @Test
    void migrationStepsCoverEveryOldVersionAndDoNotTouchTheInput() {
        for (int v = 0; v < ProjectFile.FORMAT_VERSION; v++) {
            assertTrue(Migrations.STEPS.containsKey(v), "no migration step from version " + v);
        }
        var tree = com.google.gson.JsonParser.parseString(VERSION_0).getAsJsonObject();
        var migrated = Migrations.migrate(tree, 0);
        assertEquals(1, migrated.get("formatVersion").getAsInt());
        assertEquals("a", migrated.getAsJsonObject("graph").getAsJsonArray("edges").get(0).getAsJsonObject()
                .get("from").getAsString());
        assertNull(tree.get("formatVersion"), "the caller's tree is left as it was");
    }

    @Test
    void errorsInMigratedFilesStillPointAtTheOldLine() {
        String broken = VERSION_0.replace("{\"source\": \"a\", \"target\": \"c\"}",
                "{\"source\": \"a\", \"target\": \"zz\"}");
        ProjectFormatException e = loadError(broken);
        assertEquals("$.graph.edges[1].to", e.path());
        assertEquals(lineContaining(broken, "\"zz\""), e.line().getAsInt());
    }

    // ==== atomic save =========================================================================================

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("project.json");
        Files.writeString(target, "old content");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("{\"half\": ".getBytes());
            throw new java.io.IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old content", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "the temporary file was removed");
        }
    }

    @Test
    void saveThatCannotSerialiseLeavesTheOldFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("project.json");
        file.save(sample(), target);
        byte[] before = Files.readAllBytes(target);
        Project bad = sample();
        bad.graph().require("drop").setParam("p", Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> file.save(bad, target));
        assertTrue(e.getMessage().contains("Dropout 'drop' parameter 'p' is NaN"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
    }

    @Test
    void saveReplacesAnExistingFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub/project.json");
        file.save(sample(), target);
        file.save(Project.of("Other", new NetworkGraph()), target);
        assertEquals("Other", file.load(target).name());
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count());
        }
    }
}
