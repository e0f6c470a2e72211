package io.deepcanvas.engine.tensor;

import io.deepcanvas.engine.nn.Functional;
import io.deepcanvas.engine.nn.Reduction;
import io.deepcanvas.engine.testing.GradCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every differentiable op's backward agrees with finite differences of its forward. */
class GradCheckTest {
    @BeforeEach
    void seed() {
        Tensor.manualSeed(7);
    }

    /** Values kept away from 0 so kinks (relu, abs, max) are not straddled by the finite difference. */
    private static Tensor awayFromZero(int... shape) {
        Tensor t = Tensor.randn(shape);
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] >= 0 ? v[i] + 0.2f : v[i] - 0.2f;
        }
        return Tensor.fromArray(v, shape);
    }

    /** Distinct values spaced 0.1 apart, shuffled, so max and max-pool winners are stable. */
    private static Tensor distinct(int... shape) {
        int n = Shape.of(shape).numel();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) * 0.1f;
        }
        Generator g = new Generator(3);
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.fromArray(v, shape);
    }

    private static Tensor positive(int... shape) {
        return Tensor.rand(shape).add(0.5f).detach();
    }

    @Test
    void elementwiseBinaryOpsWithBroadcasting() {
        GradCheck.check("add", x -> x[0].add(x[1]), Tensor.randn(2, 3, 4), Tensor.randn(3, 1));
        GradCheck.check("sub", x -> x[0].sub(x[1]), Tensor.randn(2, 3), Tensor.randn(3));
        GradCheck.check("mul", x -> x[0].mul(x[1]), Tensor.randn(4, 1), Tensor.randn(1, 5));
        GradCheck.check("div", x -> x[0].div(x[1]), Tensor.randn(2, 3), positive(3));
        GradCheck.check("pow tensor", x -> x[0].pow(x[1]), positive(2, 3), Tensor.randn(2, 3));
    }

    @Test
    void scalarOps() {
        GradCheck.check("add scalar", x -> x[0].add(2f), Tensor.randn(3, 2));
        GradCheck.check("mul scalar", x -> x[0].mul(-3f), Tensor.randn(3, 2));
        GradCheck.check("div scalar", x -> x[0].div(4f), Tensor.randn(3, 2));
        GradCheck.check("pow scalar", x -> x[0].pow(2.5f), positive(3, 2));
        GradCheck.check("neg", x -> x[0].neg(), Tensor.randn(3, 2));
    }

    @Test
    void unaryOps() {
        GradCheck.check("exp", x -> x[0].exp(), Tensor.randn(3, 4));
        GradCheck.check("log", x -> x[0].log(), positive(3, 4));
        GradCheck.check("sqrt", x -> x[0].sqrt(), positive(3, 4));
        GradCheck.check("sigmoid", x -> x[0].sigmoid(), Tensor.randn(3, 4));
        GradCheck.check("tanh", x -> x[0].tanh(), Tensor.randn(3, 4));
        GradCheck.check("relu", x -> x[0].relu(), awayFromZero(3, 4));
        GradCheck.check("leakyRelu", x -> x[0].leakyRelu(0.1f), awayFromZero(3, 4));
        GradCheck.check("abs", x -> x[0].abs(), awayFromZero(3, 4));
    }

    @Test
    void reductions() {
        GradCheck.check("sum all", x -> x[0].sum(), Tensor.randn(2, 3));
        GradCheck.check("sum dim keepdim", x -> x[0].sum(1, true), Tensor.randn(2, 3, 4));
        GradCheck.check("sum dim", x -> x[0].sum(0, false), Tensor.randn(2, 3, 4));
        GradCheck.check("mean all", x -> x[0].mean(), Tensor.randn(2, 3));
        GradCheck.check("mean dim", x -> x[0].mean(-1, false), Tensor.randn(2, 3, 4));
        GradCheck.check("max dim", x -> x[0].max(1, false).values(), distinct(3, 5));
        GradCheck.check("max all", x -> x[0].max(), distinct(3, 5));
        GradCheck.check("softmax", x -> x[0].softmax(1), Tensor.randn(3, 5));
        GradCheck.check("logSoftmax", x -> x[0].logSoftmax(0), Tensor.randn(4, 3));
        GradCheck.check("softmax inner dim", x -> x[0].softmax(1), Tensor.randn(2, 3, 4));
    }

    @Test
    void matrixProducts() {
        GradCheck.check("mm", x -> x[0].mm(x[1]), Tensor.randn(3, 4), Tensor.randn(4, 5));
        GradCheck.check("mm transposed", x -> x[0].t().mm(x[1].t()), Tensor.randn(4, 3), Tensor.randn(5, 4));
        GradCheck.check("bmm", x -> x[0].bmm(x[1]), Tensor.randn(2, 3, 4), Tensor.randn(2, 4, 2));
        GradCheck.check("matmul broadcast", x -> x[0].matmul(x[1]), Tensor.randn(2, 3, 4), Tensor.randn(4, 2));
        GradCheck.check("matmul batch broadcast", x -> x[0].matmul(x[1]), Tensor.randn(2, 1, 3, 4),
                Tensor.randn(3, 4, 2));
        GradCheck.check("matmul vector", x -> x[0].matmul(x[1]), Tensor.randn(3, 4), Tensor.randn(4));
        GradCheck.check("linear", x -> Functional.linear(x[0], x[1], x[2]), Tensor.randn(5, 7), Tensor.randn(3, 7),
                Tensor.randn(3));
        GradCheck.check("linear 3-D input", x -> Functional.linear(x[0], x[1], x[2]), Tensor.randn(2, 5, 7),
                Tensor.randn(3, 7), Tensor.randn(3));
    }

    @Test
    void viewsAndLayout() {
        GradCheck.check("view", x -> x[0].view(3, 4).mul(x[0].view(3, 4)), Tensor.randn(2, 6));
        GradCheck.check("transpose then contiguous", x -> x[0].transpose(0, 2).contiguous().mul(2f),
                Tensor.randn(2, 3, 4));
        GradCheck.check("permute", x -> x[0].permute(2, 0, 1).reshape(-1), Tensor.randn(2, 3, 4));
        GradCheck.check("unsqueeze squeeze", x -> x[0].unsqueeze(1).mul(x[0].unsqueeze(0)).squeeze(),
                Tensor.randn(3));
        GradCheck.check("flatten", x -> x[0].flatten(1, -1).exp(), Tensor.randn(2, 2, 3));
        GradCheck.check("expand", x -> x[0].expand(4, 3).mul(Tensor.arange(12).reshape(4, 3)), Tensor.randn(1, 3));
        GradCheck.check("shared input accumulates", x -> x[0].mul(x[0]).add(x[0].exp()), Tensor.randn(5));
    }

    @Test
    void convolutionAndPooling() {
        GradCheck.check("conv2d", x -> Functional.conv2d(x[0], x[1], x[2], new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, 1), Tensor.randn(2, 2, 5, 5), Tensor.randn(3, 2, 3, 3), Tensor.randn(3));
        GradCheck.check("conv2d stride padding dilation groups", x -> Functional.conv2d(x[0], x[1], null,
                new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 1}, 2), Tensor.randn(1, 4, 7, 6),
                Tensor.randn(4, 2, 2, 3));
        GradCheck.check("conv2d 1x1", x -> Functional.conv2d(x[0], x[1], x[2], new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, 1), Tensor.randn(2, 3, 4, 4), Tensor.randn(2, 3, 1, 1), Tensor.randn(2));
        GradCheck.check("maxPool2d", x -> Functional.maxPool2d(x[0], new int[] {2, 2}, new int[] {2, 2},
                new int[] {0, 0}, false), distinct(2, 2, 4, 4));
        GradCheck.check("maxPool2d padded ceil", x -> Functional.maxPool2d(x[0], new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, true), distinct(1, 2, 6, 6));
        GradCheck.check("avgPool2d padded", x -> Functional.avgPool2d(x[0], new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, false), Tensor.randn(1, 2, 5, 5));
    }

    @Test
    void lossesAndNormalisation() {
        Tensor target = Tensor.fromArray(new float[] {1, 0, 3, 2}, 4);
        GradCheck.check("cross entropy", x -> Functional.crossEntropy(x[0], target, Reduction.MEAN),
                Tensor.randn(4, 5));
        GradCheck.check("nll sum", x -> Functional.nllLoss(x[0].logSoftmax(1), target, Reduction.SUM),
                Tensor.randn(4, 5));
        GradCheck.check("nll none", x -> Functional.nllLoss(x[0], target, Reduction.NONE), Tensor.randn(4, 5));
        GradCheck.check("mse", x -> Functional.mseLoss(x[0], x[1], Reduction.MEAN), Tensor.randn(3, 4),
                Tensor.randn(3, 4));
        GradCheck.check("batch norm train", x -> Functional.batchNorm(x[0], null, null, x[1], x[2], true, 0.1f, 1e-5f),
                Tensor.randn(4, 3, 2, 2), Tensor.randn(3), Tensor.randn(3));
    }
}
