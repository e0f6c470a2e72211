package io.deepcanvas.engine.backend;

/**
 * Memory owned by one {@link Backend}: a flat array of float32 on the CPU, a {@code cl_mem} on an OpenCL device.
 * Tensors hold a buffer plus shape, strides and offset; only the owning backend reads its contents.
 */
public abstract class Buffer {
    /** Number of floats the buffer holds. */
    public abstract int size();

    /** The backend that created this buffer and runs kernels on it. */
    public abstract Backend backend();
}
