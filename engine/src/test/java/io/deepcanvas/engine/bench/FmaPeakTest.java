package io.deepcanvas.engine.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FmaPeakTest {
    @Test
    void measuresAPlausiblePeakPerThread() {
        double one = FmaPeak.measure(1, 0.05);
        // any x86-64 core with vector FMAs does several GFLOP/s even interpreted-then-compiled in 0.2 s, and no
        // core does 10 TFLOP/s: a miscounted loop (calls, lanes, chains or seconds) lands outside
        assertTrue(one > 1 && one < 10_000, "one thread: " + one + " GFLOP/s");
    }
}
