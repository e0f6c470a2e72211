package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.Compose;
import io.deepcanvas.engine.data.Normalize;
import io.deepcanvas.engine.data.Pad;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DigitPadPreprocessorTest {
    private static final int W = 280;

    private static float[] rectangle(int x0, int y0, int w, int h) {
        float[] px = new float[W * W];
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                px[y * W + x] = 1f;
            }
        }
        return px;
    }

    /** Rows (or columns) of the 28×28 image holding ink brighter than half. */
    private static int inkExtent(float[] img, boolean rows) {
        int n = 0;
        for (int a = 0; a < 28; a++) {
            boolean any = false;
            for (int b = 0; b < 28; b++) {
                any |= (rows ? img[a * 28 + b] : img[b * 28 + a]) > 0.5f;
            }
            n += any ? 1 : 0;
        }
        return n;
    }

    @Test
    void anOffCentreSquareEndsUpCentredByMass() {
        float[] img = DigitPadPreprocessor.toMnist(rectangle(10, 200, 60, 60), W, W);
        double[] c = DigitPadPreprocessor.centreOfMass(img);
        assertEquals(14, c[0], 0.51, "x of the centre of mass");
        assertEquals(14, c[1], 0.51, "y of the centre of mass");
        assertEquals(20, inkExtent(img, true));
        assertEquals(20, inkExtent(img, false));
    }

    @Test
    void theMassCentreNotTheBoxCentreIsWhatIsCentred() {
        // an L: a heavy vertical bar with a thin foot, so the mass sits left of the box's middle
        float[] px = rectangle(50, 50, 40, 200);
        float[] foot = rectangle(90, 230, 110, 20);
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.max(px[i], foot[i]);
        }
        float[] img = DigitPadPreprocessor.toMnist(px, W, W);
        double[] c = DigitPadPreprocessor.centreOfMass(img);
        assertEquals(14, c[0], 0.51);
        assertEquals(14, c[1], 0.51);
        // the box (20 wide) is shifted right of the frame's middle, so its left edge is beyond column 4
        int left = 28;
        for (int i = 0; i < img.length; i++) {
            if (img[i] > 0) {
                left = Math.min(left, i % 28);
            }
        }
        assertTrue(left > 4, "left edge " + left);
    }

    @Test
    void theAspectRatioIsKept() {
        float[] img = DigitPadPreprocessor.toMnist(rectangle(100, 40, 100, 200), W, W);
        assertEquals(20, inkExtent(img, true), "height");
        assertEquals(10, inkExtent(img, false), "width");
    }

    @Test
    void aThinVerticalStrokeScalesToHeight20() {
        DigitPadRaster raster = new DigitPadRaster(W, W);
        raster.stroke(140, 40, 140, 240, 20);
        float[] img = DigitPadPreprocessor.toMnist(raster.snapshot(), W, W);
        int tall = 0;
        for (int y = 0; y < 28; y++) {
            boolean any = false;
            for (int x = 0; x < 28; x++) {
                any |= img[y * 28 + x] > 0.05f;
            }
            tall += any ? 1 : 0;
        }
        assertEquals(20, tall, "rows with ink");
        assertTrue(inkExtent(img, false) <= 3, "a stroke stays thin: " + inkExtent(img, false) + " columns");
        // whole-pixel shifts leave the centre at most half a pixel off
        assertEquals(14, DigitPadPreprocessor.centreOfMass(img)[0], 0.51);
    }

    @Test
    void anEmptyOrBarelyTouchedDrawingGivesNull() {
        assertNull(DigitPadPreprocessor.toMnist(new float[W * W], W, W));
        float[] faint = new float[W * W];
        faint[500] = DigitPadPreprocessor.INK / 2;
        assertNull(DigitPadPreprocessor.toMnist(faint, W, W));
    }

    @Test
    void valuesStayBetweenZeroAndOneAndAreAntiAliased() {
        DigitPadRaster raster = new DigitPadRaster(W, W);
        raster.stroke(60, 60, 220, 200, 21);
        raster.stroke(220, 60, 60, 200, 21);
        float[] img = DigitPadPreprocessor.toMnist(raster.snapshot(), W, W);
        boolean grey = false;
        for (float v : img) {
            assertTrue(v >= 0f && v <= 1f, "value " + v);
            grey |= v > 0.05f && v < 0.95f;
        }
        assertTrue(grey, "area averaging leaves grey levels at the edges");
    }

    @Test
    void aWrongSizedDrawingIsRefusedWithTheSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> DigitPadPreprocessor.toMnist(new float[10], 4, 4));
        assertTrue(e.getMessage().contains("4×4"), e.getMessage());
    }

    @Test
    void theSampleFollowsTheProjectsTransformAndTheInputShape() {
        float[] img = DigitPadPreprocessor.toMnist(rectangle(100, 40, 100, 200), W, W);
        Tensor padded = DigitPadPreprocessor.toSample(img, new Compose(new Pad(2), new Normalize(0.1307f, 0.3081f)),
                Shape.of(1, 32, 32));
        assertArrayEquals(new int[] {1, 1, 32, 32}, padded.size());
        assertEquals((0 - 0.1307f) / 0.3081f, padded.get(0, 0, 0, 0), 1e-6);
        assertEquals((img[14 * 28 + 14] - 0.1307f) / 0.3081f, padded.get(0, 0, 16, 16), 1e-6);

        Tensor flat = DigitPadPreprocessor.toSample(img, null, Shape.of(784));
        assertArrayEquals(new int[] {1, 784}, flat.size());
        assertEquals(img[300], flat.get(0, 300));

        // a 32×32 Input without a Pad transform still gets the digit in the middle
        Tensor centred = DigitPadPreprocessor.toSample(img, null, Shape.of(1, 32, 32));
        assertEquals(img[14 * 28 + 14], centred.get(0, 0, 16, 16));
    }

    @Test
    void anInputTheDigitCannotFitIsRefusedNamingBothShapes() {
        float[] img = DigitPadPreprocessor.toMnist(rectangle(100, 40, 100, 200), W, W);
        var e = assertThrows(IllegalArgumentException.class,
                () -> DigitPadPreprocessor.toSample(img, null, Shape.of(3, 32, 32)));
        assertTrue(e.getMessage().contains("[3, 32, 32]") && e.getMessage().contains("[1, 28, 28]"), e.getMessage());
    }
}
