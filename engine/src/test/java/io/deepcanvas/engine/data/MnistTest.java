package io.deepcanvas.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the MNIST files shipped in sample-data/mnist; the 60k training set is loaded once for the class. */
class MnistTest {
    private static Mnist train;
    private static Mnist test;

    @BeforeAll
    static void load() {
        Path folder = Mnist.sampleDataFolder();
        train = new Mnist(folder, true);
        test = new Mnist(folder, false);
    }

    @Test
    void trainHas60000ImagesAndTestHas10000() {
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertTrue(train.imagesFile().getFileName().toString().endsWith(".gz"), "gz preferred");
    }

    @Test
    void firstLabelsAreTheKnownDigits() {
        assertEquals(5, train.label(0));
        assertEquals(5, train.get(0).label());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) {
            first[i] = train.label(i);
        }
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first);
        assertEquals(7, test.get(0).label());
    }

    @Test
    void labelCountsPerDigitMatchTheOfficialRelease() {
        int[] counts = new int[10];
        for (int i = 0; i < train.size(); i++) {
            counts[train.label(i)]++;
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, counts);
    }

    @Test
    void copyPixelsGivesTheRawGreyLevelsOfGet() {
        byte[] raw = new byte[2 + 28 * 28];
        for (int index : new int[] {0, 1234, train.size() - 1}) {
            train.copyPixels(index, raw, 2);
            float[] px = train.get(index).input().toArray();
            for (int i = 0; i < px.length; i++) {
                assertEquals(px[i], (raw[2 + i] & 0xFF) / 255f, "image " + index + " pixel " + i);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> train.copyPixels(train.size(), raw, 0));
    }

    @Test
    void sampleIsA1x28x28FloatImageInUnitRangeLikeToTensor() {
        Example e = train.get(0);
        assertArrayEquals(new int[] {1, 28, 28}, e.input().shape().toArray());
        assertEquals(0, e.target().shape().rank(), "target is a 0-d class index");
        float[] px = e.input().toArray();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        int nonZero = 0;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            nonZero += v != 0 ? 1 : 0;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertEquals(166, nonZero);
        assertEquals(27525 / 255.0, sum, 1e-3);
        // Row 14, columns 13..18 of the first "5": bytes 81 240 253 253 119 25, divided by 255 exactly.
        int[] bytes = {81, 240, 253, 253, 119, 25};
        for (int k = 0; k < bytes.length; k++) {
            assertEquals(bytes[k] / 255f, px[14 * 28 + 13 + k]);
        }
    }

    @Test
    void transformIsAppliedToEachImage() {
        Mnist padded = new Mnist(Mnist.sampleDataFolder(), false,
                new Compose(new Normalize(0.1307f, 0.3081f), new Pad(2)));
        Tensor x = padded.get(0).input();
        assertArrayEquals(new int[] {1, 32, 32}, x.shape().toArray());
        float[] a = x.toArray();
        assertEquals(0f, a[0], "padding is zero, added after Normalize as in torchvision");
        assertEquals((0 - 0.1307f) / 0.3081f, a[2 * 32 + 2], "a background pixel, normalized");
    }

    /**
     * Pads and Normalizes are worked out per grey level (GreyLevels) instead of applied image by image: the images
     * must come out bit for bit as the transforms make them, in any order and number, and a transform of another
     * kind must still be applied as it is.
     */
    @Test
    void transformsWorkedOutPerGreyLevelGiveTheTransformsOwnFloats() {
        Transform other = x -> x.mul(2f);
        java.util.List<Transform> chains = java.util.List.of(
                new Compose(new Pad(2), new Normalize(0.1307f, 0.3081f)),
                new Compose(new Normalize(0.1307f, 0.3081f), new Pad(2)),
                new Normalize(0.5f, 0.25f),
                new Pad(1, 3),
                new Compose(new Pad(1, 0, 2, 3), new Normalize(0.1307f, 0.3081f), new Pad(2, 1),
                        new Compose(new Normalize(-0.25f, 3f))),
                new Compose(new Pad(2), other));
        for (int k = 0; k < chains.size(); k++) {
            Transform chain = chains.get(k);
            boolean last = k == chains.size() - 1;
            assertEquals(!last, GreyLevels.of(chain, 28, 28) != null,
                    chain + ": worked out per grey level unless it holds another kind of transform");
            Mnist fused = new Mnist(Mnist.sampleDataFolder(), false, chain);
            for (int i : new int[] {0, 1, 7, 4321, 9999}) {
                Tensor expected = chain.apply(test.get(i).input());
                Tensor actual = fused.get(i).input();
                assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), chain + ", image " + i);
                float[] e = expected.toArray();
                float[] a = actual.toArray();
                for (int j = 0; j < e.length; j++) {
                    assertEquals(Float.floatToRawIntBits(e[j]), Float.floatToRawIntBits(a[j]),
                            chain + ", image " + i + ", value " + j + ": " + e[j] + " against " + a[j]);
                }
                assertEquals(test.get(i).target().item(), fused.get(i).target().item());
            }
        }
        float[] doubled = new Mnist(Mnist.sampleDataFolder(), false, new Compose(new Pad(2), other)).get(0).input()
                .toArray();
        float[] raw = test.get(0).input().toArray();
        assertEquals(2 * raw[14 * 28 + 14], doubled[16 * 32 + 16], "the other transform was applied");
    }

    @Test
    void subsetKeepsTheFirstNExamples() {
        Subset s = train.subset(2000);
        assertEquals(2000, s.size());
        assertEquals(train.label(1999), s.get(1999).label());
        assertThrows(IllegalArgumentException.class, () -> train.subset(60001));
    }

    @Test
    void loaderBatchesMnistIntoImageAndLabelTensors() {
        DataLoader loader = DataLoader.builder(train.subset(200)).batchSize(64).build();
        assertEquals(4, loader.numBatches());
        Batch b = loader.iterator().next();
        assertArrayEquals(new int[] {64, 1, 28, 28}, b.inputs().shape().toArray());
        assertArrayEquals(new int[] {64}, b.targets().shape().toArray());
        assertEquals(5f, b.targets().toArray()[0]);
        assertEquals(0f, b.targets().toArray()[1]);
    }

    @Test
    void outOfRangeIndexNamesTheRange() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> test.get(10000));
        assertTrue(e.getMessage().contains("10000") && e.getMessage().contains("0..9999"), e.getMessage());
    }

    @Test
    void dataPropertyOverridesTheSearchAndAcceptsTheDataRoot(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("mnist"));
        String old = System.getProperty(Mnist.DATA_PROPERTY);
        try {
            System.setProperty(Mnist.DATA_PROPERTY, dir.toString());
            assertEquals(dir.resolve("mnist"), Mnist.sampleDataFolder());
            System.setProperty(Mnist.DATA_PROPERTY, dir.resolve("nope").toString());
            DatasetException e = assertThrows(DatasetException.class, Mnist::sampleDataFolder);
            assertTrue(e.getMessage().contains(Mnist.DATA_PROPERTY) && e.getMessage().contains("nope"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(Mnist.DATA_PROPERTY);
            } else {
                System.setProperty(Mnist.DATA_PROPERTY, old);
            }
        }
    }

    @Test
    void sampleDataFolderIsFoundFromTheModuleDirectory() {
        Path folder = Mnist.sampleDataFolder();
        assertTrue(folder.endsWith(Path.of("sample-data", "mnist")) || System.getProperty(Mnist.DATA_PROPERTY) != null
                || System.getenv(Mnist.DATA_ENV) != null, folder.toString());
        // and it is a folder that really holds MNIST, not just one with the right name
        assertEquals(10_000, new Mnist(folder, false).size(), folder.toString());
    }
}
