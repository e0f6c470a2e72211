package io.deepcanvas.app.editor;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds layer types by what the user types, for the palette's search field and quick add: {@code conv} finds
 * Conv2d, {@code pool} both pools, {@code bn} BatchNorm. Name prefixes rank first, then words anywhere in the name,
 * then the category and description (in the current language).
 */
public final class LayerSearch {
    private LayerSearch() {
    }

    public static List<LayerType> find(String query) {
        String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
        List<LayerType> out = new ArrayList<>();
        List<Integer> rank = new ArrayList<>();
        for (LayerType t : LayerTypes.all()) {
            int r = rank(t, q);
            if (r >= 0) {
                out.add(t);
                rank.add(r);
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingInt(rank::get)); // stable: palette order within a rank
        return idx.stream().map(out::get).toList();
    }

    private static int rank(LayerType t, String q) {
        if (q.isEmpty()) {
            return 0;
        }
        String name = t.name().toLowerCase(Locale.ROOT);
        if (name.startsWith(q)) {
            return 0;
        }
        if (abbreviation(t).startsWith(q)) {
            return 1;
        }
        if (name.contains(q)) {
            return 2;
        }
        String category = I18n.text("category." + t.category().name()).toLowerCase(I18n.locale());
        if (category.contains(q)) {
            return 3;
        }
        String description = I18n.text("layer." + t.name()).toLowerCase(I18n.locale());
        return description.contains(q) || t.description().toLowerCase(Locale.ROOT).contains(q) ? 4 : -1;
    }

    /** The capitals of the name: {@code bn} for BatchNorm2d, {@code mp} for MaxPool2d. */
    private static String abbreviation(LayerType t) {
        StringBuilder sb = new StringBuilder();
        for (char c : t.name().toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }
}
