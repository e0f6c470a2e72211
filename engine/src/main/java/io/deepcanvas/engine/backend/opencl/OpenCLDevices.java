package io.deepcanvas.engine.backend.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices and opens a backend on one. Discovery runs on its own daemon thread (never the caller's,
 * so never the FX thread) and gives up after {@link #DISCOVERY_TIMEOUT_SECONDS}: a broken driver can make
 * {@code clGetPlatformIDs} hang, and the program must not hang with it. Every way OpenCL can be missing ends in
 * a {@link Discovery} with a one-line {@code problem}, never in an exception or a crash.
 */
public final class OpenCLDevices {
    static final int DISCOVERY_TIMEOUT_SECONDS = 20;
    /** How long discovery may take; tests shorten it to see a hanging driver handled. */
    static volatile long discoveryTimeoutMillis = DISCOVERY_TIMEOUT_SECONDS * 1000L;

    /** What discovery found: the devices, or why there are none. */
    public record Discovery(List<OpenCLDeviceInfo> devices, String problem) {
        public boolean available() {
            return !devices.isEmpty();
        }
    }

    /** The probe that lists devices; tests replace it to simulate a machine without OpenCL. */
    @FunctionalInterface
    interface Probe {
        List<OpenCLDeviceInfo> list();
    }

    private static final Probe JOCL = OpenCLDevices::listWithJocl;
    private static volatile Probe probe = JOCL;
    private static volatile Discovery cached;
    private static final Map<Integer, OpenCLBackend> OPEN = new HashMap<>();

    private OpenCLDevices() {
    }

    /** The devices of this machine, discovered once per process (off the calling thread, with a time limit). */
    public static Discovery discover() {
        Discovery d = cached;
        if (d == null) {
            synchronized (OpenCLDevices.class) {
                if (cached == null) {
                    cached = discoverNow(probe);
                }
                d = cached;
            }
        }
        return d;
    }

    /** Discovery started on a daemon thread, for a user interface that must not wait for it. */
    public static CompletableFuture<Discovery> discoverAsync() {
        return CompletableFuture.supplyAsync(OpenCLDevices::discover, r -> daemon(r, "deepcanvas-opencl-discovery"));
    }

    private static Discovery discoverNow(Probe p) {
        CompletableFuture<List<OpenCLDeviceInfo>> f = new CompletableFuture<>();
        daemon(() -> {
            try {
                f.complete(p.list());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        }, "deepcanvas-opencl-discovery");
        try {
            List<OpenCLDeviceInfo> list = f.get(discoveryTimeoutMillis, TimeUnit.MILLISECONDS);
            return new Discovery(List.copyOf(list), list.isEmpty()
                    ? "OpenCL: the driver reports no devices; install a GPU driver with OpenCL support" : null);
        } catch (TimeoutException e) {
            return new Discovery(List.of(), "OpenCL: the driver did not answer within "
                    + discoveryTimeoutMillis / 1000.0 + " s while listing devices; check the OpenCL driver (clinfo)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Discovery(List.of(), "OpenCL: device discovery was interrupted");
        } catch (ExecutionException e) {
            return new Discovery(List.of(), describeFailure(e.getCause()));
        }
    }

    /** The one line for a failure of the loader, the driver or JOCL's natives. */
    static String describeFailure(Throwable t) {
        if (t instanceof CLException ce && ce.getStatus() == -1001) {
            return "OpenCL: no OpenCL driver is installed (no platform found, CL_PLATFORM_NOT_FOUND_KHR); install "
                    + "one, e.g. apt-get install pocl-opencl-icd for the CPU or the GPU vendor's driver";
        }
        if (t instanceof LinkageError) {
            return "OpenCL: the OpenCL loader library could not be loaded (" + firstLine(t) + "); install it, e.g. "
                    + "apt-get install ocl-icd-libopencl1";
        }
        if (t instanceof OpenCLUnavailableException) {
            return t.getMessage();
        }
        return "OpenCL: listing devices failed: " + firstLine(t);
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The backend for a device written as users write it: {@code opencl} (the first GPU, else the first device)
     * or {@code opencl:N}. Opened once per device and process: its kernels are compiled on first use.
     *
     * @throws OpenCLUnavailableException with the one line to show when there is no such device or it fails
     */
    public static OpenCLBackend open(String spec) {
        Discovery d = discover();
        if (!d.available()) {
            throw new OpenCLUnavailableException(d.problem());
        }
        OpenCLDeviceInfo info = pick(spec, d.devices());
        synchronized (OPEN) {
            OpenCLBackend b = OPEN.get(info.index());
            if (b == null) {
                b = OpenCLBackend.open(info, KernelSource.load());
                OPEN.put(info.index(), b);
            }
            return b;
        }
    }

    /** The first GPU, or null when there is none (or no OpenCL at all): what {@code auto} wants. */
    public static OpenCLDeviceInfo firstGpu() {
        return discover().devices().stream().filter(OpenCLDeviceInfo::isGpu).findFirst().orElse(null);
    }

    private static OpenCLDeviceInfo pick(String spec, List<OpenCLDeviceInfo> devices) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("opencl")) {
            return devices.stream().filter(OpenCLDeviceInfo::isGpu).findFirst().orElse(devices.get(0));
        }
        if (s.startsWith("opencl:")) {
            String n = s.substring("opencl:".length());
            try {
                int i = Integer.parseInt(n);
                if (i >= 0 && i < devices.size()) {
                    return devices.get(i);
                }
            } catch (NumberFormatException e) {
                // reported below with the valid range
            }
            throw new OpenCLUnavailableException("Device '" + spec + "': there " + (devices.size() == 1
                    ? "is 1 OpenCL device" : "are " + devices.size() + " OpenCL devices") + "; use opencl:0"
                    + (devices.size() > 1 ? " to opencl:" + (devices.size() - 1) : "")
                    + " (see 'deepcanvas devices')");
        }
        throw new IllegalArgumentException("Device '" + spec + "': expected opencl or opencl:N");
    }

    /** Replaces the probe (tests simulate a machine without OpenCL) and forgets what was discovered. */
    static void useProbe(Probe p) {
        synchronized (OpenCLDevices.class) {
            probe = p == null ? JOCL : p;
            cached = null;
        }
    }

    // ---- the JOCL probe ------------------------------------------------------------------------------------

    private static List<OpenCLDeviceInfo> listWithJocl() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        CL.clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        List<OpenCLDeviceInfo> out = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String platformName = platformString(p, CL_PLATFORM_NAME);
            int[] n = new int[1];
            try {
                CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (CLException e) {
                continue; // CL_DEVICE_NOT_FOUND: a platform without devices
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (cl_device_id id : ids) {
                long type = deviceLong(id, CL_DEVICE_TYPE);
                String t = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                        : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "other";
                out.add(new OpenCLDeviceInfo(out.size(), platformName, deviceString(id, CL_DEVICE_NAME), t,
                        deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE),
                        deviceString(id, CL_DEVICE_VERSION), p, id));
            }
        }
        return out;
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
