package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The spinning worker pool: every index once, failures reported, nested and concurrent loops safe. */
class ParallelTest {
    private static final long BIG = Parallel.MIN_PARALLEL_WORK * 64;

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int n : new int[] {1, 2, 3, 7, 64, 1000, 100_003}) {
            int[] hits = new int[n];
            Parallel.forRange(n, BIG, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            int[] once = new int[n];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, hits, "n = " + n);
        }
    }

    @Test
    void piecesShrinkTowardsTheEndSoNoThreadWaitsLongForTheLast() {
        assumeTrue(Parallel.THREADS > 1, "one core: the loop is never split (deepcanvas.threads=1)");
        int n = 100_003;
        java.util.List<int[]> pieces = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Parallel.forRange(n, BIG, (from, to) -> pieces.add(new int[] {from, to}));
        pieces.sort(java.util.Comparator.comparingInt(p -> p[0]));
        assertTrue(pieces.size() > 2 * Parallel.THREADS, "more pieces than threads: " + pieces.size());
        int expectedFrom = 0, smallest = n;
        for (int[] p : pieces) {
            assertEquals(expectedFrom, p[0], "pieces tile the range");
            expectedFrom = p[1];
            smallest = Math.min(smallest, p[1] - p[0]);
            // a quarter of one thread's share at most, so what a slow thread has left can be taken in pieces
            assertTrue(p[1] - p[0] <= n / Parallel.chunksFor(n, BIG) / 4 + 1, "piece " + p[0] + ".." + p[1]
                    + " too big");
        }
        assertEquals(n, expectedFrom);
        assertTrue(smallest <= n / 64, "the last pieces are small: " + smallest);
    }

    @Test
    void eachThreadStartsOnItsOwnShareSoDataStaysOnItsCoreFromLoopToLoop() {
        assumeTrue(Parallel.THREADS > 1, "one core: the loop is never split (deepcanvas.threads=1)");
        JitActivity.during(false, () -> {
            int n = 1 << 16, threads = Parallel.chunksFor(n, BIG);
            // a thread held up by the host can find its share taken, so a few tries; with one shared front the
            // workers never start at their shares
            boolean home = false;
            for (int attempt = 0; attempt < 5 && !home; attempt++) {
                Map<Thread, Integer> firstFrom = new ConcurrentHashMap<>();
                Parallel.forRange(n, BIG, (from, to) -> {
                    firstFrom.putIfAbsent(Thread.currentThread(), from);
                    sleepQuietly(2);
                });
                java.util.Set<Integer> starts = new java.util.HashSet<>(firstFrom.values());
                home = firstFrom.get(Thread.currentThread()) == 0 && firstFrom.size() == threads;
                for (int c = 0; c < threads; c++) {
                    home &= starts.contains((int) ((long) n * c / threads));
                }
            }
            assertTrue(home, "every thread's first piece is the front of its own share");
        });
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aThreadThatIsHeldUpHasItsShareTakenByTheOthers() {
        assumeTrue(Parallel.THREADS > 1, "one core: the loop is never split (deepcanvas.threads=1)");
        JitActivity.during(false, () -> {
            Thread caller = Thread.currentThread();
            int n = 4096;
            int[] hits = new int[n];
            java.util.concurrent.atomic.AtomicInteger byCaller = new java.util.concurrent.atomic.AtomicInteger();
            Parallel.forRange(n, BIG, (from, to) -> {
                if (Thread.currentThread() == caller) {
                    // the caller's home region is [0, n / THREADS): it crawls through it
                    byCaller.addAndGet(to - from);
                    sleepQuietly(20);
                }
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits[i], "index " + i);
            }
            int share = n / Parallel.chunksFor(n, BIG);
            assertTrue(byCaller.get() < share, "the workers took part of the caller's share: " + byCaller.get()
                    + " of " + share);
        });
    }

    @Test
    void bigLoopsUseTheWorkersWhenThereAreSeveralCores() {
        // with the JIT idle: while it compiles, one worker's chunks run on the caller (tested below)
        JitActivity.during(false, this::bigLoopsUseTheWorkers);
    }

    private void bigLoopsUseTheWorkers() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        int want = Math.min(2, Parallel.THREADS);
        for (int round = 0; round < 50 && threads.size() < want; round++) {
            Parallel.forChunks(Parallel.THREADS, Parallel.THREADS, (chunk, from, to) -> {
                threads.add(Thread.currentThread());
                // the caller's chunk lasts until a worker has started one (else the caller, done at once, would
                // rightly run the not-yet-started chunks itself)
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (chunk == 0 && threads.size() < want && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            });
        }
        assertEquals(Math.min(2, Parallel.THREADS), Math.min(2, threads.size()), "threads that ran chunks: " + threads);
    }

    /**
     * While the JIT compiles, the last worker's chunks run on the caller, so that a core is left to the compiler:
     * on two cores every chunk then runs on the caller, and the chunks, their ranges and so the results stay the
     * same as with the JIT idle.
     */
    @Test
    void whileTheJitCompilesTheLastWorkersChunksRunOnTheCallerWithTheSameRanges() {
        assumeTrue(Parallel.THREADS > 1, "one core: the loop is never split (deepcanvas.threads=1)");
        int chunks = Parallel.THREADS, n = 1000;
        java.util.Map<Integer, int[]> ranges = new ConcurrentHashMap<>();
        Set<Thread> lastChunkThreads = ConcurrentHashMap.newKeySet();
        Thread caller = Thread.currentThread();
        JitActivity.during(true, () -> {
            for (int round = 0; round < 200; round++) {
                Parallel.forChunks(n, chunks, (chunk, from, to) -> {
                    int[] before = ranges.putIfAbsent(chunk, new int[] {from, to});
                    if (before != null) {
                        assertArrayEquals(before, new int[] {from, to}, "chunk " + chunk + "'s range");
                    }
                    if (chunk == chunks - 1) {
                        lastChunkThreads.add(Thread.currentThread());
                    }
                });
            }
            everyIndexRunsExactlyOnce();
        });
        assertEquals(Set.of(caller), lastChunkThreads, "the last chunk ran on the caller only");
        for (int c = 0; c < chunks; c++) {
            assertArrayEquals(new int[] {n * c / chunks, n * (c + 1) / chunks}, ranges.get(c), "chunk " + c);
        }
    }

    /**
     * A chunk no worker has started when the caller is done with its own is run by the caller: with instant
     * chunks that happens often. Every chunk must still run exactly once per loop, whoever runs it.
     */
    @Test
    void everyChunkRunsOnceWhetherAWorkerOrTheCallerTakesIt() {
        int chunks = Parallel.THREADS;
        for (int round = 0; round < 2000; round++) {
            int[] runs = new int[chunks];
            Parallel.forChunks(chunks, chunks, (chunk, from, to) -> runs[chunk]++);
            for (int c = 0; c < chunks; c++) {
                assertEquals(1, runs[c], "round " + round + ", chunk " + c);
            }
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndThePoolStaysUsable() {
        for (int bad = 0; bad < Parallel.THREADS; bad++) {
            int failing = bad;
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    Parallel.forChunks(Parallel.THREADS, Parallel.THREADS, (chunk, from, to) -> {
                        if (chunk == failing) {
                            throw new IllegalStateException("chunk " + failing + " failed");
                        }
                    }));
            assertEquals("chunk " + failing + " failed", e.getMessage());
        }
        everyIndexRunsExactlyOnce();
    }

    @Test
    void nestedLoopsRunOnTheirCallersThread() {
        AtomicReference<String> problem = new AtomicReference<>();
        Parallel.forChunks(Parallel.THREADS, Parallel.THREADS, (chunk, from, to) -> {
            Thread outer = Thread.currentThread();
            if (Parallel.chunksFor(1000, BIG) != 1) {
                problem.set("a nested loop was offered several chunks");
            }
            Parallel.forRange(1000, BIG, (a, b) -> {
                if (Thread.currentThread() != outer) {
                    problem.set("a nested loop left its thread");
                }
            });
        });
        assertEquals(null, problem.get());
    }

    @Test
    void loopsFromSeveralThreadsAtOnceAllComplete() throws Exception {
        int callers = 4, n = 10_000;
        long[] sums = new long[callers];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[callers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < callers; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int rep = 0; rep < 200; rep++) {
                        long[] parts = new long[n];
                        Parallel.forRange(n, BIG, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                parts[i] = i;
                            }
                        });
                        long s = 0;
                        for (long v : parts) {
                            s += v;
                        }
                        sums[id] = s;
                        if (s != (long) n * (n - 1) / 2) {
                            throw new AssertionError("caller " + id + " summed " + s);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ts[t].start();
        }
        start.countDown();
        for (Thread t : ts) {
            t.join(60_000);
        }
        assertSame(null, failure.get());
        for (long s : sums) {
            assertEquals((long) n * (n - 1) / 2, s);
        }
    }

    @Test
    void seriallyKeepsEveryLoopOnOneThread() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Parallel.serially(() -> Parallel.forRange(10_000, BIG, (from, to) -> threads.add(Thread.currentThread())));
        assertEquals(Set.of(Thread.currentThread()), threads);
    }
}
