package io.deepcanvas.engine.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Splits a loop over the CPU cores. Work below a threshold runs on the caller: forking costs microseconds,
 * which the small tensors of LeNet-sized networks cannot afford.
 */
final class Parallel {
    /** Worker count: {@code -Ddeepcanvas.threads=N} or the number of cores. */
    static final int THREADS = Math.max(1, Integer.getInteger("deepcanvas.threads",
            Runtime.getRuntime().availableProcessors()));

    /** Below this many estimated flops (or bytes touched) a loop stays on one thread. */
    static final long MIN_PARALLEL_WORK = 1 << 19;

    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setDaemon(true);
        t.setName("deepcanvas-cpu-" + t.getPoolIndex());
        return t;
    }, null, false);

    interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** Runs {@code body} over [0, n) in up to THREADS contiguous chunks when {@code totalWork} is large enough. */
    static void forRange(int n, long totalWork, RangeBody body) {
        forChunks(n, chunksFor(n, totalWork), (chunk, from, to) -> body.run(from, to));
    }

    /** Number of chunks {@link #forRange} would use, so callers can size per-chunk accumulators. */
    static int chunksFor(int n, long totalWork) {
        if (ForkJoinTask.inForkJoinPool()) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Math.min(THREADS, n), Math.max(1, totalWork / MIN_PARALLEL_WORK)));
    }

    /** Runs chunk c of {@code chunks} for c in [0, chunks), each with its own index (for per-chunk scratch). */
    static void forChunks(int n, int chunks, ChunkBody body) {
        if (chunks <= 1) {
            body.run(0, 0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int chunk = c;
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = POOL.submit(() -> body.run(chunk, from, to));
        }
        body.run(0, 0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    interface ChunkBody {
        void run(int chunk, int from, int to);
    }
}
