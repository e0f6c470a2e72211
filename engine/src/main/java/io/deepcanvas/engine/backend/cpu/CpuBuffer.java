package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.Buffer;

/** A CPU buffer: a plain float array, so kernels index it directly without any per-element indirection. */
public final class CpuBuffer extends Buffer {
    final float[] data;

    CpuBuffer(float[] data) {
        this.data = data;
    }

    /** The backing array; callers outside the CPU backend only read it for host-side views. */
    public float[] array() {
        return data;
    }

    @Override
    public int size() {
        return data.length;
    }

    @Override
    public Backend backend() {
        return CpuBackend.INSTANCE;
    }
}
