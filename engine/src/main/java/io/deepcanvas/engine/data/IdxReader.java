package io.deepcanvas.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files, the format MNIST ships in, plain or gzipped; the counterpart of torchvision's
 * {@code read_sn3_pascalvincent_tensor}. Gzip is detected from the file's first two bytes, not from its name.
 *
 * <p>Layout: a big-endian int32 magic {@code 0x0000TTRR} (TT = element type, 0x08 for uint8; RR = number of
 * dimensions), then RR big-endian int32 dimension lengths, then the elements in row-major order.
 */
public final class IdxReader {
    /** Magic number of a uint8 IDX file with 3 dimensions (MNIST images: count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a uint8 IDX file with 1 dimension (MNIST labels: count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int TYPE_UBYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * The content of an IDX file: its dimension lengths and its raw uint8 elements (row-major, read them with
     * {@code data[i] & 0xFF}). The arrays are the reader's own, not copies.
     */
    public record IdxData(Path path, int[] dims, byte[] data) {
        /** Length of the first dimension: the number of images or labels. */
        public int count() {
            return dims[0];
        }

        /** Elements per item, the product of all dimensions but the first (784 for MNIST images, 1 for labels). */
        public int itemSize() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) {
                n *= dims[i];
            }
            return n;
        }

        @Override
        public String toString() {
            return "IdxData[" + path + ", dims=" + Arrays.toString(dims) + "]";
        }
    }

    /** Reads an MNIST-style image file (magic {@value #IMAGES_MAGIC}: uint8, 3 dimensions). */
    public static IdxData readImages(Path path) {
        return read(path, 3);
    }

    /** Reads an MNIST-style label file (magic {@value #LABELS_MAGIC}: uint8, 1 dimension). */
    public static IdxData readLabels(Path path) {
        return read(path, 1);
    }

    /** Reads a uint8 IDX file of any rank. */
    public static IdxData read(Path path) {
        return read(path, -1);
    }

    /**
     * Reads a uint8 IDX file, requiring {@code expectedRank} dimensions unless it is negative.
     *
     * @throws DatasetException if the file is missing, unreadable, not uint8 IDX, of the wrong rank, truncated,
     *                          or longer than its header says
     */
    public static IdxData read(Path path, int expectedRank) {
        if (path == null) {
            throw new NullPointerException("IdxReader.read: path is null");
        }
        Path shown = path.toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new DatasetException("IDX file not found: " + shown
                    + (Files.isDirectory(path) ? " is a folder, expected a file" : " does not exist"));
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), BUFFER)) {
            // Sniff the gzip magic 1f 8b rather than trusting the name: browsers and tools often un-gzip files
            // but keep ".gz", or the other way round.
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzipped = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gzipped ? new GZIPInputStream(raw, BUFFER) : raw) {
                return parse(in, path, shown, gzipped, expectedRank);
            }
        } catch (ZipException e) {
            throw new DatasetException(shown + " starts like a gzip file but is corrupt (" + e.getMessage()
                    + "); re-download or re-copy it", e);
        } catch (NoSuchFileException e) {
            throw new DatasetException("IDX file not found: " + shown + " does not exist", e);
        } catch (IOException e) {
            throw new DatasetException("Could not read IDX file " + shown + ": " + e, e);
        }
    }

    private static IdxData parse(InputStream in, Path path, Path shown, boolean gzipped, int expectedRank)
            throws IOException {
        String what = gzipped ? " (after gunzip)" : "";
        byte[] head = new byte[4];
        int got = readUpTo(in, head, 4);
        if (got < 4) {
            throw new DatasetException(shown + " is truncated: expected at least 4 bytes of IDX header" + what
                    + ", found " + got);
        }
        int magic = bigEndianInt(head, 0);
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if (expectedRank >= 0 && magic != (TYPE_UBYTE << 8 | expectedRank)) {
            throw new DatasetException(String.format(
                    "%s has the wrong magic number: found 0x%08X, expected 0x%08X (uint8 IDX with %d dimension%s%s)%s",
                    shown, magic, TYPE_UBYTE << 8 | expectedRank, expectedRank, expectedRank == 1 ? "" : "s",
                    expectedRank == 3 ? ": an image file" : expectedRank == 1 ? ": a label file" : "",
                    hint(magic)));
        }
        if ((magic >>> 16) != 0 || type != TYPE_UBYTE || rank == 0) {
            throw new DatasetException(String.format(
                    "%s is not a uint8 IDX file: magic number 0x%08X, expected 0x000008RR with RR >= 1 the number"
                            + " of dimensions%s", shown, magic, hint(magic)));
        }
        byte[] dimBytes = new byte[4 * rank];
        got = readUpTo(in, dimBytes, dimBytes.length);
        if (got < dimBytes.length) {
            throw new DatasetException(shown + " is truncated: its header declares " + rank + " dimensions, expected "
                    + dimBytes.length + " bytes of dimension lengths" + what + ", found " + got);
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = bigEndianInt(dimBytes, 4 * i);
            if (dims[i] < 0) {
                throw new DatasetException(shown + " has an invalid header: dimension " + i + " has length "
                        + Integer.toUnsignedString(dims[i]) + ", more than a Java array can hold");
            }
            total *= dims[i];
        }
        // Java arrays stop a little short of Integer.MAX_VALUE.
        if (total > Integer.MAX_VALUE - 8) {
            throw new DatasetException(shown + " declares dimensions " + Arrays.toString(dims) + " = " + total
                    + " bytes, more than one Java array can hold");
        }
        byte[] data = new byte[(int) total];
        got = readUpTo(in, data, data.length);
        if (got < data.length) {
            throw new DatasetException(shown + " is truncated: dimensions " + Arrays.toString(dims) + " need "
                    + data.length + " bytes of data after the " + (4 + 4 * rank) + "-byte header" + what
                    + ", found " + got + "; re-download or re-copy the file");
        }
        if (readAtEnd(in) != -1) {
            if (gzipped) {
                // damage inside a gzip stream often unpacks to extra bytes: its checksum, read at the end, tells a
                // corrupt copy (the usual case, to be copied again) from a file whose header is wrong
                drainChecked(in, shown);
            }
            throw new DatasetException(shown + " is longer than its header says: dimensions " + Arrays.toString(dims)
                    + " need " + data.length + " bytes of data" + what + ", but more follow; the header or the"
                    + " file is wrong");
        }
        return new IdxData(path, dims, data);
    }

    /** Names the likely mix-up when a magic number is recognisable. */
    private static String hint(int magic) {
        if (magic == IMAGES_MAGIC) {
            return "; this looks like an image file (did you swap the images and labels files?)";
        }
        if (magic == LABELS_MAGIC) {
            return "; this looks like a label file (did you swap the images and labels files?)";
        }
        if ((magic >>> 16) == 0x1f8b) {
            return "; this looks like a gzip file inside a gzip file: gunzip it once";
        }
        if ((magic >>> 16) != 0) {
            return "; this is not an IDX file at all (an HTML error page or another format?)";
        }
        return "";
    }

    /** Like {@link InputStream#readNBytes} but a gzip stream that ends early counts as end of data, not an error. */
    private static int readUpTo(InputStream in, byte[] buf, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r;
            try {
                r = in.read(buf, total, len - total);
            } catch (EOFException e) {
                // GZIPInputStream reports a cut-off stream as EOFException("Unexpected end of ZLIB input stream").
                break;
            }
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    /** Reads a gzip stream to its end, where its CRC is checked; a corrupt or cut-off stream is a DatasetException. */
    private static void drainChecked(InputStream in, Path shown) throws IOException {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (ZipException | EOFException e) {
            throw new DatasetException(shown + " starts like a gzip file but is corrupt (" + e.getMessage()
                    + "); re-download or re-copy it", e);
        }
    }

    private static int readAtEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (EOFException e) {
            return -1;
        }
    }

    private static int bigEndianInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
