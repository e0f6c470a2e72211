package io.deepcanvas.engine.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.cli.Cli;
import io.deepcanvas.engine.tensor.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jocl.CLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every way OpenCL can be missing, simulated by replacing the device probe: {@code auto} runs on the CPU with one
 * line saying why, {@code opencl} asked for by name fails with that line, {@code deepcanvas devices} says it, and
 * nothing crashes or hangs. A kernel that does not compile is reported the same way (on a real device).
 */
class OpenCLFallbackTest {
    @AfterEach
    void realProbeAgain() {
        OpenCLDevices.useProbe(null);
        OpenCLDevices.discoveryTimeoutMillis = OpenCLDevices.DISCOVERY_TIMEOUT_SECONDS * 1000L;
        Device.setDefault(Device.CPU);
    }

    private static void assertFallsBackToTheCpu(String why) {
        Device.Selection auto = Device.select("auto");
        assertEquals(Device.CPU, auto.device());
        assertTrue(auto.note().contains(why) && auto.note().endsWith("training on the CPU")
                && !auto.note().contains("\n"), auto.note());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.select("opencl"));
        assertTrue(e.getMessage().contains(why) && e.getMessage().contains("--device opencl"), e.getMessage());
        assertEquals(Device.CPU, Device.select("cpu").device());
    }

    @Test
    void noLoaderLibraryFallsBackToTheCpuWithOneLine() {
        OpenCLDevices.useProbe(() -> {
            throw new UnsatisfiedLinkError("libOpenCL.so.1: cannot open shared object file");
        });
        assertFallsBackToTheCpu("OpenCL loader library could not be loaded");
    }

    @Test
    void noDriverFallsBackToTheCpuWithOneLine() {
        OpenCLDevices.useProbe(() -> {
            throw new CLException("CL_PLATFORM_NOT_FOUND_KHR", -1001);
        });
        assertFallsBackToTheCpu("no OpenCL driver is installed");
    }

    @Test
    void aDriverWithoutDevicesFallsBackToTheCpuWithOneLine() {
        OpenCLDevices.useProbe(List::of);
        assertFallsBackToTheCpu("reports no devices");
    }

    @Test
    void aHangingDriverIsGivenUpOnInsteadOfHangingTheProgram() {
        OpenCLDevices.discoveryTimeoutMillis = 200;
        OpenCLDevices.useProbe(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        });
        long t0 = System.nanoTime();
        assertFallsBackToTheCpu("did not answer");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "discovery must give up, not wait for the driver");
    }

    @Test
    void theDevicesCommandSaysWhyThereIsNoOpenClDevice() {
        OpenCLDevices.useProbe(() -> {
            throw new CLException("CL_PLATFORM_NOT_FOUND_KHR", -1001);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"devices"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        assertTrue(text.contains("opencl  none: OpenCL: no OpenCL driver is installed"), text);
        assertTrue(text.contains("auto    = cpu (no OpenCL GPU)"), text);
    }

    @Test
    void trainingWithOpenClInsistedOnButMissingExitsWithOneLine() {
        OpenCLDevices.useProbe(List::of);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // the tests run from engine/ under Maven, from the repository root elsewhere (tools/gpu/RunTests.java)
        String lenet = java.nio.file.Files.exists(java.nio.file.Path.of("layouts/lenet5.json")) ? "layouts/lenet5.json"
                : "../layouts/lenet5.json";
        int exit = Cli.run(new String[] {"train", lenet, "--device", "opencl", "--steps", "1"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, exit, text);
        assertFalse(text.contains("\n"), "one line, not a stack trace: " + text);
        assertTrue(text.startsWith("deepcanvas: ") && text.contains("reports no devices"), text);
    }

    @Test
    void aKernelThatDoesNotCompileIsReportedInOneLineNamingTheDevice() {
        OpenCLDeviceInfo info = OpenCLTestDevice.backendOrSkip().device();
        OpenCLUnavailableException e = assertThrows(OpenCLUnavailableException.class,
                () -> OpenCLBackend.open(info, "__kernel void broken(__global float* x) { x[0] = undefined_name; }"));
        assertTrue(e.getMessage().contains("failed to build on " + info.name()) && e.getMessage().contains("error")
                && !e.getMessage().contains("\n"), e.getMessage());
        assertNull(e.getCause());
    }
}
