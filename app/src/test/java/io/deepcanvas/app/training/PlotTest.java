package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The axis numbers: as few decimals as the value needs; the loss axis turns logarithmic over wide ranges. */
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

    @Test
    void theLossAxisIsLogarithmicOnlyWhenTheLossSpansMoreThanAHundredfold() {
        // cross-entropy from 2.3 down to 0.05: linear, as tutorials plot it
        assertFalse(LossChartView.logScale(0.05, 2.3));
        // MSELoss from random weights: 170 at the first steps, 0.03 later
        assertTrue(LossChartView.logScale(0.03, 170));
        // a loss of exactly 0, or nothing drawn yet: linear
        assertFalse(LossChartView.logScale(0, 170));
        assertFalse(LossChartView.logScale(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Test
    void aZeroOnALogAxisLiesBelowTheFloorInsteadOfAtInfinity() {
        Plot p = new Plot(400, 300, 0, 100, 0.01, 100, true);
        assertEquals(p.bottom, p.py(0.01), 1e-9);
        assertEquals(p.top, p.py(100), 1e-9);
        assertTrue(Double.isFinite(p.py(0)) && p.py(0) > p.bottom);
    }
}
