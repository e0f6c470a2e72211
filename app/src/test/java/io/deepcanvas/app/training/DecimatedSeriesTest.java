package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecimatedSeriesTest {
    @Test
    void keepsEveryPointUntilFull() {
        DecimatedSeries s = new DecimatedSeries(8);
        for (int i = 1; i <= 8; i++) {
            s.add(i, i * 10);
        }
        assertEquals(8, s.size());
        assertEquals(1, s.span());
        assertEquals(30, s.y(2));
        assertEquals(3, s.x(2));
    }

    @Test
    void aFullSeriesMergesNeighboursKeepingMeanMinAndMax() {
        DecimatedSeries s = new DecimatedSeries(4);
        double[] values = {1, 5, 2, 8, 3};
        for (int i = 0; i < values.length; i++) {
            s.add(i, values[i]);
        }
        // (1,5) (2,8) then 3 starts a bucket of two
        assertEquals(3, s.size());
        assertEquals(2, s.span());
        assertEquals(3, s.y(0));
        assertEquals(1, s.min(0));
        assertEquals(5, s.max(0));
        assertEquals(0.5, s.x(0));
        assertEquals(5, s.y(1));
        assertEquals(3, s.y(2));
        s.add(5, 7);
        assertEquals(5, s.y(2), "the last bucket takes a second sample");
        assertEquals(7, s.max(2));
    }

    @Test
    void aLongRunStaysWithinTheCapacityAndKeepsItsExtremes() {
        DecimatedSeries s = new DecimatedSeries(2000);
        for (int i = 1; i <= 18_760; i++) {
            s.add(i, i == 777 ? 99 : Math.sin(i));
        }
        assertTrue(s.size() <= 2000 && s.size() > 1000, "points: " + s.size());
        assertEquals(18_760, s.samples());
        assertEquals(99, s.maxValue());
        double most = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.size(); i++) {
            most = Math.max(most, s.max(i));
        }
        assertEquals(99, most, "a spike survives decimation in its bucket's max");
        assertTrue(s.x(0) < 10 && s.lastX() > 18_700, "the points still span the run");
    }

    @Test
    void nonFiniteValuesAreNotStored() {
        DecimatedSeries s = new DecimatedSeries(4);
        s.add(1, Double.NaN);
        s.add(2, Double.POSITIVE_INFINITY);
        assertTrue(s.isEmpty());
        assertEquals(0, s.samples());
    }

    @Test
    void theCapacityMustBeEven() {
        assertThrows(IllegalArgumentException.class, () -> new DecimatedSeries(3));
    }
}
