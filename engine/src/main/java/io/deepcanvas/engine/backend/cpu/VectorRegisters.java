package io.deepcanvas.engine.backend.cpu;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import jdk.incubator.vector.FloatVector;

/**
 * How many vector registers the JIT's code has, which decides how big a register tile of accumulators a kernel may
 * keep: 32 on an AVX-512 processor (zmm0–31, and ymm16–31 with AVX-512VL) and on AArch64, but 16 on an AVX2
 * processor — most laptops and many servers. A tile sized for 32 (Gemm's 12 × 2 vectors: 24 accumulators, two
 * loads of B and a broadcast) spills to the stack on 16 and ran the dense network's inference at a third of its
 * AVX-512 share of peak; the kernels take their 16-register tiles when {@link #FEW} is true.
 *
 * <p>Read from the JIT's own setting ({@code -XX:UseAVX}: 3 is AVX-512), so {@code -XX:UseAVX=2} on an AVX-512
 * machine gives exactly the code an AVX2 machine runs — that is how the tests keep the AVX2 paths honest. The
 * system property {@code deepcanvas.vectorRegisters} overrides it (16 or 32), for measuring one tile against the
 * other on one machine.
 */
final class VectorRegisters {
    /** Vector registers available to compiled code. */
    static final int COUNT = count();
    /** Fewer than 32: the kernels use their smaller tiles. */
    static final boolean FEW = COUNT < 32;

    private VectorRegisters() {
    }

    private static int count() {
        String forced = System.getProperty("deepcanvas.vectorRegisters");
        if (forced != null) {
            if (!forced.equals("16") && !forced.equals("32")) {
                throw new IllegalArgumentException("deepcanvas.vectorRegisters is '" + forced
                        + "'; use 16 (AVX2's register file) or 32 (AVX-512's)");
            }
            return Integer.parseInt(forced);
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return 32; // AArch64 (NEON and SVE) has 32; so do the other 64-bit ISAs the Vector API targets
        }
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512) {
            // 512-bit vectors come with AVX-512 only; no need for the diagnostic bean (6–24 ms of start-up)
            return 32;
        }
        // 256-bit vectors: AVX2, or AVX-512 held to 256 bits (-XX:MaxVectorSize=32, which keeps its 32 registers);
        // without the diagnostic bean (a runtime without jdk.management), take the smaller tiles
        Integer useAvx = useAvx();
        return useAvx != null && useAvx >= 3 ? 32 : 16;
    }

    /** HotSpot's UseAVX level (0–3), or null where it cannot be read. */
    private static Integer useAvx() {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return bean == null ? null : Integer.valueOf(bean.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** For the benchmark's header: "16 vector registers, 256-bit vectors" under AVX2. */
    static String describe() {
        return COUNT + " vector registers, " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
    }
}
