package io.deepcanvas.engine.backend.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One kernel launch: its arguments in order, then the range. The kernel object belongs to the calling thread
 * (see {@code OpenCLBackend.kernel}), so setting arguments cannot race another thread's launch.
 */
final class KernelCall {
    /** Work-group size of the 1-D element-wise launches. */
    static final int LOCAL = 128;

    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private int index;

    KernelCall(cl_command_queue queue, cl_kernel kernel) {
        this.queue = queue;
        this.kernel = kernel;
    }

    KernelCall mem(cl_mem m) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(m));
        return this;
    }

    KernelCall i(int v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    KernelCall i(boolean v) {
        return i(v ? 1 : 0);
    }

    KernelCall f(float v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_float, Pointer.to(new float[] {v}));
        return this;
    }

    /** An {@code int8} argument (shapes and strides of rank <= 8). */
    KernelCall int8(int[] v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_int8, Pointer.to(v));
        return this;
    }

    /** An {@code int16} argument (a convolution's or a pooling's geometry). */
    KernelCall int16(int[] v) {
        CL.clSetKernelArg(kernel, index++, Sizeof.cl_int16, Pointer.to(v));
        return this;
    }

    /** One work-item per element, {@code n} of them (nothing is enqueued for 0). */
    void run(long n) {
        if (n <= 0) {
            return;
        }
        long global = (n + LOCAL - 1) / LOCAL * LOCAL;
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global}, new long[] {LOCAL}, 0, null, null);
    }

    /** {@code groups} work-groups of {@code local} work-items each. */
    void runGroups(long groups, int local) {
        if (groups <= 0) {
            return;
        }
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {groups * local}, new long[] {local}, 0, null,
                null);
    }

    /** A 3-D range with the given work-group size; global sizes must be multiples of it. */
    void run3d(long[] global, long[] local) {
        CL.clEnqueueNDRangeKernel(queue, kernel, 3, null, global, local, 0, null, null);
    }
}
