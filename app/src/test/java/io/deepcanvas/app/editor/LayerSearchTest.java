package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LayerSearchTest {
    @BeforeEach
    @AfterEach
    void english() {
        I18n.setLocale(Locale.ENGLISH);
    }

    private static List<String> names(String query) {
        return LayerSearch.find(query).stream().map(LayerType::name).toList();
    }

    @Test
    void convFindsConv2dFirst() {
        assertEquals("Conv2d", names("conv").get(0));
        assertEquals("Conv2d", names("  CONV ").get(0), "case and surrounding blanks do not matter");
    }

    @Test
    void poolFindsBothPoolsFirstInPaletteOrder() {
        List<String> found = names("pool");
        assertEquals(List.of("MaxPool2d", "AvgPool2d"), found.subList(0, 2), found.toString());
    }

    @Test
    void bnFindsTheBatchNormsByTheirCapitals() {
        List<String> found = names("bn");
        assertEquals(List.of("BatchNorm1d", "BatchNorm2d"), found.subList(0, 2), found.toString());
        assertEquals("MaxPool2d", names("mp").get(0));
    }

    @Test
    void aNamePrefixRanksBeforeAMatchInsideTheName() {
        // "linear" starts Linear's name; it appears in no other name but in descriptions ("after a Linear")
        List<String> found = names("linear");
        assertEquals("Linear", found.get(0));
        assertTrue(found.contains("BatchNorm1d"), "found through its description: " + found);
    }

    @Test
    void theCategoryFindsItsLayers() {
        List<String> found = names("activation");
        for (String t : List.of("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax")) {
            assertTrue(found.contains(t), t + " in " + found);
        }
    }

    @Test
    void anEmptyQueryListsEveryLayerInPaletteOrder() {
        List<String> all = LayerTypes.names();
        assertEquals(all, names(""));
        assertEquals(all, names("   "));
        assertEquals(all, names(null));
    }

    @Test
    void nonsenseFindsNothing() {
        assertTrue(LayerSearch.find("xyzzy42").isEmpty());
    }
}
