package io.deepcanvas.engine.backend;

/**
 * The small set of primitive kernels a device must provide; everything above (autograd, nn, optimizers) is built
 * from these. A backend never learns what a layer is. All buffers passed in are contiguous, row-major, and
 * belong to this backend; sizes and shapes are validated by the caller ({@code Tensor}), not here.
 *
 * <p>Adding a primitive: a method here, its CPU kernel (and, once that backend exists, its OpenCL kernel), and
 * the autograd {@code Function} that calls it.
 */
public interface Backend {
    /** Short name shown to users: {@code cpu}, {@code opencl:0}. */
    String name();

    // ---- memory -------------------------------------------------------------------------------------------

    /** A new zero-filled buffer of {@code n} floats. */
    Buffer allocate(int n);

    /**
     * A buffer of {@code n} floats with undefined contents ({@code torch.empty}), for an output the next kernel
     * overwrites entirely: a recycled buffer then needs no clearing pass.
     */
    default Buffer empty(int n) {
        return allocate(n);
    }

    /**
     * Takes back a buffer that nothing references any more, so a later {@link #allocate} of the same size can
     * reuse it while it is still in cache. The engine calls this for what only it can see: gradients the backward
     * pass created and consumed, and saved values and inner activations once no node needs them
     * ({@code nn.Intermediates}); a backend may ignore it.
     */
    default void recycle(Buffer b) {
    }

    /** A new buffer holding a copy of {@code data}. */
    Buffer upload(float[] data);

    /** Copies {@code n} floats starting at {@code offset} back to the host. */
    default float[] download(Buffer b, int offset, int n) {
        float[] out = new float[n];
        download(b, offset, n, out, 0);
        return out;
    }

    /** Copies {@code n} floats starting at {@code offset} into {@code dst} at {@code at}, on the host. */
    void download(Buffer b, int offset, int n, float[] dst, int at);

    /** Fills the first {@code n} floats of {@code b} with {@code value}. */
    void fill(Buffer b, int n, float value);

    /**
     * Gathers a strided view into a contiguous buffer: element (i0..ik) of {@code shape} is read from
     * {@code src[offset + sum(i * strides)]}.
     */
    void copyStrided(Buffer src, int offset, int[] shape, int[] strides, Buffer dst);

    // ---- element-wise -------------------------------------------------------------------------------------

    /** {@code out[i] = op(x[i], scalar)} for the first {@code n} elements; {@code out} may be {@code x}. */
    void unary(UnaryOp op, Buffer x, float scalar, Buffer out, int n);

    /**
     * {@code out = op(a, b)} with broadcasting: {@code a} and {@code b} are read with the given strides (0 on
     * broadcast dimensions) over {@code outShape}. {@code out} may alias {@code a} when a is not broadcast.
     */
    void binary(BinaryOp op, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape);

    // ---- reductions ---------------------------------------------------------------------------------------

    /**
     * Views {@code x} as [outer, len, inner] and sums over the middle dimension into [outer, inner]; with
     * {@code scale} applied to each result (1/len gives the mean).
     */
    void sumAxis(Buffer x, int outer, int len, int inner, float scale, Buffer out);

    /** Like {@link #sumAxis} but the maximum, with the index of the first maximum in {@code indices}. */
    void maxAxis(Buffer x, int outer, int len, int inner, Buffer out, Buffer indices);

    /** Sum of the first {@code n} elements, accumulated in double. */
    double sumAll(Buffer x, int n);

    /**
     * Softmax (or log-softmax) over the middle dimension of [outer, len, inner].
     */
    void softmax(Buffer x, int outer, int len, int inner, boolean log, Buffer out);

    /**
     * Gradient of softmax / log-softmax given its output {@code y} and upstream gradient {@code g}:
     * softmax: {@code y * (g - sum(g*y))}; log-softmax: {@code g - exp(y) * sum(g)}.
     */
    void softmaxBackward(Buffer y, Buffer g, int outer, int len, int inner, boolean log, Buffer out);

    /**
     * Negative log-likelihood of [n, c] log-probabilities at class indices {@code target} (floats holding whole
     * numbers): writes per-sample losses into {@code out} [n]. Targets are validated by the caller.
     */
    void nllLoss(Buffer logProbs, Buffer target, int n, int c, Buffer out);

