package io.deepcanvas.engine.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over the CPU cores.
 *
 * <p>A training step of the networks we target runs a few dozen parallel loops of 10–500 µs each. Handing work
 * to a {@code ForkJoinPool} costs 30–70 µs per loop here (a parked worker has to be woken by the OS), which was a
 * third of a LeNet-5 step. So the workers are our own threads that <em>spin</em> for a short while after each
 * piece of work, like OpenMP's (and so PyTorch's) worker threads: a hand-off to a spinning worker is a couple of
 * cache-line transfers, about a microsecond. A worker idle for longer than {@link #SPIN_NANOS} parks and is
 * woken the slow way, so an idle program costs no CPU.
 *
 * <p>One loop runs on the pool at a time. A loop started inside another (a kernel calling a kernel) or from a
 * second thread while the pool is busy runs on its caller's thread; results never depend on the split.
 */
final class Parallel {
    /** Worker count: {@code -Ddeepcanvas.threads=N} or the number of cores. */
    static final int THREADS = Math.max(1, Integer.getInteger("deepcanvas.threads",
            Runtime.getRuntime().availableProcessors()));

    /** Below this many estimated flops (or bytes touched) a loop stays on one thread. */
    static final long MIN_PARALLEL_WORK = 1 << 15;

    /** How long an idle worker spins before it parks: longer than the serial gaps inside a training step. */
    private static final long SPIN_NANOS = 2_000_000L;

    private static final Worker[] WORKERS = new Worker[THREADS - 1];
    /** Held by the thread whose loop is on the workers. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /** Set on threads that must not split their loops (workers, and callers inside {@link #serially}). */
    private static final ThreadLocal<boolean[]> SERIAL = ThreadLocal.withInitial(() -> new boolean[1]);

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker(i + 1);
            WORKERS[i].start();
        }
    }

    interface RangeBody {
        void run(int from, int to);
    }

    interface ChunkBody {
        void run(int chunk, int from, int to);
    }

    private Parallel() {
    }

    /**
     * Runs {@code body} over [0, n), split over the cores when {@code totalWork} is large enough. Each thread has a
     * share of [0, n), the same in every loop, and claims it from its front in shrinking pieces; a thread done
     * with its own takes pieces from the back of the fullest other share. So a thread that starts late
     * or runs slower (a virtual CPU the host preempts) just does less, the last pieces are small (fixed pieces, four
     * per thread, left the caller waiting about half a piece per loop: 15% of a dense network's step), and the data
     * stays on its core from loop to loop: a Linear layer's weight rows [0, n/2) are updated by the optimizer,
     * multiplied in the forward pass and get their gradient on the same core, where claiming pieces from one shared
     * front (guided self-scheduling, as before) handed them to whichever thread came first, and 1.6 MB of the dense
     * network's first layer crossed between the cores' caches several times a step (its training 2–6% faster).
     */
    static void forRange(int n, long totalWork, RangeBody body) {
        int chunks = chunksFor(n, totalWork);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        // the smallest piece still carries about MIN_PARALLEL_WORK / 4 of work, so claiming it stays cheap
        int minPiece = (int) Math.max(1, Math.min(n, (long) n * (MIN_PARALLEL_WORK / 4) / Math.max(1, totalWork)));
        // each chunk's share of [0, n), its untaken part packed as (back << 32 | front)
        AtomicLongArray shares = new AtomicLongArray(chunks);
        for (int c = 0; c < chunks; c++) {
            shares.set(c, ((long) (int) ((long) n * (c + 1) / chunks) << 32) | (int) ((long) n * c / chunks));
        }
        forChunks(chunks, chunks, (chunk, ignoredFrom, ignoredTo) -> {
            // its own share from the front, then the others' from their backs, the fullest first
            while (claim(shares, chunk, true, minPiece, body)) {
                // claimed and ran a piece
            }
            for (int victim = fullest(shares); victim >= 0; victim = fullest(shares)) {
                claim(shares, victim, false, minPiece, body);
            }
        });
    }

    /**
     * Takes a piece of share {@code c} — a quarter of what is left of it, at least {@code minPiece} — from its front
     * or its back and runs it; false when the share is empty. A lost race claims nothing and returns true.
     */
    private static boolean claim(AtomicLongArray shares, int c, boolean fromFront, int minPiece, RangeBody body) {
        long e = shares.get(c);
        int front = (int) e, back = (int) (e >>> 32), left = back - front;
        if (left <= 0) {
            return false;
        }
        int size = Math.min(left, Math.max(minPiece, left / 4));
        int from = fromFront ? front : back - size;
        long rest = fromFront ? ((long) back << 32) | (front + size) : ((long) (back - size) << 32) | front;
        if (shares.compareAndSet(c, e, rest)) {
            body.run(from, from + size);
        }
        return true;
    }

    /** The share with the most left untaken, or -1 when all are empty. */
    private static int fullest(AtomicLongArray shares) {
        int fullest = -1, most = 0;
        for (int c = 0; c < shares.length(); c++) {
            long e = shares.get(c);
            int left = (int) (e >>> 32) - (int) e;
            if (left > most) {
                most = left;
                fullest = c;
            }
        }
        return fullest;
    }

    /** How many pieces {@link #forPieces} should cut [0, n) into: 1 when the loop stays on one thread. */
    static int piecesFor(int n, long totalWork, int piecesPerThread) {
        int chunks = chunksFor(n, totalWork);
        if (chunks <= 1) {
            return 1;
        }
        return (int) Math.min(n, Math.max(chunks, Math.min((long) chunks * piecesPerThread,
                totalWork / (MIN_PARALLEL_WORK / 2))));
    }

    /**
     * Runs piece p of [0, n) (the p-th of {@code pieces} equal ranges) for every p, the threads claiming pieces as
     * they go; {@code body} gets the piece's index. A loop that sums into one accumulator per piece and adds them
     * up in piece order gets the same result however the pieces fell to the threads.
     */
    static void forPieces(int n, int pieces, ChunkBody body) {
        if (pieces <= 1) {
            body.run(0, 0, n);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int threads = Math.min(THREADS, pieces);
        forChunks(threads, threads, (chunk, from, to) -> {
            for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
                body.run(p, (int) ((long) n * p / pieces), (int) ((long) n * (p + 1) / pieces));
            }
        });
    }

    /** Number of chunks {@link #forRange} would use, so callers can size per-chunk accumulators. */
    static int chunksFor(int n, long totalWork) {
        if (THREADS == 1 || SERIAL.get()[0] || BUSY.get()) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Math.min(THREADS, n), Math.max(1, totalWork / MIN_PARALLEL_WORK)));
    }

    /**
     * Runs chunk c of {@code chunks} over its share of [0, n) for c in [0, chunks), each with its own index (for
     * per-chunk scratch). Chunk 0 runs on the caller; when the pool is taken, every chunk does, in order.
     */
    static void forChunks(int n, int chunks, ChunkBody body) {
        if (chunks <= 1) {
            body.run(0, 0, n);
            return;
        }
        if (chunks > THREADS || SERIAL.get()[0] || !BUSY.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
            return;
        }
        boolean[] serial = SERIAL.get();
        Throwable failure = null;
        // while the JIT compiles, one worker's core is left to it: its chunk runs on the caller (the same pieces, so
        // the same results), and the worker parks instead of spinning
        int toWorkers = JitActivity.compiling() ? Math.min(chunks, THREADS - 1) : chunks;
        try {
            for (int c = 1; c < toWorkers; c++) {
                WORKERS[c - 1].post(body, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
            // the caller's own chunk and any it takes over below keep their inner loops on this thread
            serial[0] = true;
            try {
                body.run(0, 0, (int) ((long) n / chunks));
            } catch (Throwable t) {
                failure = t;
            }
            for (int c = 1; c < chunks; c++) {
                Worker worker = WORKERS[c - 1];
                Throwable t;
                if (c >= toWorkers) {
                    t = null;
                    try {
                        body.run(c, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    } catch (Throwable e) {
                        t = e;
                    }
                } else if (worker.claim()) {
                    // not started yet (preempted, or waking from a park): run its chunk here instead of waiting
                    t = null;
                    try {
                        body.run(c, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    } catch (Throwable e) {
                        t = e;
                    }
                    worker.release();
                } else {
                    t = worker.await();
                }
                if (failure == null) {
                    failure = t;
                }
            }
        } finally {
            serial[0] = false;
            BUSY.set(false);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Runs {@code action} with every loop it starts kept on the calling thread (tests of the single-chunk paths). */
    static void serially(Runnable action) {
        boolean[] serial = SERIAL.get();
        boolean was = serial[0];
        serial[0] = true;
        try {
            action.run();
        } finally {
            serial[0] = was;
        }
    }

    /** A pool thread: takes one posted chunk at a time, spinning between them. */
    private static final class Worker extends Thread {
        private final int chunk;
        /** Generation of the last posted chunk; the worker runs it when it differs from what it has done. */
        private volatile int posted;
        private volatile int finished;
        private volatile boolean parked;
        /** The last generation someone took to run: the worker, or the caller when the worker was late. */
        private final AtomicInteger claimed = new AtomicInteger();
        private ChunkBody body;
        private int from;
        private int to;
        private Throwable failure;

        Worker(int chunk) {
            super("deepcanvas-cpu-" + chunk);
            this.chunk = chunk;
            setDaemon(true);
        }

        /** Called by the pool's owner: the plain fields are published by the volatile write of posted. */
        void post(ChunkBody work, int start, int end) {
            body = work;
            from = start;
            to = end;
            failure = null;
            posted = posted + 1;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Takes the posted chunk for the calling thread if nobody has started it yet. */
        boolean claim() {
            int generation = posted;
            return claimed.compareAndSet(generation - 1, generation);
        }

        /** After the caller ran a chunk it claimed: drops the reference to the loop's body. */
        void release() {
            body = null;
        }

        /** Waits for the posted chunk, which the worker claimed; returns what it threw, or null. */
        Throwable await() {
            int target = posted;
            for (int spins = 0; finished != target; spins++) {
                if ((spins & 0xFFFF) == 0xFFFF) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            Throwable t = failure;
            body = null;
            return t;
        }

        @Override
        public void run() {
            SERIAL.get()[0] = true;
            int done = 0;
            while (true) {
                long idleSince = System.nanoTime();
                int spins = 0;
                while (posted == done) {
                    if ((++spins & 63) != 0) {
                        Thread.onSpinWait();
                    } else if (System.nanoTime() - idleSince > SPIN_NANOS) {
                        parked = true;
                        // re-check after announcing: a post between the loop test and here must not be missed
                        if (posted == done) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                done = posted;
                if (!claimed.compareAndSet(done - 1, done)) {
                    continue; // the caller took it
                }
                try {
                    body.run(chunk, from, to);
                } catch (Throwable t) {
                    failure = t;
                }
                finished = done;
            }
        }
    }
}
