package io.deepcanvas.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.Buffer;

/**
 * The OpenCL device the tests run on, or a skip that says why there is none. A device that exists but whose
 * kernels do not build fails the test: that is a bug of ours, not a missing driver.
 */
final class OpenCLTestDevice {
    private OpenCLTestDevice() {
    }

    static OpenCLBackend backendOrSkip() {
        OpenCLDevices.Discovery d = OpenCLDevices.discover();
        assumeTrue(d.available(), () -> "skipped: no OpenCL device here (" + d.problem() + "); CI installs PoCL "
                + "(pocl-opencl-icd) to run these");
        return OpenCLDevices.open("opencl");
    }

    /** Asserts |e − a| <= tol · (1 + |e|) element by element, naming the first element that differs. */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertTrue(expected.length == actual.length, what + ": " + expected.length + " vs " + actual.length
                + " elements");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                assertTrue(Float.isNaN(e) && Float.isNaN(a), what + ": element " + i + " expected " + e + " got " + a);
                continue;
            }
            if (Float.isInfinite(e)) {
                assertTrue(e == a, what + ": element " + i + " expected " + e + " got " + a);
                continue;
            }
            double err = Math.abs(e - a);
            assertTrue(err <= tol * (1 + Math.abs(e)), what + ": element " + i + " of " + expected.length
                    + " expected " + e + " got " + a + " (tolerance " + tol + ")");
        }
    }

    static float[] read(Backend b, Buffer buf, int n) {
        return b.download(buf, 0, n);
    }
}
