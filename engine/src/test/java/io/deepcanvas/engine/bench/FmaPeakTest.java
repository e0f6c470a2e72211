package io.deepcanvas.engine.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FmaPeakTest {
    @Test
    void measuresAPlausiblePeakPerThread() {
        double one = FmaPeak.measure(1, 0.05);
        // a core with vector FMAs does tens of GFLOP/s once C2 has compiled the chains (interpreted or C1-compiled
        // code does ~0.1: a warm-up that stops too early lands below 1), and no core does 10 TFLOP/s: a miscounted
        // loop (calls, lanes, chains or seconds) lands outside
        assertTrue(one > 1 && one < 10_000, "one thread: " + one + " GFLOP/s");
    }
}
