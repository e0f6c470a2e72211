package io.deepcanvas.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepcanvas.engine.backend.Pool2dGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Max pooling against a scan-order reference: PyTorch's rule, the first maximum (or first NaN) wins. */
class PoolingTest {
    private static void check(float[] x, Pool2dGeometry g) {
        int outN = g.planes() * g.outH() * g.outW();
        float[] out = new float[outN], idx = new float[outN];
        Pooling.max(x, out, idx, g);
        int o = 0;
        for (int pl = 0; pl < g.planes(); pl++) {
            for (int y = 0; y < g.outH(); y++) {
                for (int xw = 0; xw < g.outW(); xw++, o++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int bi = -1;
                    for (int i = 0; i < g.kH(); i++) {
                        for (int j = 0; j < g.kW(); j++) {
                            int h = y * g.strideH() + i, w = xw * g.strideW() + j;
                            float v = x[(pl * g.inH() + h) * g.inW() + w];
                            if (bi < 0 || (!Float.isNaN(best) && (v > best || Float.isNaN(v)))) {
                                best = v;
                                bi = h * g.inW() + w;
                            }
                        }
                    }
                    assertEquals(best, out[o], 0f, "value at " + o + " of " + g);
                    assertEquals(bi, (int) idx[o], "index at " + o + " of " + g);
                }
            }
        }
    }

    @Test
    void twoByTwoPoolingPicksTheFirstMaximumLikeTheScanOrder() {
        Random r = new Random(5);
        // rows of 14 and 5 outputs (LeNet-5), rows longer than a vector (20, 36), many planes (pieces end mid-array)
        int[][] shapes = {{6, 28, 28}, {16, 10, 10}, {3, 14, 14}, {70, 4, 6}, {5, 7, 9}, {1, 2, 2}, {4, 8, 40},
            {2, 6, 72}, {384, 4, 4}, {1, 2, 34}};
        for (int[] s : shapes) {
            float[] x = new float[s[0] * s[1] * s[2]];
            for (int i = 0; i < x.length; i++) {
                // few distinct values and many zeros (as after ReLU), so ties are common
                x[i] = Math.max(0, r.nextInt(5) - 2);
            }
            if (x.length > 40) {
                x[37] = Float.NaN;
                x[36] = Float.NaN;
            }
            check(x, new Pool2dGeometry(s[0], s[1], s[2], 2, 2, 2, 2, 0, 0, false));
            if (s[1] >= 3 && s[2] >= 3) {
                check(x, new Pool2dGeometry(s[0], s[1], s[2], 3, 3, 2, 2, 0, 0, false));
            }
        }
    }
}
