package io.deepcanvas.engine.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upgrades an older project document, step by step, to {@link ProjectFile#FORMAT_VERSION}. Each step turns
 * version n into n + 1 on the JSON tree, before any typed reading, so the reader only ever knows the newest
 * format. To change the format: bump the version, add a step here, add a test with a file of the old version.
 */
final class Migrations {
    private Migrations() {
    }

    /** One upgrade from version n to n + 1; it may change its argument (it gets a private copy). */
    @FunctionalInterface
    interface Step {
        void apply(JsonObject root);
    }

    /** Keyed by the version a step upgrades from. */
    static final Map<Integer, Step> STEPS = new TreeMap<>(Map.of(0, Migrations::v0ToV1));

    /** A copy of {@code root} upgraded from {@code version} to the current version. */
    static JsonObject migrate(JsonObject root, int version) {
        JsonObject doc = root.deepCopy();
        for (int v = version; v < ProjectFile.FORMAT_VERSION; v++) {
            Step step = STEPS.get(v);
            if (step == null) {
                throw new IllegalStateException("no migration from project format " + v + " to " + (v + 1));
            }
            step.apply(doc);
            doc.addProperty("formatVersion", v + 1);
        }
        return doc;
    }

    /**
     * Version 0 (before formatVersion existed) named an edge's ends {@code source}/{@code target} and its input
     * port {@code targetPort}; version 1 uses {@code from}/{@code to}/{@code port}. Anything that is not shaped
     * as expected is left alone for the reader to report with its path.
     */
    private static void v0ToV1(JsonObject root) {
        JsonElement graph = root.get("graph");
        if (graph == null || !graph.isJsonObject()) {
            return;
        }
        JsonElement edges = graph.getAsJsonObject().get("edges");
        if (edges == null || !edges.isJsonArray()) {
            return;
        }
        for (JsonElement e : edges.getAsJsonArray()) {
            if (e.isJsonObject()) {
                JsonObject edge = e.getAsJsonObject();
                rename(edge, "source", "from");
                rename(edge, "target", "to");
                rename(edge, "targetPort", "port");
            }
        }
    }

    private static void rename(JsonObject o, String from, String to) {
        if (o.has(from) && !o.has(to)) {
            o.add(to, o.remove(from));
        }
    }
}
