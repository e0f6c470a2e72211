package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigitPadRasterTest {
    @Test
    void aStrokeInksItsRoundBrushAndNothingElse() {
        DigitPadRaster r = new DigitPadRaster(100, 100);
        assertTrue(r.isEmpty());
        r.stroke(20, 50.25, 80, 50.25, 20);
        float[] px = r.snapshot();
        assertFalse(r.isEmpty());
        assertEquals(1f, px[50 * 100 + 50], "on the line");
        assertEquals(1f, px[45 * 100 + 20], "inside the round cap");
        assertEquals(0f, px[50 * 100 + 5], "beyond the cap");
        assertEquals(0f, px[30 * 100 + 50], "beyond the brush's radius");
        float edge = px[40 * 100 + 50];
        assertTrue(edge > 0 && edge < 1, "the edge is anti-aliased: " + edge);
    }

    @Test
    void clearingEmptiesAndSnapshotsAreCopies() {
        DigitPadRaster r = new DigitPadRaster(50, 50);
        r.stroke(25, 25, 25, 25, 10);
        float[] before = r.snapshot();
        r.clear();
        assertTrue(r.isEmpty());
        assertEquals(1f, before[25 * 50 + 25]);
        assertEquals(0f, r.snapshot()[25 * 50 + 25]);
    }
}
