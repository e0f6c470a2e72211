package io.deepcanvas.engine.backend.opencl;

import static io.deepcanvas.engine.backend.opencl.OpenCLTestDevice.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.BinaryOp;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.backend.Conv2dGeometry;
import io.deepcanvas.engine.backend.Pool2dGeometry;
import io.deepcanvas.engine.backend.UnaryOp;
import io.deepcanvas.engine.backend.cpu.CpuBackend;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every primitive of the backend contract on OpenCL against the CPU backend, on random inputs whose sizes do not
 * divide the work-group sizes (odd sizes, broadcasting, strided views), to float tolerance. Each case runs the
 * same call on both backends through {@link Pair}, so a test reads like one call.
 */
class OpenCLParityTest {
    private static OpenCLBackend cl;
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private final Random rnd = new Random(42);

    /** Per test, so that each one reports the skip and its reason where there is no device (opened once). */
    @BeforeEach
    void device() {
        cl = OpenCLTestDevice.backendOrSkip();
    }

    /** A pair of buffers with the same contents, one per backend. */
    private record Pair(Buffer cpu, Buffer cl, int n) {
        Buffer on(Backend b) {
            return b == CPU ? cpu : cl;
        }
    }

    private Pair pair(float[] data) {
        return new Pair(CPU.upload(data), cl.upload(data), data.length);
    }

    private Pair empty(int n) {
        // filled with garbage on both sides: a kernel must overwrite what the contract says it overwrites
        float[] junk = new float[n];
        java.util.Arrays.fill(junk, 12345f);
        return pair(junk);
    }

