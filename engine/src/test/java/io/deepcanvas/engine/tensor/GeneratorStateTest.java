package io.deepcanvas.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** get_state / set_state: a generator put back in a saved state draws the same numbers again. */
class GeneratorStateTest {
    @Test
    void aSavedStateDrawsTheSameNumbersAgainNormalsIncluded() {
        Generator g = new Generator(42);
        g.nextGaussian(); // Box-Muller makes two normals at a time: the spare one is part of the state
        Generator.State saved = g.getState();
        float[] first = new float[9];
        g.fillNormal(first, 0f, 1f);
        float[] moved = new float[9];
        g.fillNormal(moved, 0f, 1f);
        assertFalse(Arrays.equals(first, moved), "the generator moves on");
        g.setState(saved);
        float[] again = new float[9];
        g.fillNormal(again, 0f, 1f);
        assertArrayEquals(first, again);
    }
}
