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

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final boolean MONITORED = JIT != null && JIT.isCompilationTimeMonitoringSupported()
            && !Boolean.getBoolean("deepcanvas.ignoreJit");

    private static volatile long windowStart = System.nanoTime();
    private static volatile long compileMillisAtStart = MONITORED ? JIT.getTotalCompilationTime() : 0;
    private static volatile boolean busy = MONITORED;
    /** Set by tests: the verdict to give whatever the JIT does, or null to judge. */
    private static volatile Boolean forced;

    private JitActivity() {
    }

    /** True while the JIT spent more than {@value #BUSY_PERCENT}% of the last window compiling. */
    static boolean compiling() {
        Boolean f = forced;
        if (f != null) {
            return f;
        }
        if (!MONITORED) {
            return false;
        }
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_MILLIS * 1_000_000L) {
            // one reader at a time is enough; a racing second reader sees a short window and the old verdict
            synchronized (JitActivity.class) {
                long elapsed = now - windowStart;
                if (elapsed >= WINDOW_MILLIS * 1_000_000L) {
                    long compiled = JIT.getTotalCompilationTime();
                    busy = (compiled - compileMillisAtStart) * 1_000_000L * 100 > elapsed * BUSY_PERCENT;
                    compileMillisAtStart = compiled;
                    windowStart = now;
                }
            }
        }
        return busy;
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
