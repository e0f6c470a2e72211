package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT's verdicts from readings of its compilation time: busy while it compiles, settled once it has calmed. */
class JitActivityTest {
    private static final long WINDOW = JitActivity.WINDOW_MILLIS * 1_000_000L;

    @Test
    void busyWhileTheJitCompilesQuietBetweenAndSettledForGoodAfterAQuietSpell() {
        long t = 0;
        long compiled = 0;
        JitActivity.Judge j = new JitActivity.Judge(t, compiled);
        assertTrue(j.busy, "a run starts with the JIT busy");
        // a window with 40 ms of 50 compiling: busy
        t += WINDOW;
        compiled += 40;
        j.read(t, compiled);
        assertTrue(j.busy);
        // one quiet window: not busy, not settled yet
        t += WINDOW;
        j.read(t, compiled);
        assertFalse(j.busy);
        assertFalse(j.settled);
        // a compile again (20 ms): busy again, and the count of quiet windows starts over
        t += WINDOW;
        compiled += 20;
        j.read(t, compiled);
        assertTrue(j.busy);
        for (int i = 0; i < JitActivity.SETTLED_WINDOWS - 1; i++) {
            t += WINDOW;
            j.read(t, compiled);
            assertFalse(j.settled, "settled after only " + (i + 1) + " quiet windows");
        }
        t += WINDOW;
        assertTrue(j.windowDue(t), "a window ends every " + JitActivity.WINDOW_MILLIS + " ms until it settles");
        j.read(t, compiled);
        assertTrue(j.settled);
        assertFalse(j.busy);
        // settled, it is never due for a reading again: the question stays on the branches it took before
        assertFalse(j.windowDue(t + WINDOW));
        assertFalse(j.windowDue(t + 3600 * 1_000_000_000L));
        // a later compile (the JIT goes on compiling now and then) no longer takes a core from the training
        t += WINDOW;
        compiled += 45;
        j.read(t, compiled);
        assertFalse(j.busy);
        assertTrue(j.settled);
    }

    @Test
    void aShortCompileInALongWindowIsNotBusy() {
        JitActivity.Judge j = new JitActivity.Judge(0, 100);
        // 4 ms in a 50 ms window is 8%, under the 10% threshold
        j.read(WINDOW, 104);
        assertFalse(j.busy);
        // 6 ms is 12%, over it
        j.read(2 * WINDOW, 110);
        assertTrue(j.busy);
    }

    @Test
    void aJitThatNeverQuietsDownCountsAsSettledAfterTheHandOverTime() {
        long t = 1_000_000_000L;
        long compiled = 0;
        JitActivity.Judge j = new JitActivity.Judge(t, compiled);
        long end = t + JitActivity.HAND_OVER_NANOS;
        // a compile in every other window: never a quiet spell long enough to settle
        for (int i = 0; t + WINDOW < end; i++) {
            t += WINDOW;
            compiled += i % 2 == 0 ? 30 : 0;
            j.read(t, compiled);
            assertFalse(j.settled, "settled at window " + i + " although the JIT kept compiling");
        }
        t = end;
        compiled += 30;
        j.read(t, compiled);
        assertTrue(j.settled, "still handing a core over after the hand-over time");
        assertFalse(j.busy);
    }
}
