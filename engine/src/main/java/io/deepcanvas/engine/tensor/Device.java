package io.deepcanvas.engine.tensor;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.cpu.CpuBackend;
import io.deepcanvas.engine.backend.opencl.OpenCLBackend;
import io.deepcanvas.engine.backend.opencl.OpenCLDeviceInfo;
import io.deepcanvas.engine.backend.opencl.OpenCLDevices;
import io.deepcanvas.engine.backend.opencl.OpenCLUnavailableException;
import java.util.Locale;

/**
 * Where a tensor's data lives ({@code torch.device}): the CPU, or an OpenCL device ({@code opencl:0}).
 *
 * <p>New tensors made from nothing ({@code zeros}, {@code full}, {@code scalar}, {@code fromArray}, and so every
 * layer's parameters) go to the {@linkplain #defaultDevice() default device}, as with PyTorch's
 * {@code torch.set_default_device}; tensors made from others follow them. The CPU is the default until a command
 * line or a test chooses another.
 */
public record Device(String name, Backend backend) {
    public static final Device CPU = new Device("cpu", CpuBackend.INSTANCE);

    private static volatile Device defaultDevice = CPU;

    /** A device chosen from a name, and the one line to show the user about the choice (null when nothing to say). */
    public record Selection(Device device, String note) {
    }

    /**
     * Resolves a device name as users write it: {@code cpu}; {@code opencl} (the first OpenCL GPU, else the first
     * OpenCL device); {@code opencl:N} (device N of {@code deepcanvas devices}); {@code auto} (an OpenCL GPU if
     * there is one, else the CPU). {@code auto} never fails: without a usable GPU it selects the CPU and says why
     * in the note.
     *
     * @throws IllegalArgumentException for an unknown name, or OpenCL asked for by name and not usable here (the
     *                                  message is the one line to show)
     */
    public static Selection select(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return new Selection(CPU, null);
        }
        if (s.equals("auto")) {
            return auto();
        }
        if (s.equals("opencl") || s.startsWith("opencl:")) {
            try {
                OpenCLBackend b = OpenCLDevices.open(s);
                return new Selection(of(b), null);
            } catch (OpenCLUnavailableException e) {
                throw new IllegalArgumentException(e.getMessage() + " (asked for --device " + name + ")", e);
            } catch (LinkageError e) {
                throw new IllegalArgumentException("OpenCL: JOCL is not on the class path (" + e + "); rebuild "
                        + "the engine, or use --device cpu", e);
            }
        }
        throw new IllegalArgumentException("Unknown device '" + name + "': expected cpu, opencl, opencl:N or auto");
    }

    private static Selection auto() {
        try {
            OpenCLDeviceInfo gpu = OpenCLDevices.firstGpu();
            if (gpu == null) {
                String problem = OpenCLDevices.discover().problem();
                return new Selection(CPU, problem != null ? problem + "; training on the CPU"
                        : "auto: no OpenCL GPU found; training on the CPU");
            }
            return new Selection(of(OpenCLDevices.open("opencl:" + gpu.index())), null);
        } catch (OpenCLUnavailableException e) {
            return new Selection(CPU, e.getMessage() + "; training on the CPU");
        } catch (LinkageError e) {
            return new Selection(CPU, "OpenCL: JOCL is not on the class path (" + e + "); training on the CPU");
        }
    }

    /** Like {@link #select} without the note. */
    public static Device parse(String name) {
        return select(name).device();
    }

    /** The device of a backend. */
    public static Device of(Backend backend) {
        return backend == CpuBackend.INSTANCE ? CPU : new Device(backend.name(), backend);
    }

    /** Where new tensors made from nothing go ({@code torch.get_default_device()}). */
    public static Device defaultDevice() {
        return defaultDevice;
    }

    /** Sets where new tensors made from nothing go, for the whole process ({@code torch.set_default_device}). */
    public static void setDefault(Device device) {
        defaultDevice = device == null ? CPU : device;
    }

    /** Makes {@code device} the default until the returned scope closes, then restores the one before. */
    public static Scope use(Device device) {
        Device before = defaultDevice;
        setDefault(device);
        return () -> setDefault(before);
    }

    /** A default device in force; closing it restores the previous one. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public boolean isCpu() {
        return backend == CpuBackend.INSTANCE;
    }

    /**
     * Gives the device back the memory no tensor uses any more (pooled buffers, unreachable ones); for the end of
     * a run. Nothing to do on the CPU, whose arrays the garbage collector frees.
     */
    public void releaseUnused() {
        if (backend instanceof OpenCLBackend b) {
            b.releaseUnused();
        }
    }

    /** Waits until the device has run everything enqueued ({@code torch.cuda.synchronize()}), for timing. */
    public void synchronize() {
        if (backend instanceof OpenCLBackend b) {
            b.finish();
        }
    }

    /** What the device is, for a report: {@code cpu} or {@code opencl:0 (NVIDIA CUDA / NVIDIA H200)}. */
    public String describe() {
        return backend instanceof OpenCLBackend b ? b.toString() : name;
    }

    @Override
    public String toString() {
        return name;
    }
}
