package io.deepcanvas.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.ReLU;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Device;
import io.deepcanvas.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JOCL frees no {@code cl_mem} when a Java object is collected: the pool and the cleaner must. A hundred short
 * training runs whose models are dropped afterwards leave no more device buffers than one run does.
 */
class OpenCLMemoryTest {
    private static OpenCLBackend cl;

    /** Per test, so that each one reports the skip and its reason where there is no device (opened once). */
    @BeforeEach
    void device() {
        cl = OpenCLTestDevice.backendOrSkip();
    }

    /** A small model trained for three steps on the device, then dropped; returns the last loss. */
    private static float oneRun(int seed) {
        Tensor.manualSeed(seed);
        Sequential net;
        try (Device.Scope ignored = Device.use(Device.of(cl))) {
            net = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 5));
        }
        SGD opt = new SGD(net.parameters(), 0.1f, 0.9f);
        Tensor x = Tensor.randn(8, 20);
        Tensor y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 0, 1, 2}, 8);
        float loss = Float.NaN;
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            Tensor l = new CrossEntropyLoss().forward(net.forward(x), y);
            l.backward();
            opt.step();
            loss = l.item();
        }
        return loss;
    }

    @Test
    void aHundredRunsLeaveNoMoreDeviceBuffersThanOne() {
        assertTrue(Float.isFinite(oneRun(0)));
        cl.releaseUnused();
        int afterOne = cl.liveBuffers();
        int peak = 0;
        for (int run = 1; run <= 100; run++) {
            assertTrue(Float.isFinite(oneRun(run)), "run " + run);
            peak = Math.max(peak, cl.liveBuffers());
        }
        cl.releaseUnused();
        int afterHundred = cl.liveBuffers();
        // what remains is what something still references (the pool is empty after releaseUnused): not a run's
        assertTrue(afterHundred <= afterOne + 2, "device buffers after one run: " + afterOne + ", after 100 more: "
                + afterHundred + " (a leak of cl_mem objects)");
        assertTrue(peak > 0, "the runs used device buffers");
    }

    @Test
    void recycledMemoryIsReusedInsteadOfCreatedAgain() {
        cl.releaseUnused();
        int before = cl.liveBuffers();
        for (int i = 0; i < 50; i++) {
            io.deepcanvas.engine.backend.Buffer b = cl.empty(4096);
            cl.recycle(b);
        }
        assertEquals(before + 1, cl.liveBuffers(), "one buffer of that size, taken and given back 50 times");
    }
}
