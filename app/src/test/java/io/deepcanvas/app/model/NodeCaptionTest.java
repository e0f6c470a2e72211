package io.deepcanvas.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.tensor.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

class NodeCaptionTest {
    private static String caption(String type, Map<String, ?> params) {
        return NodeCaption.keyParams(new Node("n", type, params, 0, 0), LayerTypes.get(type));
    }

    @Test
    void aConvolutionShowsKernelThenChannelsAsTheTutorialsDraw() {
        assertEquals("5×5, 6", caption("Conv2d", Map.of("out_channels", 6, "kernel_size", 5)));
    }

    @Test
    void parametersAtTheirDefaultAreLeftOut() {
        assertEquals("5×5, 6", caption("Conv2d", Map.of("out_channels", 6, "kernel_size", 5, "stride", 1,
                "padding", 0, "bias", true)));
    }

    @Test
    void aLayerWithNoParamsSetShowsItsDefaults() {
        // Conv2d defaults: 8 filters of 3×3
        assertEquals("3×3, 8", caption("Conv2d", Map.of()));
    }

    @Test
    void aNonDefaultStrideIsNamed() {
        assertEquals("5×5, 6, stride=2", caption("Conv2d", Map.of("out_channels", 6, "kernel_size", 5,
                "stride", 2)));
    }

    @Test
    void anUnequalPairShowsBothSides() {
        assertEquals("3×5, 6", caption("Conv2d", Map.of("out_channels", 6, "kernel_size", List.of(3, 5))));
    }

    @Test
    void booleansAreWrittenAsPythonWritesThem() {
        assertEquals("120, bias=False", caption("Linear", Map.of("out_features", 120, "bias", false)));
    }

    @Test
    void otherLayersShowTheirKeyValue() {
        assertEquals("120", caption("Linear", Map.of("out_features", 120)));
        assertEquals("0.25", caption("Dropout", Map.of("p", 0.25)));
        assertEquals("1×32×32", caption("Input", Map.of("shape", List.of(1, 32, 32), "dataset", "mnist")),
                "a choice such as the dataset is not shown");
        assertEquals("", caption("ReLU", Map.of()));
    }

    @Test
    void anInvalidValueIsShownAsTyped() {
        assertEquals("0, 6", caption("Conv2d", Map.of("out_channels", 6, "kernel_size", 0)));
    }

    @Test
    void formatDropsANeedlessPointZero() {
        assertEquals("2", NodeCaption.format(2.0));
        assertEquals("0.5", NodeCaption.format(0.5));
        assertEquals("5×5", NodeCaption.format(List.of(5, 5)));
        assertEquals("True", NodeCaption.format(true));
    }

    @Test
    void shapesAreWrittenWithTimesSigns() {
        assertEquals("16×5×5", NodeCaption.shape(Shape.of(16, 5, 5)));
        assertEquals("120", NodeCaption.shape(Shape.of(120)));
        assertEquals("—", NodeCaption.shape(null), "an unknown shape");
    }

    @Test
    void countsAreGroupedWithCommas() {
        assertEquals("61,706", NodeCaption.count(61_706));
        assertEquals("3,199,106", NodeCaption.count(3_199_106));
        assertEquals("0", NodeCaption.count(0));
        assertEquals("999", NodeCaption.count(999));
        assertEquals("999", NodeCaption.compactCount(999));
        assertEquals("1k", NodeCaption.compactCount(1_000));
        assertEquals("2.4k", NodeCaption.compactCount(2_416));
        assertEquals("48.1k", NodeCaption.compactCount(48_120));
        assertEquals("100k", NodeCaption.compactCount(99_950));
        assertEquals("263k", NodeCaption.compactCount(262_656));
        assertEquals("1M", NodeCaption.compactCount(999_500));
        assertEquals("3.2M", NodeCaption.compactCount(3_199_106));
        assertEquals("128M", NodeCaption.compactCount(127_900_000));
    }
}
