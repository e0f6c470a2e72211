package io.deepcanvas.engine.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.BinaryOp;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.backend.Conv2dGeometry;
import io.deepcanvas.engine.backend.Pool2dGeometry;
import io.deepcanvas.engine.backend.UnaryOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * The OpenCL backend (JOCL): every primitive is one OpenCL C kernel from the resources beside this class, enqueued
 * on one in-order command queue, so kernels run in the order the engine calls them and nothing waits for the
 * device except {@link #download} (the loss each step, statistics, snapshots). Buffers come from a
 * {@link MemoryPool}. Kernel objects are per thread: a {@code cl_kernel} holds its arguments, so two threads
 * sharing one would overwrite each other's; the trainer's thread is meant to be the only one driving a device.
 * One backend per device lives as long as the process ({@link OpenCLDevices#open}): its context, program and
 * kernels are made once; {@link #releaseUnused} hands the pooled memory back between runs.
 */
public final class OpenCLBackend implements Backend {
    private final OpenCLDeviceInfo info;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;
    private final MemoryPool pool;
    private final ThreadLocal<Map<String, cl_kernel>> kernels = ThreadLocal.withInitial(HashMap::new);
    private final List<cl_kernel> allKernels = new ArrayList<>();
    /** Bound to pointer arguments a launch does not use (an absent bias, no momentum buffer). */
    private final cl_mem dummy;
    private final String name;
    /**
     * Tests fill every {@code empty} buffer with NaN (as the CPU backend poisons recycled arrays): a kernel that
     * trusts an undefined buffer to be zero then fails loudly instead of only on a reused buffer.
     */
    private static final boolean POISON_EMPTY = Boolean.getBoolean("deepcanvas.poisonRecycled");

    private OpenCLBackend(OpenCLDeviceInfo info, cl_context context, cl_command_queue queue, cl_program program) {
        this.info = info;
        this.context = context;
        this.queue = queue;
        this.program = program;
        this.pool = new MemoryPool(context, info.globalMemoryBytes());
        this.dummy = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, Sizeof.cl_float, null, null);
        this.name = "opencl:" + info.index();
    }

    /**
     * Creates a context and queue on the device and builds {@code source}.
     *
     * @throws OpenCLUnavailableException naming the device and the first compiler error when the build fails
     */
    static OpenCLBackend open(OpenCLDeviceInfo info, String source) {
        cl_context context = null;
        try {
            CL.setExceptionsEnabled(true);
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, info.platformId());
            context = CL.clCreateContext(props, 1, new cl_device_id[] {info.deviceId()}, null, null, null);
            cl_command_queue queue = createQueue(context, info.deviceId());
            cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
            try {
                CL.clBuildProgram(program, 0, null, "", null, null);
            } catch (CLException e) {
                String log = buildLog(program, info.deviceId());
                CL.clReleaseProgram(program);
                CL.clReleaseCommandQueue(queue);
                throw new OpenCLUnavailableException("OpenCL: the kernels failed to build on " + info.name() + " ("
                        + firstError(log) + "); report this with the output of 'deepcanvas devices', or use "
                        + "--device cpu");
            }
            return new OpenCLBackend(info, context, queue, program);
        } catch (CLException | LinkageError e) {
            if (context != null) {
                CL.clReleaseContext(context);
            }
            throw new OpenCLUnavailableException("OpenCL: cannot open " + info.name() + ": " + e.getMessage()
                    + "; use --device cpu", e);
        } catch (OpenCLUnavailableException e) {
            CL.clReleaseContext(context);
            throw e;
        }
    }

    /** An in-order queue: OpenCL 2.0's call where the platform has it, else the 1.x one. */
    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, cl_device_id device) {
        try {
            return CL.clCreateCommandQueueWithProperties(context, device, new cl_queue_properties(), null);
        } catch (CLException | UnsupportedOperationException | LinkageError e) {
            return CL.clCreateCommandQueue(context, device, 0, null);
        }
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "no build log: " + e.getMessage();
        }
    }

    /** The first line of a build log that says "error", else its first line. */
    static String firstError(String log) {
        for (String line : log.split("\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).contains("error")) {
                return line.trim();
            }
        }
        return log.isEmpty() ? "no build log" : log.split("\n")[0].trim();
    }

    /** The device this backend runs on. */
    public OpenCLDeviceInfo device() {
        return info;
    }

    @Override
    public String name() {
        return name;
    }

    // ---- kernels --------------------------------------------------------------------------------------------

    /** The calling thread's own kernel object for {@code kernelName}, created on its first use. */
    private KernelCall call(String kernelName) {
        Map<String, cl_kernel> mine = kernels.get();
        cl_kernel k = mine.get(kernelName);
        if (k == null) {
            k = CL.clCreateKernel(program, kernelName, null);
            mine.put(kernelName, k);
            synchronized (allKernels) {
                allKernels.add(k);
            }
        }
        return new KernelCall(queue, k);
    }

    /** Waits until the device has run everything enqueued (for benchmarks; downloads already wait). */
    public void finish() {
        CL.clFinish(queue);
    }

    // ---- memory ---------------------------------------------------------------------------------------------

    private cl_mem mem(Buffer b) {
        if (!(b instanceof OpenCLBuffer ob) || ob.backend() != this) {
            throw new IllegalArgumentException("a buffer on " + b.backend().name() + " was passed to " + name
                    + ": every tensor of an operation must be on one device; move it there with tensor.to(device)");
        }
        return ob.mem();
    }

    private cl_mem memOrDummy(Buffer b) {
        return b == null ? dummy : mem(b);
    }

    private OpenCLBuffer wrap(cl_mem m, int n) {
        return new OpenCLBuffer(this, n, new OpenCLBuffer.Handle(m, Math.max(1, n), pool));
    }

    @Override
    public Buffer allocate(int n) {
        Buffer b = empty(n);
        fill(b, n, 0f);
        return b;
    }

    @Override
    public Buffer empty(int n) {
        Buffer b = wrap(pool.take(Math.max(1, n)), n);
        if (POISON_EMPTY) {
            fill(b, n, Float.NaN);
        }
        return b;
    }

    @Override
    public void recycle(Buffer b) {
        if (b instanceof OpenCLBuffer ob && ob.backend() == this) {
            cl_mem m = ob.take();
            if (m != null) {
                pool.give(m, ob.capacity());
            }
        }
    }

    @Override
    public Buffer upload(float[] data) {
        OpenCLBuffer b = (OpenCLBuffer) empty(data.length);
        if (data.length > 0) {
            // blocking: the array may change as soon as this returns
            CL.clEnqueueWriteBuffer(queue, b.mem(), CL_TRUE, 0, (long) data.length * Sizeof.cl_float,
                    Pointer.to(data), 0, null, null);
        }
        return b;
    }

    @Override
    public void download(Buffer b, int offset, int n, float[] dst, int at) {
        if (n > 0) {
            CL.clEnqueueReadBuffer(queue, mem(b), CL_TRUE, (long) offset * Sizeof.cl_float,
                    (long) n * Sizeof.cl_float, Pointer.to(dst).withByteOffset((long) at * Sizeof.cl_float), 0,
                    null, null);
        }
    }

    @Override
    public void fill(Buffer b, int n, float value) {
        call("fill").mem(mem(b)).i(n).f(value).run(n);
    }

    @Override
    public void copyStrided(Buffer src, int offset, int[] shape, int[] strides, Buffer dst) {
        int n = numel(shape);
        Dims d = Dims.of("copy", shape, strides);
        call("copy_strided").mem(mem(src)).i(offset).int8(d.shape).int8(d.strides[0]).mem(mem(dst)).i(n).run(n);
    }

    /** Device buffers that exist now, in use or pooled: what the leak test counts. */
    public int liveBuffers() {
        return pool.liveBuffers();
    }

    /**
     * Gives the device back the memory nothing uses any more: collects unreachable buffers and releases every
     * pooled one. Call it when a run ends; the next run pools afresh.
     */
    public void releaseUnused() {
        finish();
        pool.collectGarbage();
        pool.trim();
    }

    // ---- element-wise ---------------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Buffer x, float scalar, Buffer out, int n) {
        call("unary").i(op.ordinal()).mem(mem(x)).f(scalar).mem(mem(out)).i(n).run(n);
    }

    @Override
    public void binary(BinaryOp op, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape) {
        int n = numel(outShape);
        if (Backend.rowMajor(outShape, aStrides) && Backend.rowMajor(outShape, bStrides)) {
            call("binary_flat").i(op.ordinal()).mem(mem(a)).mem(mem(b)).mem(mem(out)).i(n).run(n);
            return;
        }
        Dims d = Dims.of("binary " + op, outShape, aStrides, bStrides);
        call("binary_strided").i(op.ordinal()).mem(mem(a)).int8(d.strides[0]).mem(mem(b)).int8(d.strides[1])
                .mem(mem(out)).int8(d.shape).i(n).run(n);
    }

    // ---- reductions -----------------------------------------------------------------------------------------

    /** Work-group size of the reduction kernels (REDUCE_GROUP in reduce.cl). */
    private static final int REDUCE_GROUP = 64;

    @Override
    public void sumAxis(Buffer x, int outer, int len, int inner, float scale, Buffer out) {
        if (inner == 1) {
            call("sum_rows").mem(mem(x)).i(len).f(scale).mem(mem(out)).runGroups(outer, REDUCE_GROUP);
        } else {
            call("sum_columns").mem(mem(x)).i(outer).i(len).i(inner).f(scale).mem(mem(out))
                    .run((long) outer * inner);
        }
    }

    @Override
    public void maxAxis(Buffer x, int outer, int len, int inner, Buffer out, Buffer indices) {
        call("max_axis").mem(mem(x)).i(outer).i(len).i(inner).mem(mem(out)).mem(mem(indices))
                .run((long) outer * inner);
    }

    @Override
    public double sumAll(Buffer x, int n) {
        Buffer s = empty(1);
        sumAxis(x, 1, n, 1, 1f, s);
        double v = download(s, 0, 1)[0];
        recycle(s);
        return v;
    }

    @Override
    public void softmax(Buffer x, int outer, int len, int inner, boolean log, Buffer out) {
        call("softmax").mem(mem(x)).i(outer).i(len).i(inner).i(log).mem(mem(out)).run((long) outer * inner);
    }

    @Override
    public void softmaxBackward(Buffer y, Buffer g, int outer, int len, int inner, boolean log, Buffer out) {
        call("softmax_backward").mem(mem(y)).mem(mem(g)).i(outer).i(len).i(inner).i(log).mem(mem(out))
                .run((long) outer * inner);
    }

    @Override
    public void nllLoss(Buffer logProbs, Buffer target, int n, int c, Buffer out) {
        call("nll_loss").mem(mem(logProbs)).mem(mem(target)).i(n).i(c).mem(mem(out)).run(n);
    }

    @Override
    public void nllLossBackward(Buffer gradOut, float scale, boolean scalarGrad, Buffer target, int n, int c,
                                Buffer grad) {
        call("nll_loss_backward").mem(mem(gradOut)).f(scale).i(scalarGrad).mem(mem(target)).i(n).i(c)
                .mem(mem(grad)).run((long) n * c);
    }

    // ---- linear algebra -------------------------------------------------------------------------------------

    /** Tile size of gemm.cl (TS). */
    private static final int TILE = 16;

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k, Buffer a, int aBatchStride,
                     Buffer b, int bBatchStride, Buffer c, boolean accumulate) {
        gemm(batch, transA, transB, m, n, k, a, aBatchStride, b, bBatchStride, c, accumulate, null, false);
    }

    @Override
    public void linear(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer bias,
                       boolean relu, Buffer c) {
        gemm(1, transA, transB, m, n, k, a, 0, b, 0, c, false, bias, relu);
    }

    private void gemm(int batch, boolean transA, boolean transB, int m, int n, int k, Buffer a, int aBatchStride,
                      Buffer b, int bBatchStride, Buffer c, boolean accumulate, Buffer bias, boolean relu) {
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        call("gemm").i(transA).i(transB).i(m).i(n).i(k).mem(mem(a)).i(aBatchStride).mem(mem(b)).i(bBatchStride)
                .mem(mem(c)).i(accumulate).mem(memOrDummy(bias)).i(bias != null).i(relu)
                .run3d(new long[] {roundUp(n, TILE), roundUp(m, TILE), batch}, new long[] {TILE, TILE, 1});
    }

    // ---- convolution and pooling ----------------------------------------------------------------------------

    private static int[] geometry(Conv2dGeometry g) {
        return new int[] {g.n(), g.inC(), g.inH(), g.inW(), g.outC(), g.kH(), g.kW(), g.strideH(), g.strideW(),
            g.padH(), g.padW(), g.dilH(), g.dilW(), g.groups(), g.outH(), g.outW()};
    }

    @Override
    public void conv2d(Buffer x, Buffer w, Buffer bias, Buffer out, Conv2dGeometry g) {
        call("conv2d_forward").mem(mem(x)).mem(mem(w)).mem(memOrDummy(bias)).i(bias != null).mem(mem(out))
                .int16(geometry(g)).run((long) g.n() * g.outC() * g.outH() * g.outW());
    }

    @Override
    public void conv2dBackward(Buffer x, Buffer w, Buffer gOut, Buffer gx, Buffer gw, Buffer gb, Conv2dGeometry g) {
        int[] geo = geometry(g);
        if (gx != null) {
            call("conv2d_backward_input").mem(mem(w)).mem(mem(gOut)).mem(mem(gx)).int16(geo)
                    .run((long) g.n() * g.inC() * g.inH() * g.inW());
        }
        if (gw != null) {
            call("conv2d_backward_weight").mem(mem(x)).mem(mem(gOut)).mem(mem(gw)).int16(geo)
                    .runGroups((long) g.outC() * g.patchSize(), REDUCE_GROUP);
        }
        if (gb != null) {
            call("conv2d_backward_bias").mem(mem(gOut)).mem(mem(gb)).int16(geo).runGroups(g.outC(), REDUCE_GROUP);
        }
    }

    private static int[] geometry(Pool2dGeometry g) {
        return new int[] {g.planes(), g.inH(), g.inW(), g.kH(), g.kW(), g.strideH(), g.strideW(), g.padH(),
            g.padW(), g.outH(), g.outW(), 0, 0, 0, 0, 0};
    }

    @Override
    public void maxPool2d(Buffer x, Buffer out, Buffer indices, Pool2dGeometry g) {
        call("max_pool_forward").mem(mem(x)).mem(mem(out)).mem(mem(indices)).int16(geometry(g))
                .run((long) g.planes() * g.outH() * g.outW());
    }

    @Override
    public void maxPool2dBackward(Buffer gOut, Buffer indices, Buffer gx, Pool2dGeometry g) {
        call("max_pool_backward").mem(mem(gOut)).mem(mem(indices)).mem(mem(gx)).int16(geometry(g))
                .run((long) g.planes() * g.inH() * g.inW());
    }

    @Override
    public void avgPool2d(Buffer x, Buffer out, Pool2dGeometry g) {
        call("avg_pool_forward").mem(mem(x)).mem(mem(out)).int16(geometry(g))
                .run((long) g.planes() * g.outH() * g.outW());
    }

    @Override
    public void avgPool2dBackward(Buffer gOut, Buffer gx, Pool2dGeometry g) {
        call("avg_pool_backward").mem(mem(gOut)).mem(mem(gx)).int16(geometry(g))
                .run((long) g.planes() * g.inH() * g.inW());
    }

    // ---- fused optimizer updates ----------------------------------------------------------------------------

    @Override
    public void sgdStep(Buffer param, Buffer grad, Buffer momentumBuf, int n, float lr, float momentum,
                        float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        call("sgd_step").mem(mem(param)).mem(mem(grad)).mem(memOrDummy(momentumBuf)).i(momentumBuf != null).i(n)
                .f(lr).f(momentum).f(dampening).f(weightDecay).i(nesterov).i(firstStep).run(n);
    }

    @Override
    public void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, int n,
                         float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        // the bias corrections exactly as the CPU backend computes them: in double, rounded once
        double bc1 = 1 - Math.pow(beta1, step);
        float stepSize = (float) (lr / bc1);
        float bc2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
        call("adam_step").mem(mem(param)).mem(mem(grad)).mem(mem(expAvg)).mem(mem(expAvgSq))
                .mem(memOrDummy(maxExpAvgSq)).i(maxExpAvgSq != null).i(n).f(stepSize).f(beta1).f(beta2).f(eps)
                .f(weightDecay).f(bc2).run(n);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static long roundUp(long v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    @Override
    public String toString() {
        return name + " (" + info.platform() + " / " + info.name() + ")";
    }
}
