package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.editor.InspectorValues.Result;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.ParamSpec;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InspectorValuesTest {
    private static final ParamSpec KERNEL = spec("Conv2d", "kernel_size");
    private static final ParamSpec SHAPE = spec("Input", "shape");

    static ParamSpec spec(String type, String name) {
        return LayerTypes.get(type).param(name);
    }

    @BeforeEach
    void english() {
        I18n.setLocale(Locale.ENGLISH);
    }

    private static Object ok(ParamSpec spec, String text) {
        Result r = InspectorValues.parse(spec, text);
        assertTrue(r.valid(), () -> "'" + text + "' should be accepted, got: " + r.error());
        return r.value();
    }

    private static String error(ParamSpec spec, String text) {
        Result r = InspectorValues.parse(spec, text);
        assertFalse(r.valid(), () -> "'" + text + "' should be refused, got " + r.value());
        return r.error();
    }

    @Test
    void oneNumberForAPairStaysOneNumber() {
        assertEquals(5, ok(KERNEL, "5"));
        assertEquals(5, ok(KERNEL, " 5 "));
    }

    @Test
    void twoNumbersMakeAPairHoweverTheyAreWritten() {
        for (String text : List.of("5, 3", "5,3", "[5, 3]", "(5, 3)", "5×3", "5x3", "5 3")) {
            assertEquals(List.of(5, 3), ok(KERNEL, text), text);
        }
    }

    @Test
    void aListKeepsEveryNumberEvenASingleOne() {
        assertEquals(List.of(1, 32, 32), ok(SHAPE, "1, 32, 32"));
        assertEquals(List.of(1, 32, 32), ok(SHAPE, "[1, 32, 32]"));
        assertEquals(List.of(784), ok(SHAPE, "784"));
    }

    @Test
    void anEmptyFieldMeansUnset() {
        assertNull(ok(KERNEL, ""));
        assertNull(ok(KERNEL, "   "));
        assertNull(ok(spec("MaxPool2d", "stride"), ""));
    }

    @Test
    void aValueOutOfRangeNamesTheParameterTheValueAndTheAllowedRange() {
        assertEquals("kernel_size must be >= 1, got 0; allowed: at least 1", error(KERNEL, "0"));
        assertEquals("p must be >= 0.0 and <= 1.0, got 1.5; allowed: from 0 to 1", error(spec("Dropout", "p"),
                "1.5"));
        assertTrue(error(spec("BatchNorm2d", "eps"), "0").endsWith("allowed: greater than 0"));
    }

    @Test
    void textThatIsNoNumberIsRefusedWithTheRange() {
        String e = error(KERNEL, "abc");
        assertTrue(e.startsWith("kernel_size must be a whole number or a pair [h, w], got \"abc\""), e);
        assertTrue(e.endsWith("; allowed: at least 1"), e);
        assertTrue(error(KERNEL, "1, 2, 3").contains("one number or a pair"));
        assertTrue(error(SHAPE, "1, two, 3").contains("a list of whole numbers"));
    }

    @Test
    void wholeNumbersRefuseFractionsButNotAWrittenOutPointZero() {
        ParamSpec out = spec("Conv2d", "out_channels");
        assertEquals(6, ok(out, "6.0"));
        assertTrue(error(out, "2.5").contains("must be a whole number, got 2.5"));
        assertTrue(error(out, "99999999999").contains("out_channels must be"));
    }

    @Test
    void realNumbersAcceptExponentsAndADecimalComma() {
        assertEquals(0.25, ok(spec("Dropout", "p"), "0,25"));
        assertEquals(1e-5, ok(spec("BatchNorm2d", "eps"), "1e-5"));
        assertEquals(0.0, ok(spec("Dropout", "p"), "0"));
        // Java's own extras are not numbers a user means
        assertFalse(InspectorValues.parse(spec("Dropout", "p"), "0.5d").valid());
        assertFalse(InspectorValues.parse(spec("Dropout", "p"), "NaN").valid());
    }

    @Test
    void aParameterWithoutBoundsHasNoRangeToName() {
        ParamSpec startDim = spec("Flatten", "start_dim");
        assertNull(InspectorValues.allowed(startDim));
        assertEquals("start_dim must be a whole number, got \"first\"", error(startDim, "first"));
        assertEquals(-3, ok(startDim, "-3"));
    }

    @Test
    void valuesAreWrittenAsTheUserWouldTypeThem() {
        assertEquals("5", InspectorValues.format(List.of(5, 5)));
        assertEquals("5, 3", InspectorValues.format(List.of(5, 3)));
        assertEquals("1, 32, 32", InspectorValues.format(List.of(1, 32, 32)));
        assertEquals("0.001", InspectorValues.format(0.001));
        assertEquals("0.5", InspectorValues.format(0.5));
        assertEquals("1", InspectorValues.format(1.0));
        assertEquals("1e-05", InspectorValues.format(1e-5));
        assertEquals("1e-08", InspectorValues.format(1e-8));
        assertEquals("", InspectorValues.format(null));
        assertEquals("true", InspectorValues.format(true));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameValue() {
        for (double d : new double[] {1e-5, 1e-8, 0.001, 0.1307, 3.0, 2.5e-7, 12345.678}) {
            Result r = InspectorValues.parseReal("x", InspectorValues.format(d));
            assertEquals(d, r.value(), InspectorValues.format(d));
        }
    }

    @Test
    void trainingNumbersNameTheSettingInTheUsersWords() {
        assertEquals(12L, InspectorValues.parseWhole("Epochs", "12", 1, Integer.MAX_VALUE).value());
        assertEquals("Epochs must be a whole number, got \"twelve\"",
                InspectorValues.parseWhole("Epochs", "twelve", Integer.MIN_VALUE, Integer.MAX_VALUE).error());
        assertEquals("Epochs must be a whole number, got \"1.5\"",
                InspectorValues.parseWhole("Epochs", "1.5", Integer.MIN_VALUE, Integer.MAX_VALUE).error());
        assertEquals("Batch size is out of range, got 99999999999",
                InspectorValues.parseWhole("Batch size", "99999999999", Integer.MIN_VALUE, Integer.MAX_VALUE)
                        .error());
        assertEquals(99999999999L, InspectorValues.parseWhole("Seed", "99999999999", Long.MIN_VALUE,
                Long.MAX_VALUE).value());
        assertEquals(0.01, InspectorValues.parseReal("Learning rate", "0,01").value());
        assertEquals("Learning rate must be a number, got \"fast\"",
                InspectorValues.parseReal("Learning rate", "fast").error());
    }
}
