package io.deepcanvas.engine.backend.opencl;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.Buffer;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicReference;
import org.jocl.cl_mem;

/**
 * A {@code cl_mem} of {@code size} floats. JOCL frees nothing on garbage collection, so each buffer registers its
 * memory with a {@link Cleaner}: once the buffer is unreachable the memory goes back to the {@link MemoryPool}
 * (never released from the cleaner thread itself). {@link Backend#recycle} hands it back earlier.
 */
final class OpenCLBuffer extends Buffer {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The memory, held apart from the buffer so that the cleaner's action does not keep the buffer alive. */
    static final class Handle implements Runnable {
        final AtomicReference<cl_mem> mem;
        final int floats;
        final MemoryPool pool;

        Handle(cl_mem mem, int floats, MemoryPool pool) {
            this.mem = new AtomicReference<>(mem);
            this.floats = floats;
            this.pool = pool;
        }

        /** The cleaner's action: queue the memory for the owner thread to pool or release. */
        @Override
        public void run() {
            cl_mem m = mem.getAndSet(null);
            if (m != null) {
                pool.orphaned(m, floats);
            }
        }
    }

    private final OpenCLBackend backend;
    private final int size;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;

    OpenCLBuffer(OpenCLBackend backend, int size, Handle handle) {
        this.backend = backend;
        this.size = size;
        this.handle = handle;
        this.cleanable = CLEANER.register(this, handle);
    }

    /** The memory; fails with the cause when the buffer was already given back. */
    cl_mem mem() {
        cl_mem m = handle.mem.get();
        if (m == null) {
            throw new IllegalStateException("an OpenCL buffer of " + size + " floats on " + backend.name()
                    + " is used after it was recycled: a tensor still refers to memory the engine gave back");
        }
        return m;
    }

    /** Takes the memory out of this buffer (for {@code recycle}); null when it was taken already. */
    cl_mem take() {
        cl_mem m = handle.mem.getAndSet(null);
        cleanable.clean();
        return m;
    }

    int capacity() {
        return handle.floats;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Backend backend() {
        return backend;
    }
}
