package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The kernels' register tiles follow the JIT's instruction set: the AVX2 test pass (engine/pom.xml, execution
 * "avx2") must really run the 16-register tiles, or it would check nothing the main pass does not.
 */
class VectorRegistersTest {
    @Test
    void theAvx2PassRunsTheSixteenRegisterTiles() {
        String expected = System.getProperty("deepcanvas.expectVectorRegisters");
        String arch = System.getProperty("os.arch");
        if (expected != null) {
            assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "-XX:UseAVX exists on x86 only: on " + arch
                    + " the AVX2 pass runs the same tiles as the main one");
            assertEquals(Integer.parseInt(expected), VectorRegisters.COUNT, VectorRegisters.describe());
            assertEquals(VectorRegisters.COUNT < 32, VectorRegisters.FEW);
        }
    }

    @Test
    void followsTheJitsUseAvxSetting() {
        String arch = System.getProperty("os.arch");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        String useAvx = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:UseAVX=")).reduce((a, b) -> b).orElse(null);
        if (System.getProperty("deepcanvas.vectorRegisters") != null || !x86 || useAvx == null) {
            // the JIT chose its own level: 512-bit vectors only come with AVX-512's 32 registers
            boolean forced = System.getProperty("deepcanvas.vectorRegisters") != null;
            if (!forced && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512) {
                assertEquals(32, VectorRegisters.COUNT);
            }
            return;
        }
        int level = Integer.parseInt(useAvx.substring("-XX:UseAVX=".length()));
        assertEquals(level >= 3 ? 32 : 16, VectorRegisters.COUNT, "with " + useAvx);
    }
}
