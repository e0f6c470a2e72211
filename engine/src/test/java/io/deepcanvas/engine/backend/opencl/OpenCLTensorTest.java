package io.deepcanvas.engine.backend.opencl;

import static io.deepcanvas.engine.backend.opencl.OpenCLTestDevice.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.deepcanvas.engine.nn.Functional;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tensor programs with autograd run on OpenCL as on the CPU: values and gradients of composed expressions over
 * strided views and broadcasting, a CPU operand meeting a device one, and {@code to(device)} both ways.
 */
class OpenCLTensorTest {
    private static Device cl;

    /** Per test, so that each one reports the skip and its reason where there is no device (opened once). */
    @BeforeEach
    void device() {
        cl = Device.of(OpenCLTestDevice.backendOrSkip());
    }

    @AfterEach
    void cpuDefault() {
        Device.setDefault(Device.CPU);
    }

    /** f applied to leaves made from the same values on the CPU and on OpenCL: same output, same gradients. */
    private static void sameOnBoth(String what, Function<Tensor[], Tensor> f, int[]... shapes) {
        float[][] values = new float[shapes.length][];
        Tensor.manualSeed(11);
        for (int i = 0; i < shapes.length; i++) {
            values[i] = Tensor.randn(shapes[i]).toArray();
        }
        Tensor[][] leaves = new Tensor[2][shapes.length];
        Tensor[] outs = new Tensor[2];
        Device[] devices = {Device.CPU, cl};
        for (int d = 0; d < 2; d++) {
            for (int i = 0; i < shapes.length; i++) {
                leaves[d][i] = Tensor.wrap(values[i].clone(), shapes[i]).to(devices[d]).requiresGrad(true);
            }
            outs[d] = f.apply(leaves[d]);
            assertEquals(devices[d], outs[d].device(), what + ": the result stays on the operands' device");
            outs[d].sum().backward();
        }
        assertClose(outs[0].toArray(), outs[1].toArray(), 1e-4, what + " value");
        for (int i = 0; i < shapes.length; i++) {
            assertEquals(cl, leaves[1][i].grad().device(), what + ": gradient " + i + " on the device");
            assertClose(leaves[0][i].grad().toArray(), leaves[1][i].grad().toArray(), 1e-4, what + " gradient " + i);
        }
    }

    @Test
    void composedExpressionsGiveTheSameValuesAndGradients() {
        sameOnBoth("broadcast arithmetic", t -> t[0].mul(t[1]).add(t[1].exp()).div(t[0].abs().add(1f)),
                new int[] {4, 1, 5}, new int[] {3, 1});
        sameOnBoth("transposed views", t -> t[0].t().matmul(t[1]).tanh(), new int[] {6, 3}, new int[] {6, 4});
        sameOnBoth("permute then reduce", t -> t[0].permute(2, 0, 1).contiguous().sigmoid().sum(1, false)
                .mul(t[0].mean()), new int[] {2, 3, 5});
        sameOnBoth("softmax, max and narrow", t -> t[0].logSoftmax(1).add(t[0].softmax(0)).max(1, true).values()
                .add(t[0].narrow(1, 2, 1)), new int[] {5, 7});
        sameOnBoth("batched matmul with broadcast batch", t -> t[0].matmul(t[1]).relu(), new int[] {2, 3, 4, 5},
                new int[] {3, 5, 2});
        sameOnBoth("conv, pool and linear", t -> Functional.linear(Functional.maxPool2d(
                Functional.conv2d(t[0], t[1], t[2], new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1).relu(),
                new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false).flatten(1, -1), t[3], null),
                new int[] {2, 3, 6, 6}, new int[] {4, 3, 3, 3}, new int[] {4}, new int[] {5, 36});
        sameOnBoth("cross-entropy", t -> Functional.crossEntropy(t[0], Tensor.wrap(new float[] {1, 0, 3}, 3),
                io.deepcanvas.engine.nn.Reduction.MEAN), new int[] {3, 4});
    }

    @Test
    void aCpuOperandMeetsTheDeviceAndToMovesBothWays() {
        Tensor onDevice = Tensor.wrap(new float[] {1, 2, 3}, 3).to(cl);
        assertEquals(cl, onDevice.device());
        Tensor sum = onDevice.add(Tensor.scalar(10f));
        assertEquals(cl, sum.device(), "a CPU scalar goes to the device, as in PyTorch");
        assertEquals(cl, Tensor.wrap(new float[] {1, 1, 1}, 3).mul(onDevice).device());
        Tensor back = sum.to(Device.CPU);
        assertEquals(Device.CPU, back.device());
        assertClose(new float[] {11, 12, 13}, back.toArray(), 0, "round trip");
        assertSame(onDevice, onDevice.to(cl), "already there: no copy");
    }

    @Test
    void theDefaultDeviceDecidesWhereNewTensorsGo() {
        try (Device.Scope ignored = Device.use(cl)) {
            assertEquals(cl, Tensor.zeros(2, 3).device());
            assertEquals(cl, Tensor.scalar(1f).device());
            assertEquals(cl, Tensor.fromArray(new float[] {1, 2}, 2).device());
            assertEquals(Device.CPU, Tensor.wrap(new float[] {1, 2}, 2).device(), "wrap shares a host array");
        }
        assertEquals(Device.CPU, Tensor.zeros(2).device(), "the scope restores the default");
        Tensor t = Tensor.ones(3).to(cl);
        assertEquals(cl, Tensor.zerosLike(t).device(), "zeros_like follows its argument");
        assertEquals(cl, Tensor.onesLike(t).device());
        assertClose(new float[] {1, 1, 1}, Tensor.onesLike(t).toArray(), 0, "ones_like");
    }
}
