package io.deepcanvas.engine.backend.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenCL C sources of the backend, read from the resources beside this class and built as one program. */
final class KernelSource {
    /** In dependency order: later files use helpers of earlier ones (strided_offset, group_sum). */
    static final String[] FILES = {"memory.cl", "elementwise.cl", "reduce.cl", "gemm.cl", "conv.cl", "pool.cl",
        "optim.cl"};

    private KernelSource() {
    }

    static String load() {
        StringBuilder sb = new StringBuilder();
        for (String f : FILES) {
            try (InputStream in = KernelSource.class.getResourceAsStream(f)) {
                if (in == null) {
                    throw new IllegalStateException("OpenCL kernel source " + f + " is missing from the classpath "
                            + "(io/deepcanvas/engine/backend/opencl/" + f + "): rebuild the engine");
                }
                sb.append("// ---- ").append(f).append('\n').append(new String(in.readAllBytes(),
                        StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("reading OpenCL kernel source " + f, e);
            }
        }
        return sb.toString();
    }
}
