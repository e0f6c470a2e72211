package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The curves' smoothing: TensorBoard's debiased average, with one wild batch's weight bounded for the loss. */
class EmaTest {

    @Test
    void itIsTensorBoardsDebiasedAverageForOrdinaryValues() {
        Ema accuracy = Ema.ofAccuracy(0.95), loss = Ema.ofLoss(0.95);
        assertEquals(0.5, accuracy.add(0.5), 1e-12);
        assertEquals(2.3, loss.add(2.3), 1e-12);
        assertEquals((0.95 * 0.05 * 0.5 + 0.05 * 0.7) / (1 - 0.95 * 0.95), accuracy.add(0.7), 1e-12);
        assertEquals((0.95 * 0.05 * 2.3 + 0.05 * 1.1) / (1 - 0.95 * 0.95), loss.add(1.1), 1e-12);
    }

    @Test
    void oneWildBatchCountsAsTenTimesTheSmoothedLoss() {
        Ema loss = Ema.ofLoss(0.95);
        double s = Double.NaN;
        for (int i = 0; i < 100; i++) {
            s = loss.add(58);
        }
        double spike = loss.add(3e32);
        // the spike counts as 10 × 58: the debiased average of 100 × 58 and one 580
        double bound = (0.95 * s * (1 - Math.pow(0.95, 100)) + 0.05 * 10 * s) / (1 - Math.pow(0.95, 101));
        assertEquals(bound, spike, bound * 1e-9, "a bump to about 1.45x, not 1.5e31");
        double after = Double.NaN;
        for (int i = 0; i < 30; i++) {
            after = loss.add(58);
        }
        assertTrue(after < 1.1 * 58, "back within 10% of the batches 30 steps later: " + after);
    }

    @Test
    void aLossThatReallyRisesIsFollowed() {
        Ema loss = Ema.ofLoss(0.95);
        loss.add(1);
        double s = Double.NaN;
        for (int i = 0; i < 60; i++) {
            s = loss.add(1000);
        }
        assertTrue(s > 900, "a run that diverges shows it within a few dozen steps: " + s);
        loss.reset();
        assertEquals(0.25, loss.add(0.25), 1e-12, "a reset starts over at the first value");
    }

    @Test
    void largeLossesAreWrittenWithAnExponent() {
        assertEquals("0.0645", Ema.lossText(0.06451));
        assertEquals("2.3026", Ema.lossText(2.302585));
        assertEquals("3.18e+13", Ema.lossText(31755689763140.676));
    }
}
