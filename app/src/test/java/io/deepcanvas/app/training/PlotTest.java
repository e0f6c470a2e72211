package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The axis numbers: as few decimals as the value needs. */
class PlotTest {
    @Test
    void linearAxisNumbersDropTrailingZerosAndABarePoint() {
        assertEquals("0", Plot.number(0));
        assertEquals("0.5", Plot.number(0.5));
        assertEquals("1", Plot.number(1.0));
        assertEquals("-0.5", Plot.number(-0.5));
        assertEquals("0.25", Plot.number(0.25));
        assertEquals("0.1", Plot.number(0.1));
        assertEquals("0.05", Plot.number(0.05));
        assertEquals("0.001", Plot.number(0.001));
        assertEquals("2", Plot.number(2.004));
        assertEquals("12.5", Plot.number(12.5));
        assertEquals("20", Plot.number(20));
        assertEquals("100", Plot.number(100));
    }
}
