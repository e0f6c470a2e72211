package io.deepcanvas.engine.backend.cpu;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JIT compiler is busy now, judged from the JVM's total compilation time over the last
 * {@value #WINDOW_MILLIS} ms. On a machine with few cores, the compiler threads that turn the Vector API kernels
 * from boxed (~100× slower) into real vector code compete with our spinning workers for the cores; left a core,
 * they finish sooner and the first steps of a run speed up (see {@link Parallel#forChunks}).
 * {@code -Ddeepcanvas.ignoreJit=true} makes it always answer no (to measure what it buys).
 */
final class JitActivity {
    /** How often the compilation time is read: often enough to notice the JIT settle within a few steps. */
    static final int WINDOW_MILLIS = 50;
    /** Compiler time, as a share of the window, above which the JIT counts as busy. */
    static final int BUSY_PERCENT = 10;
    /**
     * Quiet windows in a row after which the JIT counts as settled for good: it goes on compiling a method now and
     * then for the life of the process (10–60 small C2 compiles a second after LeNet-5's warm-up, each taking a
     * window over the threshold), and handing a core over for each of those made steady-state training 5–6% slower
     * (bench, AVX2: 20.8–21.1k against 21.7–22.4k images/s with the hand-over off).
     */
    static final int SETTLED_WINDOWS = 20;
    /**
     * After this long from the first question the JIT counts as settled whatever it does: the hand-over is for the
     * first steps, whose kernels run boxed until C2 compiles them (LeNet-5's are compiled within ~3 s here). Without
     * it the JIT never stayed quiet for a whole second in some processes (a kernel recompiled now and then), and the
     * training kept handing a core over long into steady state: on AVX2, LeNet-5 settled only after 9–16 s, and
     * {@code bench} timed its steps with one core doing the work while it compiled.
     */
    static final long HAND_OVER_NANOS = 5_000_000_000L;

    /**
     * The running JVM's compilation time and verdicts, made at the first question (not when the app switches the
     * hand-over off at launch: reading the management bean costs start-up time).
     */
    private static final class Readings {
        static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
        /** Null when the JVM's compilation time cannot be read. */
        static final Judge JVM = JIT != null && JIT.isCompilationTimeMonitoringSupported()
                ? new Judge(System.nanoTime(), JIT.getTotalCompilationTime()) : null;
    }

    /** Whether a core is handed to the JIT at all ({@link #handOver}; {@code -Ddeepcanvas.ignoreJit=true}: no). */
    private static volatile boolean handingOver = !Boolean.getBoolean("deepcanvas.ignoreJit");
    /** Set by tests: the verdict to give whatever the JIT does, or null to judge. */
    private static volatile Boolean forced;

    private JitActivity() {
    }

    /** True while the JIT spent more than {@value #BUSY_PERCENT}% of the last window compiling (until it settles). */
    static boolean compiling() {
        Boolean f = forced;
        if (f != null) {
            return f;
        }
        if (!handingOver) {
            return false;
        }
        Judge j = Readings.JVM;
        if (j == null) {
            return false;
        }
        // no test of j.settled here: a settled judge is never due again and stays not busy, so this method takes the
        // same branches before and after it settles. A branch first taken when it settled (seconds into a run) made
        // C2 throw away every compiled kernel that had inlined this check through Parallel.forChunks, mid-epoch.
        long now = System.nanoTime();
        if (j.windowDue(now)) {
            // one reader at a time is enough; a racing second reader sees the old verdict
            synchronized (j) {
                if (j.windowDue(now)) {
                    j.read(now, Readings.JIT.getTotalCompilationTime());
                }
            }
        }
        return j.busy;
    }

    /**
     * The verdict from readings of the JVM's total compilation time: busy while a window's share of compiling is
     * above {@link #BUSY_PERCENT}%, and settled for good after {@link #SETTLED_WINDOWS} quiet windows in a row or
     * {@link #HAND_OVER_NANOS} after the first reading.
     * Apart from the JVM so a test can feed it readings.
     */
    static final class Judge {
        private final long firstReading;
        private volatile long windowStart;
        private long compileMillisAtStart;
        private int quietWindows;
        volatile boolean busy = true;
        volatile boolean settled;

        Judge(long nowNanos, long compileMillis) {
            firstReading = nowNanos;
            windowStart = nowNanos;
            compileMillisAtStart = compileMillis;
        }

        /**
         * The length of a window; never reached once settled. A value rather than a test of {@code settled}, so
         * that settling changes no branch {@link #compiling} takes.
         */
        private volatile long windowNanos = WINDOW_MILLIS * 1_000_000L;

        boolean windowDue(long nowNanos) {
            return nowNanos - windowStart >= windowNanos;
        }

        /** A reading at the end of a window: the compilation time so far, in ms. */
        void read(long nowNanos, long compileMillis) {
            if (settled) {
                return;
            }
            long elapsed = nowNanos - windowStart;
            boolean nowBusy = (compileMillis - compileMillisAtStart) * 1_000_000L * 100 > elapsed * BUSY_PERCENT;
            compileMillisAtStart = compileMillis;
            windowStart = nowNanos;
            quietWindows = nowBusy ? 0 : quietWindows + 1;
            if (quietWindows >= SETTLED_WINDOWS || nowNanos - firstReading >= HAND_OVER_NANOS) {
                settled = true;
                nowBusy = false;
                windowNanos = Long.MAX_VALUE;
            }
            busy = nowBusy;
        }
    }

    /** Whether the CPU backend hands a core to the JIT while it compiles (see {@code CpuBackend.handCoreToJit}). */
    static void handOver(boolean on) {
        handingOver = on;
    }

    /** Runs {@code action} with {@link #compiling()} answering {@code verdict} (tests of both paths). */
    static void during(boolean verdict, Runnable action) {
        forced = verdict;
        try {
            action.run();
        } finally {
            forced = null;
        }
    }
}
