package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.Conv2dGeometry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The CPU kernels one at a time at the ConvNet's shapes (batch 32: conv1 1→32 and conv2 32→64, 5×5 with padding
 * 2; fc1 3136→1000) and the dense network's inference (batch 1000), for comparing op by op with PyTorch
 * ({@code tools/bench/torch_ops.py} times the same ops). Not a test; from the repository root, after
 * {@code mvn test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector [-XX:UseAVX=2] -cp engine/target/classes:engine/target/test-classes \
 *     io.deepcanvas.engine.backend.cpu.ConvNetOpTiming [NAME-PREFIX]
 * </pre>
 * Prints each op's median time over 9 rounds of 20 calls, after 40 rounds of warm-up (the JIT compiles each
 * kernel's variants only when they are called). {@code -DoneIn=N} sets the share of nonzero entries in the sparse
 * output gradient of the "nonzero" ops (one in N; {@code -Ddeepcanvas.sparseGradient=false} times the dense methods on
 * it).
 */
public final class ConvNetOpTiming {
    private ConvNetOpTiming() {
    }

    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        return a;
    }

    /** Median microseconds per call. */
    private static double time(Runnable op) {
        int warm = 40, rounds = 9, calls = 20;
        double[] t = new double[rounds];
        for (int round = 0; round < warm + rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                op.run();
            }
            if (round >= warm) {
                t[round - warm] = (System.nanoTime() - t0) / 1e3 / calls;
            }
        }
        Arrays.sort(t);
        return t[rounds / 2];
    }

    public static void main(String[] args) {
        Random r = new Random(1);
        int n = 32;
        Conv2dGeometry c1 = new Conv2dGeometry(n, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1, 1);
        Conv2dGeometry c2 = new Conv2dGeometry(n, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1, 1);
        float[] x1 = random(n * 784, r), w1 = random(32 * 25, r), b1 = random(32, r), o1 = new float[n * 32 * 784];
        float[] g1 = random(n * 32 * 784, r), gw1 = new float[32 * 25], gb1 = new float[32];
        float[] x2 = random(n * 32 * 196, r), w2 = random(64 * 32 * 25, r), b2 = random(64, r);
        float[] o2 = new float[n * 64 * 196], g2 = random(n * 64 * 196, r), gx2 = new float[n * 32 * 196];
        float[] gw2 = new float[64 * 32 * 25], gb2 = new float[64];
        float[] a3 = random(n * 3136, r), w3 = random(1000 * 3136, r), o3 = new float[n * 1000];
        float[] g3 = random(n * 1000, r), gx3 = new float[n * 3136], gw3 = new float[1000 * 3136];
        int m = 1000;
        float[] dx = random(m * 784, r), dw1 = random(512 * 784, r), dh1 = random(m * 512, r);
        float[] dw2 = random(512 * 512, r), dh2 = new float[m * 512], dw3 = random(10 * 512, r);
        float[] dh3 = new float[m * 10];
        Map<String, Runnable> ops = new LinkedHashMap<>();
        ops.put("conv1 forward", () -> Convolution.forward(x1, w1, b1, o1, c1));
        ops.put("conv1 weight+bias gradient", () -> Convolution.backward(x1, w1, g1, null, gw1, gb1, c1));
        ops.put("conv2 forward", () -> Convolution.forward(x2, w2, b2, o2, c2));
        ops.put("conv2 input gradient", () -> Convolution.backward(x2, w2, g2, gx2, null, null, c2));
        ops.put("conv2 weight+bias gradient", () -> Convolution.backward(x2, w2, g2, null, gw2, gb2, c2));
        // after ReLU and 2×2 max pooling most of the output gradient is zero (18% nonzero in the first steps, 4–9%
        // later): the sparse method's case, one entry in -DoneIn=N nonzero (default 10)
        int oneIn = Integer.getInteger("oneIn", 10);
        float[] g2s = g2.clone();
        for (int i = 0; i < g2s.length; i++) {
            if (r.nextInt(oneIn) != 0) {
                g2s[i] = 0f;
            }
        }
        String share = ", 1 in " + oneIn + " nonzero";
        ops.put("conv2 input gradient" + share, () -> Convolution.backward(x2, w2, g2s, gx2, null, null, c2));
        ops.put("conv2 weight+bias gradient" + share, () -> Convolution.backward(x2, w2, g2s, null, gw2, gb2, c2));
        ops.put("fc1 forward", () -> Gemm.multiply(false, true, n, 1000, 3136, a3, 0, w3, 0, o3, 0, false, true));
        ops.put("fc1 input gradient", () -> Gemm.multiply(false, false, n, 3136, 1000, g3, 0, w3, 0, gx3, 0, false,
                true));
        ops.put("fc1 weight gradient", () -> Gemm.multiply(true, false, 1000, 3136, n, g3, 0, a3, 0, gw3, 0, false,
                true));
        ops.put("dense layer 1 inference", () -> Gemm.multiply(false, true, m, 512, 784, dx, 0, dw1, 0, dh1, 0,
                false, true));
        ops.put("dense layer 2 inference", () -> Gemm.multiply(false, true, m, 512, 512, dh1, 0, dw2, 0, dh2, 0,
                false, true));
        ops.put("dense layer 3 inference", () -> Gemm.multiply(false, true, m, 10, 512, dh2, 0, dw3, 0, dh3, 0,
                false, true));
        // the dense network's training step at batch 128: forward with bias and ReLU, input gradients of layers 2
        // and 3 (layer 1's input needs none), weight gradients, and SGD's momentum step over layer 1's weights
        int t = 128;
        float[] tx = random(t * 784, r), th1 = new float[t * 512], th2 = new float[t * 512], th3 = new float[t * 10];
        float[] tg1 = random(t * 512, r), tg2 = random(t * 512, r), tg3 = random(t * 10, r);
        float[] tb = random(512, r), tgx = new float[t * 512], tgw1 = new float[512 * 784];
        float[] tgw2 = new float[512 * 512], tgw3 = new float[10 * 512], tbuf = new float[512 * 784];
        Gemm.Epilogue biasRelu = new Gemm.Epilogue(tb, true);
        CpuBackend cpu = CpuBackend.INSTANCE;
        ops.put("dense train fwd1", () -> Gemm.multiply(false, true, t, 512, 784, tx, 0, dw1, 0, th1, 0, false, true,
                biasRelu));
        ops.put("dense train fwd2", () -> Gemm.multiply(false, true, t, 512, 512, th1, 0, dw2, 0, th2, 0, false, true,
                biasRelu));
        ops.put("dense train fwd3", () -> Gemm.multiply(false, true, t, 10, 512, th2, 0, dw3, 0, th3, 0, false,
                true));
        ops.put("dense train gx3", () -> Gemm.multiply(false, false, t, 512, 10, tg3, 0, dw3, 0, tgx, 0, false,
                true));
        ops.put("dense train gx2", () -> Gemm.multiply(false, false, t, 512, 512, tg2, 0, dw2, 0, tgx, 0, false,
                true));
        ops.put("dense train gw3", () -> Gemm.multiply(true, false, 10, 512, t, tg3, 0, th2, 0, tgw3, 0, false,
                true));
        ops.put("dense train gw2", () -> Gemm.multiply(true, false, 512, 512, t, tg2, 0, th1, 0, tgw2, 0, false,
                true));
        ops.put("dense train gw1", () -> Gemm.multiply(true, false, 512, 784, t, tg1, 0, tx, 0, tgw1, 0, false,
                true));
        CpuBuffer param = new CpuBuffer(random(512 * 784, r)), grad = new CpuBuffer(tgw1);
        CpuBuffer momentum = new CpuBuffer(tbuf);
        ops.put("dense train sgd1", () -> cpu.sgdStep(param, grad, momentum, 512 * 784, 0.01f, 0.9f, 0f, 0f, false,
                false));
        String only = args.length > 0 ? args[0] : "";
        System.out.println("DeepCanvas ops, " + Parallel.THREADS + " threads, " + VectorRegisters.describe());
        for (var e : ops.entrySet()) {
            if (e.getKey().startsWith(only)) {
                System.out.printf(Locale.ROOT, "%-40s %9.1f us%n", e.getKey(), time(e.getValue()));
            }
        }
    }
}
