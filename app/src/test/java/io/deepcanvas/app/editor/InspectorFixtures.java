package io.deepcanvas.app.editor;

import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.app.project.Examples;
import io.deepcanvas.engine.io.ProjectFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Fixtures for the inspector, problems and code tests: the ready-made layouts, and rows by id. */
final class InspectorFixtures {
    private InspectorFixtures() {
    }

    /** A model with {@code layouts/NAME.json} open (surefire points {@code deepcanvas.layouts} there). */
    static EditorModel open(String name) {
        EditorModel m = new EditorModel();
        try {
            m.load(ProjectFile.withLayerRegistry().load(Examples.folder().resolve(name + ".json")), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Types {@code text} into {@code item}'s field and presses Enter, as the text editor does: commits if valid. */
    static InspectorValues.Result type(InspectorItem item, String text) {
        InspectorValues.Result r = item.parse(text);
        if (r.valid()) {
            item.commit(r.value());
        }
        return r;
    }

    static InspectorItem row(List<InspectorItem> items, String id) {
        return items.stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in " + items.stream()
                        .map(InspectorItem::id).toList()));
    }
}
