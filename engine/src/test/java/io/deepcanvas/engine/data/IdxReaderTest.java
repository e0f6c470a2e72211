package io.deepcanvas.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX parsing and MNIST file discovery on small files written to a temporary folder. */
class IdxReaderTest {
    @TempDir
    Path dir;

    /** An IDX file: magic, dims, then data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian by default
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** Three 2x2 images with pixel values 0, 10, ..., 110 and labels 7, 3, 9. */
    static byte[] images() {
        byte[] px = new byte[12];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        px[11] = (byte) 255;
        return idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, px);
    }

    static byte[] labels() {
        return idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {7, 3, 9});
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertMessageContains(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should contain '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void gzippedAndPlainFilesGiveTheSameData() throws IOException {
        IdxReader.IdxData plain = IdxReader.readImages(write("a-idx3-ubyte", images()));
        IdxReader.IdxData gz = IdxReader.readImages(write("a-idx3-ubyte.gz", gzip(images())));
        assertArrayEquals(new int[] {3, 2, 2}, plain.dims());
        assertArrayEquals(plain.dims(), gz.dims());
        assertArrayEquals(plain.data(), gz.data());
        assertEquals(3, gz.count());
        assertEquals(4, gz.itemSize());
        assertEquals(255, gz.data()[11] & 0xFF);
    }

    @Test
    void gzipIsDetectedByContentNotByName() throws IOException {
        IdxReader.IdxData gzNoExt = IdxReader.readLabels(write("labels", gzip(labels())));
        IdxReader.IdxData plainWithGzExt = IdxReader.readLabels(write("labels.gz", labels()));
        assertArrayEquals(new byte[] {7, 3, 9}, gzNoExt.data());
        assertArrayEquals(new byte[] {7, 3, 9}, plainWithGzExt.data());
    }

    @Test
    void missingFileNamesThePath() {
        Path p = dir.resolve("no-such-file");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p));
        assertMessageContains(e, p.toAbsolutePath().toString(), "not found");
    }

    @Test
    void wrongMagicReportsFoundAndExpectedValues() throws IOException {
        Path p = write("swapped", labels());
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
        assertMessageContains(e, p.toAbsolutePath().toString(), "found 0x00000801", "expected 0x00000803", "swap");
    }

    @Test
    void nonIdxContentIsRejectedWithItsMagic() throws IOException {
        Path p = write("page.html", "<!DOCTYPE html><html></html>".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p));
        assertMessageContains(e, p.toAbsolutePath().toString(), "0x3C21444F", "not an IDX file");
    }

    @Test
    void truncatedPlainFileReportsExpectedAndFoundBytes() throws IOException {
        byte[] full = images();
        Path p = write("cut", Arrays.copyOf(full, full.length - 7));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
        assertMessageContains(e, p.toAbsolutePath().toString(), "truncated", "need 12 bytes", "found 5");
    }

    @Test
    void truncatedGzipFileIsReportedAsTruncated() throws IOException {
        byte[] big = new byte[100_000];
        new java.util.Random(1).nextBytes(big); // incompressible, so cutting the gzip loses data
        byte[] gz = gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {100, 1000, 1}, big));
        Path p = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
        assertMessageContains(e, p.toAbsolutePath().toString(), "truncated", "need 100000 bytes", "after gunzip");
    }

    @Test
    void aCorruptGzipThatUnpacksTooLongIsCalledCorrupt() throws IOException {
        byte[] longer = Arrays.copyOf(images(), images().length + 4);
        byte[] gz = gzip(longer);
        gz[gz.length - 8] ^= 0x5A; // the CRC-32 in the trailer: the content no longer matches it
        Path p = write("damaged.gz", gz);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
        assertMessageContains(e, p.toAbsolutePath().toString(), "starts like a gzip file but is corrupt",
                "re-download or re-copy it");
        // intact, the same content is what it is: a file longer than its header says
        Path intact = write("longer.gz", gzip(longer));
        assertMessageContains(assertThrows(DatasetException.class, () -> IdxReader.readImages(intact)),
                "longer than its header says");
    }

    @Test
    void theTrainingImagesDamagedMidwayAreCalledCorruptLikeTheTestImages() throws IOException {
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"}) {
            byte[] gz = Files.readAllBytes(Mnist.sampleDataFolder().resolve(name));
            gz[gz.length / 2] ^= (byte) 0xFF;
            Path p = write(name, gz);
            DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
            assertMessageContains(e, "is corrupt", "re-download or re-copy it");
        }
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path p = write("tiny", new byte[] {0, 0, 8});
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p));
        assertMessageContains(e, "truncated", "found 3");
    }

    @Test
    void extraBytesAfterTheDataAreReported() throws IOException {
        byte[] full = images();
        Path p = write("long", Arrays.copyOf(full, full.length + 4));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(p));
        assertMessageContains(e, "longer than its header says");
    }

    @Test
    void mnistPrefersGzipWhenBothVersionsExist() throws IOException {
        write("t10k-images-idx3-ubyte.gz", gzip(images()));
        write("t10k-labels-idx1-ubyte.gz", gzip(labels()));
        // Plain copies with different content must be ignored.
        write("t10k-images-idx3-ubyte", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[4]));
        write("t10k-labels-idx1-ubyte", idx(IdxReader.LABELS_MAGIC, new int[] {1}, new byte[1]));
        Mnist m = new Mnist(dir, false);
        assertEquals(3, m.size());
        assertEquals(9, m.get(2).label());
        float[] px = m.get(2).input().toArray();
        assertArrayEquals(new float[] {80 / 255f, 90 / 255f, 100 / 255f, 1f}, px);
        assertArrayEquals(new int[] {1, 2, 2}, m.get(0).input().shape().toArray());
    }

    @Test
    void mnistReadsUncompressedFiles() throws IOException {
        write("train-images-idx3-ubyte", images());
        write("train-labels-idx1-ubyte", labels());
        Mnist m = new Mnist(dir, true);
        assertEquals(3, m.size());
        assertEquals(7, m.label(0));
    }

    @Test
    void mnistMissingFileNamesItAndTheFilesTheFolderNeeds() throws IOException {
        write("train-labels-idx1-ubyte.gz", gzip(labels()));
        DatasetException e = assertThrows(DatasetException.class, () -> new Mnist(dir, true));
        assertMessageContains(e, dir.resolve("train-images-idx3-ubyte.gz").toAbsolutePath().toString(),
                "train-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "sample-data/mnist");
    }

    @Test
    void mnistMissingFolderIsReported() {
        Path p = dir.resolve("absent");
        DatasetException e = assertThrows(DatasetException.class, () -> new Mnist(p, true));
        assertMessageContains(e, p.toAbsolutePath().toString(), "does not exist", "sample-data/mnist");
    }

    @Test
    void mnistImageAndLabelCountMismatchNamesBothCounts() throws IOException {
        write("train-images-idx3-ubyte", images());
        write("train-labels-idx1-ubyte", idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class, () -> new Mnist(dir, true));
        assertMessageContains(e, "3 images", "2 labels");
    }
}
