package io.deepcanvas.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generator's bulk fill draws exactly the numbers its one-at-a-time calls draw, and leaves the same state. */
class GeneratorTest {
    @Test
    void fillUniformDrawsTheSameSequenceAsNextFloat() {
        Generator bulk = new Generator(42), single = new Generator(42);
        float[] filled = new float[1000];
        bulk.fillUniform(filled, -2f, 3f);
        float[] expected = new float[filled.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = -2f + 5f * single.nextFloat();
        }
        assertArrayEquals(expected, filled);
        // the state moved on identically
        assertEquals(single.nextFloat(), bulk.nextFloat());
        for (float v : filled) {
            assertTrue(v >= -2f && v < 3f, "out of range: " + v);
        }
        assertNotEquals(filled[0], filled[1]);
    }

    @Test
    void aDropoutMaskIsTheComparisonOfTheSameUniformDraws() {
        for (float p : new float[] {0f, 0.1f, 0.5f, 0.3333f, 0.999f, 1f}) {
            Generator a = new Generator(7), b = new Generator(7);
            float[] mask = new float[5000], uniform = new float[5000];
            a.fillDropoutMask(mask, p, 2.5f);
            b.fillUniform(uniform, 0f, 1f);
            int kept = 0;
            for (int i = 0; i < mask.length; i++) {
                assertEquals(uniform[i] >= p ? 2.5f : 0f, mask[i], "p=" + p + " at " + i);
                kept += mask[i] != 0f ? 1 : 0;
            }
            assertEquals(1 - p, kept / 5000.0, 0.03, "share kept at p=" + p);
        }
    }
}
