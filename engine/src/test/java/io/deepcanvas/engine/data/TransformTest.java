package io.deepcanvas.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Numbers and shapes of ToTensor, Normalize, Pad and Compose, checked against torchvision's definitions. */
class TransformTest {
    private static Tensor t(float[] data, int... shape) {
        return Tensor.fromArray(data, shape);
    }

    @Test
    void toTensorFromBytesDividesBy255IntoOneChannel() {
        Tensor x = ToTensor.fromBytes(new byte[] {9, 0, (byte) 255, (byte) 128, 51, 9}, 1, 2, 2);
        assertArrayEquals(new int[] {1, 2, 2}, x.shape().toArray());
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 0.2f}, x.toArray());
    }

    @Test
    void toTensorTurnsHwcIntoChw() {
        // 1x2 image, 3 channels: pixel0 = (255, 0, 51), pixel1 = (0, 255, 102)
        Tensor x = new ToTensor().apply(t(new float[] {255, 0, 51, 0, 255, 102}, 1, 2, 3));
        assertArrayEquals(new int[] {3, 1, 2}, x.shape().toArray());
        assertArrayEquals(new float[] {1, 0, 0, 1, 0.2f, 0.4f}, x.toArray());
        assertArrayEquals(new int[] {1, 2, 2}, new ToTensor().apply(t(new float[4], 2, 2)).shape().toArray());
    }

    @Test
    void normalizeWithOneValueSubtractsMeanAndDividesByStd() {
        Tensor x = new Normalize(0.5f, 0.25f).apply(t(new float[] {0, 0.5f, 1, 0.75f}, 1, 2, 2));
        assertArrayEquals(new int[] {1, 2, 2}, x.shape().toArray());
        assertArrayEquals(new float[] {-2, 0, 2, 1}, x.toArray());
        assertEquals((1f - 0.1307f) / 0.3081f, new Normalize(0.1307f, 0.3081f).apply(t(new float[] {1}, 1)).toArray()[0]);
    }

    @Test
    void normalizePerChannelUsesDimensionMinus3() {
        float[] in = {1, 1, 2, 2, 3, 3, 4, 4}; // [2 images, 2 channels, 1, 2]
        Tensor x = new Normalize(new float[] {1, 2}, new float[] {1, 0.5f}).apply(t(in, 2, 2, 1, 2));
        assertArrayEquals(new float[] {0, 0, 0, 0, 2, 2, 4, 4}, x.toArray());
    }

    @Test
    void normalizeLeavesItsInputUnchanged() {
        Tensor in = t(new float[] {1, 2}, 1, 1, 2);
        new Normalize(1, 2).apply(in);
        assertArrayEquals(new float[] {1, 2}, in.toArray());
    }

    @Test
    void normalizeRejectsZeroStdAndMismatchedChannels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Normalize(0.5f, 0f));
        assertTrue(e.getMessage().contains("std[0] is 0.0") && e.getMessage().contains("non-zero"), e.getMessage());
        Normalize rgb = new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        e = assertThrows(IllegalArgumentException.class, () -> rgb.apply(t(new float[4], 1, 2, 2)));
        assertTrue(e.getMessage().contains("[1, 2, 2]") && e.getMessage().contains("3 per-channel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0, 0}, new float[] {1}));
    }

    @Test
    void padAddsZerosOnAllFourBorders() {
        Tensor x = new Pad(1).apply(t(new float[] {1, 2, 3, 4}, 1, 2, 2));
        assertArrayEquals(new int[] {1, 4, 4}, x.shape().toArray());
        assertArrayEquals(new float[] {
            0, 0, 0, 0,
            0, 1, 2, 0,
            0, 3, 4, 0,
            0, 0, 0, 0}, x.toArray());
    }

    @Test
    void padTakesTorchvisionsTwoAndFourValueForms() {
        // (left, top, right, bottom) = (1, 0, 2, 1)
        Tensor x = new Pad(1, 0, 2, 1).apply(t(new float[] {5, 6}, 1, 1, 2));
        assertArrayEquals(new int[] {1, 2, 5}, x.shape().toArray());
        assertArrayEquals(new float[] {0, 5, 6, 0, 0, 0, 0, 0, 0, 0}, x.toArray());
        // (left/right, top/bottom) = (0, 1)
        Tensor y = new Pad(0, 1).apply(t(new float[] {5, 6}, 1, 1, 2));
        assertArrayEquals(new int[] {1, 3, 2}, y.shape().toArray());
        assertArrayEquals(new float[] {0, 0, 5, 6, 0, 0}, y.toArray());
    }

    @Test
    void padMatchesARowByRowReferenceForEveryBorderAndLeavesItsInput() {
        java.util.Random r = new java.util.Random(3);
        int[][] pads = {{0, 0, 0, 0}, {2, 2, 2, 2}, {1, 0, 3, 2}, {0, 4, 0, 1}, {3, 1, 0, 0}};
        int[][] shapes = {{1, 28, 28}, {3, 5, 7}, {2, 1, 6}, {4, 6, 1}, {2, 2, 3, 4}};
        for (int[] pad : pads) {
            for (int[] shape : shapes) {
                int n = 1;
                for (int d : shape) {
                    n *= d;
                }
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = 1 + r.nextInt(9); // never 0: a border left unzeroed or a row misplaced shows
                }
                Tensor x = t(values.clone(), shape);
                Tensor y = new Pad(pad).apply(x);
                int h = shape[shape.length - 2], w = shape[shape.length - 1];
                int oh = h + pad[1] + pad[3], ow = w + pad[0] + pad[2];
                float[] expected = new float[n / (h * w) * oh * ow];
                for (int p = 0; p < n / (h * w); p++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            expected[p * oh * ow + (i + pad[1]) * ow + j + pad[0]] = values[p * h * w + i * w + j];
                        }
                    }
                }
                String what = java.util.Arrays.toString(pad) + " " + java.util.Arrays.toString(shape);
                assertArrayEquals(expected, y.toArray(), what);
                assertArrayEquals(values, x.toArray(), "input changed: " + what);
            }
        }
        // a strided view (a transpose) is read in row-major order like any other tensor
        Tensor view = t(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3).transpose(1, 2);
        assertArrayEquals(new float[] {0, 1, 4, 0, 2, 5, 0, 3, 6}, new Pad(1, 0, 0, 0).apply(view).toArray());
        // an empty image pads to zeros
        assertArrayEquals(new float[8], new Pad(1).apply(t(new float[0], 1, 0, 2)).toArray());
    }

    @Test
    void padOfMnistGivesLeNetsInputSizeForEveryChannel() {
        Tensor x = new Pad(2).apply(t(new float[2 * 28 * 28], 2, 28, 28));
        assertArrayEquals(new int[] {2, 32, 32}, x.shape().toArray());
    }

    @Test
    void padRejectsNegativeOrWronglyCountedPadding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pad(-1));
        assertTrue(e.getMessage().contains("left=-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Pad(1, 2, 3));
    }

    @Test
    void composeRunsTransformsInOrder() {
        Tensor in = t(new float[] {1}, 1, 1, 1);
        Tensor padThenNorm = new Compose(new Pad(1), new Normalize(1, 1)).apply(in);
        Tensor normThenPad = new Normalize(1, 1).andThen(new Pad(1)).apply(in);
        assertEquals(-1f, padThenNorm.toArray()[0]);
        assertEquals(0f, normThenPad.toArray()[0]);
        assertEquals(0f, padThenNorm.toArray()[4]);
    }
}
