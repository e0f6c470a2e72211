package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.BinaryOp;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.backend.Conv2dGeometry;
import io.deepcanvas.engine.backend.Pool2dGeometry;
import io.deepcanvas.engine.backend.UnaryOp;
import java.util.Arrays;

/**
 * The CPU backend: flat float arrays, loops with the operation chosen outside the inner loop, Vector-API GEMM
 * and work spread over the cores ({@code -Ddeepcanvas.threads=N} to choose how many).
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    /** Number of threads the kernels use. */
    public static int threads() {
        return Parallel.THREADS;
    }

    /**
     * Has the JIT compile the kernels a test pass on images with a constant background takes (MNIST's, see
     * Gemm's constant steps), which training steps on noise never reach; on the calling thread, for the app's launch
     * warm-up.
     */
    public static void warmUpConstantSteps() {
        Gemm.warmUpConstantSteps();
    }

    /**
     * Takes the kernels' scratch arrays (per thread, grown to the largest shapes seen) from the calling thread,
     * which is done with the kernels, and returns what gives them to the thread that runs it: a warm-up hands them
     * to the run it prepared. Without them, the run's thread allocated its own at its first step, a branch the
     * compiled kernels had never taken on the warm-up's thread, and C2 threw those kernels away and compiled them
     * again while the run's first steps ran slow.
     */
    public static Runnable handOverScratch() {
        float[][] arrays = Scratch.handOver();
        return () -> Scratch.adopt(arrays);
    }

    /**
     * Whether parallel loops leave a core to the JIT while it is busy compiling (on by default; the JIT settles for
     * good after a quiet second). It speeds up a fresh process's first steps, whose kernels compile while they run
     * (the command line); the app, whose launch warm-up compiles them, turns it off: there the window's own code
     * keeps the JIT busy now and then, and training gave up a core it needed.
     */
    public static void handCoreToJit(boolean on) {
        JitActivity.handOver(on);
    }

    /** The kernels' vector shape, for reports: "16 vector registers, 256-bit vectors" under AVX2. */
    public static String vectorShape() {
        return VectorRegisters.describe();
    }

    static float[] arr(Buffer b) {
        return ((CpuBuffer) b).data;
    }

    /** Wraps an existing array without copying: the tensor and the caller then share it. */
    public static Buffer wrap(float[] data) {
        return new CpuBuffer(data);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Buffer allocate(int n) {
        return new CpuBuffer(BufferPool.zeros(n));
    }

    @Override
    public Buffer empty(int n) {
        return new CpuBuffer(BufferPool.any(n));
    }

    @Override
    public void recycle(Buffer b) {
        BufferPool.give(arr(b));
    }

    @Override
    public Buffer upload(float[] data) {
        return new CpuBuffer(data.clone());
    }

    @Override
    public float[] download(Buffer b, int offset, int n) {
        return Arrays.copyOfRange(arr(b), offset, offset + n);
    }

    @Override
    public void download(Buffer b, int offset, int n, float[] dst, int at) {
        System.arraycopy(arr(b), offset, dst, at, n);
    }

    @Override
    public void fill(Buffer b, int n, float value) {
        float[] a = arr(b);
        // memory-bound: worth a second core from about 128K floats (a dense layer's weight gradient)
        Parallel.forRange(n, n / 4, (from, to) -> Arrays.fill(a, from, to, value));
    }

    @Override
    public void copyStrided(Buffer src, int offset, int[] shape, int[] strides, Buffer dst) {
        float[] s = arr(src), d = arr(dst);
        int r = shape.length;
        if (r == 0) {
            d[0] = s[offset];
            return;
        }
        int inner = shape[r - 1], innerStride = strides[r - 1];
        int[] idx = new int[r];
        int outer = 1;
        for (int i = 0; i < r - 1; i++) {
            outer *= shape[i];
        }
        int o = 0;
        for (int it = 0; it < outer; it++) {
            int base = offset;
            for (int i = 0; i < r - 1; i++) {
                base += idx[i] * strides[i];
            }
            if (innerStride == 1) {
                System.arraycopy(s, base, d, o, inner);
                o += inner;
            } else {
                for (int j = 0; j < inner; j++) {
                    d[o++] = s[base + j * innerStride];
                }
            }
            for (int i = r - 2; i >= 0; i--) {
                if (++idx[i] < shape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
    }

    @Override
    public void unary(UnaryOp op, Buffer xb, float s, Buffer outb, int n) {
        float[] x = arr(xb), out = arr(outb);
        Parallel.forRange(n, (long) n * cost(op), (from, to) -> Elementwise.unary(op, x, s, out, from, to));
    }

    private static int cost(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SQRT, SIGMOID, TANH, POW_SCALAR -> 16;
            default -> 1;
        };
    }

    @Override
    public void binary(BinaryOp op, Buffer ab, int[] aStrides, Buffer bb, int[] bStrides, Buffer outb, int[] shape) {
        float[] a = arr(ab), b = arr(bb), out = arr(outb);
        int r = shape.length;
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (r == 0) {
            Elementwise.binaryRow(op, a, 0, 1, b, 0, 1, out, 0, 1);
            return;
        }
        // collapse to [outer, inner] rows: the last dimension is the inner loop
        int inner = shape[r - 1];
        int sa = aStrides[r - 1], sb = bStrides[r - 1];
        if (Backend.rowMajor(shape, aStrides) && Backend.rowMajor(shape, bStrides)) {
            Parallel.forRange(n, n, (from, to) -> Elementwise.binaryRow(op, a, from, 1, b, from, 1, out, from,
                    to - from));
            return;
        }
        int outer = n / Math.max(inner, 1);
        Parallel.forRange(outer, n, (from, to) -> {
            int[] idx = new int[r];
            // position the odometer at row `from`
            int rem = from;
            for (int i = r - 2; i >= 0; i--) {
                idx[i] = rem % shape[i];
                rem /= shape[i];
            }
            for (int row = from; row < to; row++) {
                int ao = 0, bo = 0;
                for (int i = 0; i < r - 1; i++) {
                    ao += idx[i] * aStrides[i];
                    bo += idx[i] * bStrides[i];
                }
                Elementwise.binaryRow(op, a, ao, sa, b, bo, sb, out, row * inner, inner);
                for (int i = r - 2; i >= 0; i--) {
                    if (++idx[i] < shape[i]) {
                        break;
                    }
                    idx[i] = 0;
                }
            }
        });
    }

    @Override
    public void sumAxis(Buffer xb, int outer, int len, int inner, float scale, Buffer outb) {
        float[] x = arr(xb), out = arr(outb);
        Parallel.forRange(outer, (long) outer * len * inner, (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = o * len * inner;
                if (inner == 1) {
                    double s = 0;
                    for (int i = 0; i < len; i++) {
                        s += x[base + i];
                    }
                    out[o] = (float) (s * scale);
                } else {
                    double[] acc = new double[inner];
                    for (int i = 0; i < len; i++) {
                        int row = base + i * inner;
                        for (int j = 0; j < inner; j++) {
                            acc[j] += x[row + j];
                        }
                    }
                    for (int j = 0; j < inner; j++) {
                        out[o * inner + j] = (float) (acc[j] * scale);
                    }
                }
            }
        });
    }

    @Override
    public void maxAxis(Buffer xb, int outer, int len, int inner, Buffer outb, Buffer idxb) {
        float[] x = arr(xb), out = arr(outb), idx = arr(idxb);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * len * inner + j;
                float best = x[base];
                int bi = 0;
                for (int i = 1; i < len && !Float.isNaN(best); i++) {
                    float v = x[base + i * inner];
                    if (v > best || Float.isNaN(v)) {
                        best = v;
                        bi = i;
                    }
                }
                out[o * inner + j] = best;
                idx[o * inner + j] = bi;
            }
        }
    }

    @Override
    public double sumAll(Buffer xb, int n) {
        float[] x = arr(xb);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
        }
        return s;
    }

    @Override
    public void softmax(Buffer xb, int outer, int len, int inner, boolean log, Buffer outb) {
        float[] x = arr(xb), out = arr(outb);
        Parallel.forRange(outer, (long) outer * len * inner * 16, (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int j = 0; j < inner; j++) {
                    int base = o * len * inner + j;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < len; i++) {
                        max = Math.max(max, x[base + i * inner]);
                    }
                    double sum = 0;
                    for (int i = 0; i < len; i++) {
                        sum += Math.exp(x[base + i * inner] - max);
                    }
                    if (log) {
                        float lse = (float) (max + Math.log(sum));
                        for (int i = 0; i < len; i++) {
                            out[base + i * inner] = x[base + i * inner] - lse;
                        }
                    } else {
                        for (int i = 0; i < len; i++) {
                            out[base + i * inner] = (float) (Math.exp(x[base + i * inner] - max) / sum);
                        }
                    }
                }
            }
        });
    }

    @Override
    public void softmaxBackward(Buffer yb, Buffer gb, int outer, int len, int inner, boolean log, Buffer outb) {
        float[] y = arr(yb), g = arr(gb), out = arr(outb);
        Parallel.forRange(outer, (long) outer * len * inner * 16, (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int j = 0; j < inner; j++) {
                    int base = o * len * inner + j;
                    double s = 0;
                    for (int i = 0; i < len; i++) {
                        int k = base + i * inner;
                        s += log ? g[k] : g[k] * y[k];
                    }
                    for (int i = 0; i < len; i++) {
                        int k = base + i * inner;
                        out[k] = log ? (float) (g[k] - Math.exp(y[k]) * s) : (float) (y[k] * (g[k] - s));
                    }
                }
            }
        });
    }

    @Override
    public void nllLoss(Buffer lp, Buffer target, int n, int c, Buffer out) {
        float[] p = arr(lp), t = arr(target), o = arr(out);
        for (int i = 0; i < n; i++) {
            o[i] = -p[i * c + (int) t[i]];
        }
    }

    @Override
    public void nllLossBackward(Buffer gradOut, float scale, boolean scalarGrad, Buffer target, int n, int c,
                                Buffer grad) {
        float[] go = arr(gradOut), t = arr(target), g = arr(grad);
        Arrays.fill(g, 0, n * c, 0f);
        for (int i = 0; i < n; i++) {
            g[i * c + (int) t[i]] = -go[scalarGrad ? 0 : i] * scale;
        }
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k, Buffer ab, int aStride,
                     Buffer bb, int bStride, Buffer cb, boolean accumulate) {
        float[] a = arr(ab), b = arr(bb), c = arr(cb);
        if (batch == 1) {
            Gemm.multiply(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate, true);
            return;
        }
        long work = (long) batch * m * n * k;
        boolean inner = batch < Parallel.THREADS;
        Parallel.forRange(inner ? 1 : batch, inner ? 0 : work, (from, to) -> {
            for (int i = inner ? 0 : from; i < (inner ? batch : to); i++) {
                Gemm.multiply(transA, transB, m, n, k, a, i * aStride, b, i * bStride, c, i * m * n, accumulate,
                        inner);
            }
        });
    }

    @Override
    public void linear(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer bias,
                       boolean relu, Buffer c) {
        Gemm.Epilogue last = bias == null && !relu ? null : new Gemm.Epilogue(bias == null ? null : arr(bias), relu);
        Gemm.multiply(transA, transB, m, n, k, arr(a), 0, arr(b), 0, arr(c), 0, false, true, last);
    }

    @Override
    public void conv2d(Buffer x, Buffer w, Buffer bias, Buffer out, Conv2dGeometry g) {
        Convolution.forward(arr(x), arr(w), bias == null ? null : arr(bias), arr(out), g);
    }

    @Override
    public void conv2dBackward(Buffer x, Buffer w, Buffer gOut, Buffer gx, Buffer gw, Buffer gb, Conv2dGeometry g) {
        Convolution.backward(arr(x), arr(w), arr(gOut), gx == null ? null : arr(gx), gw == null ? null : arr(gw),
                gb == null ? null : arr(gb), g);
    }

    @Override
    public void maxPool2d(Buffer x, Buffer out, Buffer indices, Pool2dGeometry g) {
        Pooling.max(arr(x), arr(out), arr(indices), g);
    }

    @Override
    public void maxPool2dBackward(Buffer gOut, Buffer indices, Buffer gx, Pool2dGeometry g) {
        Pooling.maxBackward(arr(gOut), arr(indices), arr(gx), g);
    }

    @Override
    public void avgPool2d(Buffer x, Buffer out, Pool2dGeometry g) {
        Pooling.avg(arr(x), arr(out), g);
    }

    @Override
    public void avgPool2dBackward(Buffer gOut, Buffer gx, Pool2dGeometry g) {
        Pooling.avgBackward(arr(gOut), arr(gx), g);
    }

    @Override
    public void sgdStep(Buffer param, Buffer grad, Buffer momentumBuf, int n, float lr, float momentum,
                        float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float[] p = arr(param), g = arr(grad), buf = momentumBuf == null ? null : arr(momentumBuf);
        if (buf != null && weightDecay == 0f && !nesterov && !firstStep) {
            // the usual momentum step, branch-free so C2 vectorises it; same float operations, same rounding
            float keep = 1f - dampening;
            Parallel.forRange(n, n * 4L, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float b = momentum * buf[i] + keep * g[i];
                    buf[i] = b;
                    p[i] -= lr * b;
                }
            });
            return;
        }
        Parallel.forRange(n, n * 4L, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = g[i];
                if (weightDecay != 0f) {
                    d += weightDecay * p[i];
                }
                if (buf != null) {
                    float b = firstStep ? d : momentum * buf[i] + (1f - dampening) * d;
                    buf[i] = b;
                    d = nesterov ? d + momentum * b : b;
                }
                p[i] -= lr * d;
            }
        });
    }

    @Override
    public void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, int n,
                         float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        float[] p = arr(param), g = arr(grad), m = arr(expAvg), v = arr(expAvgSq);
        float[] vmax = maxExpAvgSq == null ? null : arr(maxExpAvgSq);
        // PyTorch computes these corrections in double and rounds once
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = (float) (lr / bc1);
        float bc2 = (float) bc2Sqrt;
        Parallel.forRange(n, n * 8L, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = g[i];
                if (weightDecay != 0f) {
                    d += weightDecay * p[i];
                }
                float mi = m[i] * beta1 + d * (1f - beta1);
                float vi = v[i] * beta2 + (1f - beta2) * d * d;
                m[i] = mi;
                v[i] = vi;
                float vUse = vi;
                if (vmax != null) {
                    vUse = Math.max(vmax[i], vi);
                    vmax[i] = vUse;
                }
                float denom = (float) Math.sqrt(vUse) / bc2 + eps;
                p[i] -= stepSize * (mi / denom);
            }
        });
    }
}