    private float[] random(int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + rnd.nextFloat() * (hi - lo);
        }
        return a;
    }

    private static void same(Pair p, double tol, String what) {
        assertClose(CPU.download(p.cpu, 0, p.n), cl.download(p.cl, 0, p.n), tol, what);
    }

    /** Runs {@code op} on both backends. */
    private static void both(Consumer<Backend> op) {
        op.accept(CPU);
        op.accept(cl);
    }

    // ---- memory ---------------------------------------------------------------------------------------------

    @Test
    void uploadDownloadAllocateAndFillRoundTrip() {
        float[] data = random(1001, -3, 3);
        Buffer b = cl.upload(data);
        assertArrayEquals(data, cl.download(b, 0, 1001));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 17, 40), cl.download(b, 17, 23));
        // into an array at an index (a data loader's batch): only those places change
        float[] into = new float[30];
        java.util.Arrays.fill(into, -7f);
        cl.download(b, 17, 23, into, 5);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 17, 40), java.util.Arrays.copyOfRange(into, 5, 28));
        assertEquals(-7f, into[4]);
        assertEquals(-7f, into[28]);
        Buffer z = cl.allocate(333);
        assertArrayEquals(new float[333], cl.download(z, 0, 333));
        cl.fill(z, 200, 2.5f);
        float[] back = cl.download(z, 0, 333);
        assertEquals(2.5f, back[199]);
        assertEquals(0f, back[200]);
        assertEquals(0, cl.allocate(0).size());
    }

    @Test
    void stridedCopyGathersPermutedBroadcastAndOffsetViews() {
        for (int trial = 0; trial < 25; trial++) {
            int rank = 1 + rnd.nextInt(5);
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = 1 + rnd.nextInt(i == rank - 1 ? 9 : 5);
            }
            // strides of a permuted contiguous layout, some dimensions broadcast (stride 0), at an offset
            int[] order = permutation(rank);
            int[] strides = new int[rank];
            int acc = 1;
            for (int i = rank - 1; i >= 0; i--) {
                strides[order[i]] = acc;
                acc *= shape[order[i]];
            }
            if (rnd.nextInt(3) == 0) {
                strides[rnd.nextInt(rank)] = 0;
            }
            int offset = rnd.nextInt(7);
            Pair src = pair(random(acc + offset, -1, 1));
            int n = numel(shape);
            Pair dst = empty(n);
            both(b -> b.copyStrided(src.on(b), offset, shape, strides, dst.on(b)));
            same(dst, 0, "copy " + java.util.Arrays.toString(shape) + " strides " + java.util.Arrays.toString(strides));
        }
    }

    @Test
    void aViewOfMoreThanEightUnmergeableDimensionsIsRefusedWithTheFix() {
        // 2^9 elements read backwards in every dimension's order: no two neighbours merge
        int[] shape = new int[9], strides = new int[9];
        for (int i = 0; i < 9; i++) {
            shape[i] = 2;
            strides[i] = 1 << i;
        }
        Buffer src = cl.upload(new float[512]), dst = cl.empty(512);
        UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnsupportedOperationException.class, () -> cl.copyStrided(src, 0, shape, strides, dst));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("rank 9")
                && e.getMessage().contains("contiguous()"), e.getMessage());
    }

    // ---- element-wise ---------------------------------------------------------------------------------------

    @Test
    void everyUnaryOpMatches() {
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR;
            float[] x = random(517, positive ? 0.05f : -4f, 4f);
            x[3] = 0f;
            if (!positive) {
                x[4] = Float.NaN;
            }
            Pair in = pair(x);
            for (float s : op == UnaryOp.POW_SCALAR ? new float[] {2f, 1.5f, -0.5f} : new float[] {0.3f}) {
                Pair out = empty(x.length);
                both(b -> b.unary(op, in.on(b), s, out.on(b), x.length));
                same(out, 2e-6, op + " s=" + s);
            }
        }
        // in place (out == x), as Tensor.mul_ runs it
        Pair inPlace = pair(random(129, -1, 1));
        both(b -> b.unary(UnaryOp.MUL_SCALAR, inPlace.on(b), 3f, inPlace.on(b), 129));
        same(inPlace, 0, "in-place MUL_SCALAR");
    }

    @Test
    void everyBinaryOpMatchesWithBroadcastingAndStridedOperands() {
        for (BinaryOp op : BinaryOp.values()) {
            for (int trial = 0; trial < 4; trial++) {
                int rank = 1 + rnd.nextInt(4);
                int[] shape = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = 1 + rnd.nextInt(7);
                }
                int[] aShape = shape.clone(), bShape = shape.clone();
                for (int i = 0; i < rank; i++) {
                    if (rnd.nextInt(3) == 0) {
                        (rnd.nextBoolean() ? aShape : bShape)[i] = 1;
                    }
                }
                boolean positive = op == BinaryOp.POW;
                float[] av = random(numel(aShape), positive ? 0.1f : -2f, 2f);
                float[] bv = random(numel(bShape), positive ? -1.5f : -2f, 2f);
                if (op == BinaryOp.EQ) {
                    for (int i = 0; i < Math.min(av.length, bv.length); i += 2) {
                        bv[i] = av[i];
                    }
                }
                Pair a = pair(av), b = pair(bv);
                int[] as = broadcastStrides(aShape), bs = trial % 2 == 0 ? broadcastStrides(bShape)
                        : transposedStrides(bShape);
                Pair out = empty(numel(shape));
                both(be -> be.binary(op, a.on(be), as, b.on(be), bs, out.on(be), shape));
                same(out, 2e-6, op + " " + java.util.Arrays.toString(shape) + " a " + java.util.Arrays.toString(aShape)
                        + " b " + java.util.Arrays.toString(bShape) + " b strides " + java.util.Arrays.toString(bs));
            }
        }
    }

    // ---- reductions -----------------------------------------------------------------------------------------

    @Test
    void sumMaxAndSumAllOverTheMiddleAxis() {
        int[][] cases = {{1, 1000, 1}, {7, 13, 1}, {3, 65, 5}, {1, 4, 129}, {5, 1, 3}, {2, 0, 3}};
        for (int[] c : cases) {
            int outer = c[0], len = c[1], inner = c[2];
            float[] x = random(Math.max(1, outer * len * inner), -2, 2);
            if (x.length > 10) {
                x[7] = x[7 + inner]; // a tie: the first index must win
            }
            Pair in = pair(x);
            Pair sum = empty(outer * inner);
            both(b -> b.sumAxis(in.on(b), outer, len, inner, 0.5f, sum.on(b)));
            same(sum, 1e-5, "sumAxis " + java.util.Arrays.toString(c));
            if (len > 0) {
                Pair max = empty(outer * inner), idx = empty(outer * inner);
                both(b -> b.maxAxis(in.on(b), outer, len, inner, max.on(b), idx.on(b)));
                same(max, 0, "maxAxis " + java.util.Arrays.toString(c));
                same(idx, 0, "maxAxis indices " + java.util.Arrays.toString(c));
            }
        }
        float[] big = random(100_003, -1, 1);
        Pair p = pair(big);
        assertEquals(CPU.sumAll(p.cpu, big.length), cl.sumAll(p.cl, big.length), 1e-2);
        assertEquals(0.0, cl.sumAll(p.cl, 0));
    }

    @Test
    void softmaxAndLogSoftmaxForwardAndBackward() {
        int[][] cases = {{64, 10, 1}, {3, 7, 5}, {1, 300, 1}};
        for (int[] c : cases) {
            for (boolean log : new boolean[] {false, true}) {
                int n = c[0] * c[1] * c[2];
                Pair x = pair(random(n, -6, 6));
                Pair y = empty(n);
                both(b -> b.softmax(x.on(b), c[0], c[1], c[2], log, y.on(b)));
                same(y, 1e-5, (log ? "log_softmax " : "softmax ") + java.util.Arrays.toString(c));
                Pair g = pair(random(n, -1, 1));
                Pair gx = empty(n);
                both(b -> b.softmaxBackward(y.on(b), g.on(b), c[0], c[1], c[2], log, gx.on(b)));
                same(gx, 1e-5, (log ? "log_softmax" : "softmax") + " backward " + java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void nllLossForwardAndBackwardScatterAtTheTargets() {
        int n = 37, c = 11;
        Pair lp = pair(random(n * c, -5, 0));
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = rnd.nextInt(c);
        }
        Pair target = pair(t);
        Pair out = empty(n);
        both(b -> b.nllLoss(lp.on(b), target.on(b), n, c, out.on(b)));
        same(out, 0, "nll_loss");
        for (boolean scalar : new boolean[] {true, false}) {
            Pair go = pair(random(scalar ? 1 : n, 0.5f, 2f));
            Pair grad = empty(n * c);
            both(b -> b.nllLossBackward(go.on(b), 1f / n, scalar, target.on(b), n, c, grad.on(b)));
            same(grad, 0, "nll_loss backward scalarGrad=" + scalar);
        }
    }

    // ---- linear algebra -------------------------------------------------------------------------------------

    @Test
    void batchedGemmInEveryLayoutWithAccumulateAndSharedOperands() {
        int[][] sizes = {{17, 33, 19}, {1, 5, 300}, {64, 10, 84}, {3, 1, 1}};
        for (int[] s : sizes) {
            int m = s[0], n = s[1], k = s[2];
            for (int layout = 0; layout < 4; layout++) {
                boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
                for (int batch : new int[] {1, 3}) {
                    boolean shareB = batch > 1 && layout == 1;
                    Pair a = pair(random(batch * m * k, -1, 1));
                    Pair b = pair(random((shareB ? 1 : batch) * k * n, -1, 1));
                    boolean acc = layout == 2;
                    Pair c = pair(random(batch * m * n, -1, 1));
                    int bStride = shareB ? 0 : k * n;
                    both(be -> be.gemm(batch, ta, tb, m, n, k, a.on(be), m * k, b.on(be), bStride, c.on(be), acc));
                    same(c, 1e-5 * Math.sqrt(k) * 4, "gemm m" + m + " n" + n + " k" + k + " transA " + ta
                            + " transB " + tb + " batch " + batch + " accumulate " + acc + " shared B " + shareB);
                }
            }
        }
    }

    @Test
    void fusedLinearAppliesBiasAndReluInTheProduct() {
        int m = 29, n = 13, k = 70;
        Pair x = pair(random(m * k, -1, 1)), w = pair(random(n * k, -1, 1)), bias = pair(random(n, -1, 1));
        for (boolean withBias : new boolean[] {false, true}) {
            for (boolean relu : new boolean[] {false, true}) {
                Pair out = empty(m * n);
                both(b -> b.linear(false, true, m, n, k, x.on(b), w.on(b), withBias ? bias.on(b) : null, relu,
                        out.on(b)));
                same(out, 1e-4, "linear bias " + withBias + " relu " + relu);
            }
        }
    }

    // ---- convolution and pooling ----------------------------------------------------------------------------

    @Test
    void conv2dForwardAndAllGradientsOverVariedGeometry() {
        Conv2dGeometry[] cases = {
            new Conv2dGeometry(3, 1, 12, 12, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1),   // LeNet's first layer, small
            new Conv2dGeometry(2, 4, 9, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2),     // stride, padding, groups
            new Conv2dGeometry(2, 3, 11, 10, 5, 3, 2, 1, 2, 2, 0, 2, 1, 1),   // dilation, rectangular kernel
            new Conv2dGeometry(1, 2, 5, 5, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1)};    // 1x1
        for (Conv2dGeometry g : cases) {
            int xN = g.n() * g.inC() * g.inH() * g.inW(), wN = g.outC() * g.patchSize();
            int oN = g.n() * g.outC() * g.outH() * g.outW();
            Pair x = pair(random(xN, -1, 1)), w = pair(random(wN, -1, 1)), bias = pair(random(g.outC(), -1, 1));
            for (boolean withBias : new boolean[] {true, false}) {
                Pair out = empty(oN);
                both(b -> b.conv2d(x.on(b), w.on(b), withBias ? bias.on(b) : null, out.on(b), g));
                same(out, 1e-5 * g.patchSize(), "conv2d " + g + " bias " + withBias);
            }
            Pair gOut = pair(random(oN, -1, 1));
            Pair gx = empty(xN), gw = empty(wN), gb = empty(g.outC());
            both(b -> b.conv2dBackward(x.on(b), w.on(b), gOut.on(b), gx.on(b), gw.on(b), gb.on(b), g));
            same(gx, 1e-5 * g.patchSize(), "conv2d input gradient " + g);
            same(gw, 1e-5 * oN / g.outC(), "conv2d weight gradient " + g);
            same(gb, 1e-5 * oN / g.outC(), "conv2d bias gradient " + g);
            // only the weight gradient (a frozen input)
            Pair gw2 = empty(wN);
            both(b -> b.conv2dBackward(x.on(b), w.on(b), gOut.on(b), null, gw2.on(b), null, g));
            same(gw2, 1e-5 * oN / g.outC(), "conv2d weight gradient alone " + g);
        }
    }

    @Test
    void maxAndAveragePoolingForwardAndBackward() {
        Pool2dGeometry[] cases = {
            new Pool2dGeometry(6, 8, 8, 2, 2, 2, 2, 0, 0, false),
            new Pool2dGeometry(5, 9, 7, 3, 3, 2, 2, 1, 1, false),
            new Pool2dGeometry(3, 7, 7, 2, 2, 2, 2, 0, 0, true),
            new Pool2dGeometry(2, 10, 6, 3, 2, 1, 2, 1, 0, true)};
        for (Pool2dGeometry g : cases) {
            int inN = g.planes() * g.inH() * g.inW(), outN = g.planes() * g.outH() * g.outW();
            float[] xv = random(inN, -1, 1);
            xv[5] = xv[6]; // a tie inside a window
            Pair x = pair(xv);
            Pair out = empty(outN), idx = empty(outN);
            both(b -> b.maxPool2d(x.on(b), out.on(b), idx.on(b), g));
            same(out, 0, "max_pool2d " + g);
            same(idx, 0, "max_pool2d indices " + g);
            Pair gOut = pair(random(outN, -1, 1));
            Pair gx = empty(inN);
            both(b -> b.maxPool2dBackward(gOut.on(b), idx.on(b), gx.on(b), g));
            same(gx, 1e-6, "max_pool2d backward " + g);
            Pair avg = empty(outN);
            both(b -> b.avgPool2d(x.on(b), avg.on(b), g));
            same(avg, 1e-6, "avg_pool2d " + g);
            Pair gxa = empty(inN);
            both(b -> b.avgPool2dBackward(gOut.on(b), gxa.on(b), g));
            same(gxa, 1e-6, "avg_pool2d backward " + g);
        }
    }

    // ---- optimizers -----------------------------------------------------------------------------------------

    @Test
    void sgdStepInEveryVariant() {
        int n = 1031;
        for (int variant = 0; variant < 6; variant++) {
            boolean momentum = variant > 0, nesterov = variant == 3, first = variant == 2;
            float wd = variant == 4 ? 0.01f : 0f, damp = variant == 5 ? 0.1f : 0f;
            Pair p = pair(random(n, -1, 1)), g = pair(random(n, -1, 1)), buf = pair(random(n, -1, 1));
            for (int step = 0; step < 3; step++) {
                boolean firstStep = first && step == 0;
                both(b -> b.sgdStep(p.on(b), g.on(b), momentum ? buf.on(b) : null, n, 0.05f, momentum ? 0.9f : 0f,
                        damp, wd, nesterov, firstStep));
            }
            same(p, 1e-6, "sgd variant " + variant);
            if (momentum) {
                same(buf, 1e-6, "sgd momentum buffer, variant " + variant);
            }
        }
    }

    @Test
    void adamStepWithAndWithoutAmsgradAndWeightDecay() {
        int n = 777;
        for (int variant = 0; variant < 3; variant++) {
            boolean ams = variant == 1;
            float wd = variant == 2 ? 0.01f : 0f;
            Pair p = pair(random(n, -1, 1)), m = pair(new float[n]), v = pair(new float[n]), vmax = pair(new float[n]);
            for (int step = 1; step <= 4; step++) {
                Pair g = pair(random(n, -1, 1));
                int s = step;
                both(b -> b.adamStep(p.on(b), g.on(b), m.on(b), v.on(b), ams ? vmax.on(b) : null, n, 1e-3f, 0.9f,
                        0.999f, 1e-8f, wd, s));
            }
            same(p, 1e-5, "adam variant " + variant);
            same(m, 1e-5, "adam exp_avg, variant " + variant);
            same(v, 1e-5, "adam exp_avg_sq, variant " + variant);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Contiguous strides of {@code shape} with 0 on its size-1 dimensions (how Tensor broadcasts). */
    private static int[] broadcastStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = shape[i] == 1 ? 0 : acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Column-major strides (a transposed view of a contiguous buffer), 0 on size-1 dimensions. */
    private static int[] transposedStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i] == 1 ? 0 : acc;
            acc *= shape[i];
        }
        return s;
    }
}