    /** Scatters {@code -gradOut[i] * scale} to {@code grad[i, target[i]]} (zero elsewhere). */
    void nllLossBackward(Buffer gradOut, float scale, boolean scalarGrad, Buffer target, int n, int c, Buffer grad);

    // ---- linear algebra -----------------------------------------------------------------------------------

    /**
     * Batched row-major matrix multiply {@code C[b] = A[b] · B[b] (+ C[b] if accumulate)} for b in 0..batch-1.
     * A[b] is [m, k] ([k, m] stored if {@code transA}); B[b] is [k, n] ([n, k] stored if {@code transB}). A batch
     * stride of 0 reuses the same matrix for every b.
     */
    void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
              Buffer a, int aBatchStride, Buffer b, int bBatchStride, Buffer c, boolean accumulate);

    /**
     * A Linear layer's forward: {@code C[m,n] = A·Bᵀ + bias} (A [m, k], or [k, m] stored if {@code transA}; B
     * [n, k], the weight, or [k, n] stored if {@code !transB}; bias one per column, or null), then max(0, ·) when
     * {@code relu} (a ReLU after the layer, fused). The default is gemm, then a broadcast add and a ReLU over all
     * of C; a backend may apply them to each part of C as it is finished, while it is still in cache.
     */
    default void linear(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer bias,
                        boolean relu, Buffer c) {
        gemm(1, transA, transB, m, n, k, a, 0, b, 0, c, false);
        if (bias != null) {
            binary(BinaryOp.ADD, c, new int[] {n, 1}, bias, new int[] {0, 1}, c, new int[] {m, n});
        }
        if (relu) {
            unary(UnaryOp.RELU, c, 0f, c, m * n);
        }
    }

    // ---- convolution and pooling --------------------------------------------------------------------------

    /** 2-D convolution (cross-correlation, as PyTorch) forward; {@code bias} may be null. */
    void conv2d(Buffer x, Buffer w, Buffer bias, Buffer out, Conv2dGeometry g);

    /**
     * Gradients of conv2d: any of {@code gx}, {@code gw}, {@code gb} may be null when not needed. {@code gx} is
     * overwritten entirely (it may come from {@link #empty}).
     */
    void conv2dBackward(Buffer x, Buffer w, Buffer gOut, Buffer gx, Buffer gw, Buffer gb, Conv2dGeometry g);

    /** Max pooling forward; {@code indices} receives the flat index within each input plane of every maximum. */
    void maxPool2d(Buffer x, Buffer out, Buffer indices, Pool2dGeometry g);

    /** Routes each output gradient to the input position its maximum came from; all of {@code gx} is written. */
    void maxPool2dBackward(Buffer gOut, Buffer indices, Buffer gx, Pool2dGeometry g);

    /** Average pooling; padding counts in the divisor (PyTorch's {@code count_include_pad=True}). */
    void avgPool2d(Buffer x, Buffer out, Pool2dGeometry g);

    /** Spreads each output gradient over its window; all of {@code gx} is written. */
    void avgPool2dBackward(Buffer gOut, Buffer gx, Pool2dGeometry g);

    // ---- fused optimizer updates --------------------------------------------------------------------------

    /**
     * One SGD step on {@code n} parameters, PyTorch's rule: g = grad + wd·p; with momentum, buf = g on the first
     * step else momentum·buf + (1−dampening)·g; g = nesterov ? g + momentum·buf : buf; p −= lr·g.
     * {@code momentumBuf} is null when momentum is 0.
     */
    void sgdStep(Buffer param, Buffer grad, Buffer momentumBuf, int n, float lr, float momentum, float dampening,
                 float weightDecay, boolean nesterov, boolean firstStep);

    /**
     * One Adam step, PyTorch's rule (bias corrections folded into the step size, eps added after the
     * bias-corrected square root). {@code maxExpAvgSq} is null unless amsgrad.
     */
    void adamStep(Buffer param, Buffer grad, Buffer expAvg, Buffer expAvgSq, Buffer maxExpAvgSq, int n, float lr,
                  float beta1, float beta2, float eps, float weightDecay, int step);

    /** Whether {@code strides} walk {@code shape} row-major and contiguously (size-1 dimensions ignored). */
    static boolean rowMajor(int[] shape, int[] strides) {
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != acc) {
                return false;
            }
            acc *= shape[i];
        }
        return true;
    }
}
