package io.deepcanvas.engine.tensor;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.cpu.CpuBackend;

/** Where a tensor's data lives ({@code torch.device}): the CPU, or later an OpenCL device. */
public record Device(String name, Backend backend) {
    public static final Device CPU = new Device("cpu", CpuBackend.INSTANCE);

    /**
     * Parses a device name as users write it: {@code cpu}, or {@code auto} (the best available: the CPU until the
     * OpenCL backend lands).
     */
    public static Device parse(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "cpu", "auto" -> CPU;
            case "opencl", "gpu" -> throw new IllegalArgumentException("Device '" + name
                    + "': the OpenCL backend is not available in this build; use --device cpu (or auto)");
            default -> throw new IllegalArgumentException("Unknown device '" + name
                    + "': expected cpu, opencl or auto");
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
