package io.deepcanvas.engine.backend.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as {@code deepcanvas devices} lists it; {@code index} is the N of {@code --device opencl:N}
 * (the order of the platforms, then of their devices).
 */
public record OpenCLDeviceInfo(int index, String platform, String name, String type, int computeUnits,
                               long globalMemoryBytes, String version, cl_platform_id platformId,
                               cl_device_id deviceId) {

    /** Whether the device is a GPU ({@code auto} picks only GPUs: on a CPU our own backend is faster than PoCL). */
    public boolean isGpu() {
        return "GPU".equals(type);
    }

    /** The line {@code deepcanvas devices} prints for it. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "opencl:%d  %s / %s (%s), %d compute units, %,d MB, %s", index,
                platform, name, type, computeUnits, globalMemoryBytes / (1024 * 1024), version);
    }
}
