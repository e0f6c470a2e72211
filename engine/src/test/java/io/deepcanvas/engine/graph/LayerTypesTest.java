package io.deepcanvas.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerTypesTest {

    @Test
    void registryListsEveryLayerInPaletteOrder() {
        assertEquals(List.of("Input", "Conv2d", "MaxPool2d", "AvgPool2d", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
                "Softmax", "Linear", "BatchNorm1d", "BatchNorm2d", "Dropout", "Add", "Concat", "Flatten"),
                LayerTypes.names());
        int lastCategory = -1;
        for (LayerType t : LayerTypes.all()) {
            assertTrue(t.category().ordinal() >= lastCategory, t + " breaks the palette's category order");
            lastCategory = t.category().ordinal();
            assertFalse(t.displayName().isBlank(), t + " display name");
            assertFalse(t.icon().isBlank(), t + " icon");
            assertFalse(t.description().isBlank(), t + " description");
            for (ParamSpec p : t.params()) {
                assertTrue(p.name().matches("[a-z_]+"), t + "." + p.name() + " is spelled as in PyTorch");
                assertFalse(p.description().isBlank(), t + "." + p.name() + " description");
            }
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerTypes.get("Conv3d"));
        assertTrue(e.getMessage().startsWith("unknown layer type 'Conv3d'; known types: Input, Conv2d, MaxPool2d"),
                e.getMessage());
        assertTrue(LayerTypes.find("Conv3d").isEmpty());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LayerTypes.get("conv2d")).getMessage()
                .contains("did you mean 'Conv2d'?"));
        assertEquals("Linear", LayerTypes.get("Linear").name());
    }

    @Test
    void intPairAcceptsOneNumberOrAPair() {
        ParamSpec k = LayerTypes.get("Conv2d").param("kernel_size");
        assertEquals(ParamSpec.Kind.INT_PAIR, k.kind());
        assertEquals(List.of(5, 5), k.convert(5));
        assertEquals(List.of(5, 3), k.convert(List.of(5, 3)));
        assertEquals(List.of(5, 5), k.convert(5.0), "JSON numbers may arrive as doubles");
        assertEquals("kernel_size must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> k.convert(0)).getMessage());
        assertEquals("kernel_size must be one number or a pair [h, w], got [1, 2, 3]",
                assertThrows(IllegalArgumentException.class, () -> k.convert(List.of(1, 2, 3))).getMessage());
        assertEquals("kernel_size must be a whole number or a pair [h, w], got 2.5",
                assertThrows(IllegalArgumentException.class, () -> k.convert(2.5)).getMessage());
    }

    @Test
    void everyKindChecksTypeAndRange() {
        ParamSpec p = LayerTypes.get("Dropout").param("p");
        assertEquals(0.25, p.convert(0.25));
        assertEquals(1.0, p.convert(1), "an int is a valid float");
        assertEquals("p must be >= 0.0 and <= 1.0, got 1.5",
                assertThrows(IllegalArgumentException.class, () -> p.convert(1.5)).getMessage());
        assertEquals("p must be a finite number, got \"high\"",
                assertThrows(IllegalArgumentException.class, () -> p.convert("high")).getMessage());
        ParamSpec eps = LayerTypes.get("BatchNorm2d").param("eps");
        assertEquals("eps must be > 0.0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> eps.convert(0.0)).getMessage());
        ParamSpec bias = LayerTypes.get("Linear").param("bias");
        assertEquals("bias must be true or false, got 1",
                assertThrows(IllegalArgumentException.class, () -> bias.convert(1)).getMessage());
        ParamSpec dataset = LayerTypes.get("Input").param("dataset");
        assertEquals("dataset must be one of mnist, got 'cifar'",
                assertThrows(IllegalArgumentException.class, () -> dataset.convert("cifar")).getMessage());
        ParamSpec shape = LayerTypes.get("Input").param("shape");
        assertEquals(List.of(1, 28, 28), shape.defaultValue());
        assertEquals("shape must be >= 1, got [1, 0, 28]",
                assertThrows(IllegalArgumentException.class, () -> shape.convert(List.of(1, 0, 28))).getMessage());
        ParamSpec out = LayerTypes.get("Linear").param("out_features");
        assertEquals("out_features must be a whole number, got 1.5",
                assertThrows(IllegalArgumentException.class, () -> out.convert(1.5)).getMessage());
    }

    @Test
    void resolveFillsDefaultsAndNamesUnknownParameters() {
        LayerType pool = LayerTypes.get("MaxPool2d");
        LayerParams p = pool.resolve("pool1", Map.of("kernel_size", 3));
        assertEquals(List.of(3, 3), p.get("kernel_size"));
        assertNull(p.get("stride"), "stride left unset follows kernel_size");
        assertTrue(p.isDefault("padding"));
        assertFalse(p.isDefault("kernel_size"));
        List<String> errors = new ArrayList<>();
        pool.resolve("pool1", Map.of("kernal_size", 3), errors);
        assertEquals(List.of("has no parameter 'kernal_size' (its parameters are kernel_size, stride, padding, "
                + "ceil_mode)"), errors);
        assertEquals("MaxPool2d 'pool1': kernel_size must be >= 1, got -1",
                assertThrows(IllegalArgumentException.class, () -> pool.resolve("pool1", Map.of("kernel_size", -1)))
                        .getMessage());
    }
}
