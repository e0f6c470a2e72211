package io.deepcanvas.engine.backend.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocl.CL;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device memory for one context, pooled by exact size: a training step allocates the same sizes every step, so
 * after the first step it creates no {@code cl_mem} at all. Memory comes back by {@code recycle} or, when a
 * buffer becomes unreachable, from the cleaner thread through a queue that the owner thread drains; the pool keeps
 * at most {@link #maxPooledBytes} and releases the rest. When the memory in use passes {@link #softLimitBytes}
 * the pool asks the JVM to collect first: a GPU's memory is not something the Java heap's collector can see.
 */
final class MemoryPool {
    private final cl_context context;
    private final Map<Integer, ArrayDeque<cl_mem>> free = new HashMap<>();
    private final ConcurrentLinkedQueue<Orphan> orphans = new ConcurrentLinkedQueue<>();
    private final AtomicInteger live = new AtomicInteger();
    private final long softLimitBytes;
    private final long maxPooledBytes;
    private long pooledBytes;
    private long liveBytes;

    private record Orphan(cl_mem mem, int floats) {
    }

    MemoryPool(cl_context context, long deviceMemoryBytes) {
        this.context = context;
        this.softLimitBytes = Math.max(64L << 20, Math.min(deviceMemoryBytes / 2, 2L << 30));
        this.maxPooledBytes = softLimitBytes / 2;
    }

    /** Memory for {@code floats} floats (at least one: OpenCL has no empty buffers), contents undefined. */
    synchronized cl_mem take(int floats) {
        drainOrphans();
        cl_mem m = fromPool(floats);
        if (m != null) {
            return m;
        }
        if (liveBytes + bytes(floats) > softLimitBytes) {
            collectGarbage();
            m = fromPool(floats);
            if (m != null) {
                return m;
            }
        }
        m = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes(floats), null, null);
        live.incrementAndGet();
        liveBytes += bytes(floats);
        return m;
    }

    private cl_mem fromPool(int floats) {
        ArrayDeque<cl_mem> q = free.get(floats);
        if (q == null || q.isEmpty()) {
            return null;
        }
        pooledBytes -= bytes(floats);
        return q.pop();
    }

    /** Takes memory back for reuse (the owner thread: {@code recycle}). */
    synchronized void give(cl_mem m, int floats) {
        if (pooledBytes + bytes(floats) > maxPooledBytes) {
            release(m, floats);
            return;
        }
        free.computeIfAbsent(floats, k -> new ArrayDeque<>()).push(m);
        pooledBytes += bytes(floats);
    }

    /** From the cleaner thread: queued, and pooled by the next call on the owner thread. */
    void orphaned(cl_mem m, int floats) {
        orphans.add(new Orphan(m, floats));
    }

    private void drainOrphans() {
        for (Orphan o; (o = orphans.poll()) != null; ) {
            give(o.mem(), o.floats());
        }
    }

    private void release(cl_mem m, int floats) {
        CL.clReleaseMemObject(m);
        live.decrementAndGet();
        liveBytes -= bytes(floats);
    }

    /** Runs the collector and waits briefly for the cleaner to hand back what it found. */
    synchronized void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            drainOrphans();
        }
    }

    /** Releases every pooled buffer (after a run: the memory goes back to the device). */
    synchronized void trim() {
        drainOrphans();
        for (Map.Entry<Integer, ArrayDeque<cl_mem>> e : free.entrySet()) {
            for (cl_mem m : e.getValue()) {
                release(m, e.getKey());
            }
        }
        free.clear();
        pooledBytes = 0;
    }

    /** Device buffers that exist now, in use or pooled. */
    int liveBuffers() {
        return live.get();
    }

    synchronized long liveBytes() {
        return liveBytes;
    }

    private static long bytes(int floats) {
        return (long) Math.max(1, floats) * Sizeof.cl_float;
    }
}
