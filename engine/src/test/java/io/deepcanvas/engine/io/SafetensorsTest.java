package io.deepcanvas.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private static Map<String, Tensor> sampleTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", Tensor.fromArray(new float[] {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, 7f}, 2, 3));
        m.put("conv.bias", Tensor.fromArray(new float[] {0.1f, 0.2f}, 2));
        m.put("bn.num_batches_tracked", Tensor.scalar(7));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("transposed", Tensor.arange(6).view(2, 3).t()); // a non-contiguous view must be written row-major
        return m;
    }

    @Test
    void roundTripKeepsNamesShapesAndExactValues() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Map<String, Tensor> in = sampleTensors();
        Safetensors.write(in, Map.of("format", "pt"), file);
        LinkedHashMap<String, Tensor> out = Safetensors.read(file);
        assertEquals(List.of("bn.num_batches_tracked", "conv.bias", "empty", "fc.weight", "transposed"),
                new ArrayList<>(out.keySet()), "written in name order");
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor got = out.get(e.getKey());
            assertArrayEquals(e.getValue().size(), got.size(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), got.toArray(), e.getKey());
        }
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, out.get("transposed").toArray());
        assertEquals(Map.of("format", "pt"), Safetensors.readMetadata(file));
        assertEquals(0, (Files.size(file) - 8 - 4 * (6 + 2 + 1 + 6)) % 8, "header padded to a multiple of 8");
    }

    /** The exact bytes of a one-tensor file, built by hand from the format's description. */
    private static byte[] handMade() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(54, header.length());
        byte[] json = (header + "  ").getBytes(StandardCharsets.US_ASCII); // padded to 56
        return ByteBuffer.allocate(8 + 56 + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(56).put(json)
                .putFloat(1.0f).putFloat(-2.0f).array();
    }

    @Test
    void writesTheFormatByteForByte() throws IOException {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(Map.of("a", Tensor.fromArray(new float[] {1f, -2f}, 2)), file);
        assertArrayEquals(handMade(), Files.readAllBytes(file));
    }

    @Test
    void readsAHandMadeFile() throws IOException {
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, handMade());
        Tensor a = Safetensors.read(file).get("a");
        assertArrayEquals(new int[] {2}, a.size());
        assertArrayEquals(new float[] {1f, -2f}, a.toArray());
        assertEquals(Map.of(), Safetensors.readMetadata(file));
    }

    @Test
    void readsAFileWrittenByPyTorchInEveryDtype() throws IOException {
        Path file = dir.resolve("pytorch-tiny.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/pytorch-tiny.safetensors")) {
            Files.copy(in, file);
        }
        JsonObject expected;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/pytorch-tiny.safetensors.json")) {
            expected = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        LinkedHashMap<String, Tensor> got = Safetensors.read(file);
        assertTensorsEqual(expected.getAsJsonObject("tensors"), got);
        List<String> dtypes = new ArrayList<>();
        expected.getAsJsonObject("tensors").entrySet().forEach(e -> dtypes.add(e.getValue().getAsJsonObject()
                .get("dtype").getAsString()));
        assertTrue(dtypes.containsAll(List.of("F32", "F16", "BF16", "F64", "I64")), "the fixture covers " + dtypes);
        assertEquals(7f, got.get("1.num_batches_tracked").item());
        assertEquals("pt", Safetensors.readMetadata(file).get("format"));
    }

    @Test
    void pythonReadsWhatWeWrite() throws Exception {
        Path script = repositoryRoot().resolve("tools/pytorch/make_safetensors_fixture.py");
        Assumptions.assumeTrue(pythonWithTorch(), PYTHON + " with torch is not available on this machine: the "
                + "interop check against an independent reader is skipped (the byte-exact test still runs)");
        Path file = dir.resolve("ours.safetensors");
        Map<String, Tensor> tensors = sampleTensors();
        Safetensors.write(tensors, Map.of("format", "pt"), file);
        Process p = new ProcessBuilder(PYTHON, script.toString(), "--read", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), output);
        JsonObject read = JsonParser.parseString(output).getAsJsonObject();
        assertEquals("pt", read.getAsJsonObject("metadata").get("format").getAsString());
        Map<String, Tensor> sorted = new java.util.TreeMap<>(tensors);
        assertTensorsEqual(read.getAsJsonObject("tensors"), new LinkedHashMap<>(sorted));
        read.getAsJsonObject("tensors").entrySet().forEach(e ->
                assertEquals("F32", e.getValue().getAsJsonObject().get("dtype").getAsString()));
    }

    /** Same names in the same order, same shapes, bit-for-bit the same float values. */
    private static void assertTensorsEqual(JsonObject expected, LinkedHashMap<String, Tensor> got) {
        Map<String, Tensor> want = Fixtures.tensors(expected);
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()), "names in file order");
        for (Map.Entry<String, Tensor> e : want.entrySet()) {
            Tensor actual = got.get(e.getKey());
            assertArrayEquals(e.getValue().size(), actual.size(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), actual.toArray(), e.getKey() + " ("
                    + expected.getAsJsonObject(e.getKey()).get("dtype").getAsString() + ")");
        }
    }

    // ==== broken files ========================================================================================

    private Path craft(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, b.array());
        return file;
    }

    private String readError(Path file) {
        return assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file)).getMessage();
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(readError(tiny).contains("3 bytes long, shorter than the 8-byte header length"));
        Path cut = dir.resolve("cut.safetensors");
        byte[] whole = handMade();
        Files.write(cut, Arrays.copyOf(whole, whole.length - 3));
        String msg = readError(cut);
        assertTrue(msg.startsWith("cut.safetensors: tensor 'a': data_offsets [0, 8] lie outside the 5 data bytes"),
                msg);
    }

    @Test
    void headerLengthBeyondTheFileIsRefused() throws IOException {
        Path file = dir.resolve("long.safetensors");
        byte[] b = handMade();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1_000_000);
        Files.write(file, b);
        assertTrue(readError(file).contains("the header claims 1000000 bytes but the file has only 64"));
    }

    @Test
    void badJsonHeaderIsRefused() throws IOException {
        assertTrue(readError(craft("{\"a\": {\"dtype\": ", 0)).contains("the header is not valid JSON"));
        assertTrue(readError(craft("[1, 2]  ", 0)).contains("the header must be a JSON object"));
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        String msg = readError(craft("{\"m\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2));
        assertTrue(msg.contains("tensor 'm' has dtype U8, which DeepCanvas cannot read"), msg);
        assertTrue(msg.contains("F32, F16, BF16, F64, I64 and I32"), msg);
    }

    @Test
    void offsetsOutOfRangeOrInconsistentAreRefused() throws IOException {
        String outside = readError(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 8));
        assertTrue(outside.contains("data_offsets [4, 12] lie outside the 8 data bytes"), outside);
        String reversed = readError(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8));
        assertTrue(reversed.contains("data_offsets [8, 4] lie outside"), reversed);
        String size = readError(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
        assertTrue(size.contains("span 8 bytes but shape [3] of F32 needs 12"), size);
        String shape = readError(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", 8));
        assertTrue(shape.contains("\"shape\" must be a list of whole numbers"), shape);
    }

    @Test
    void halfPrecisionConvertsExactly() {
        assertEquals(1.0f, Safetensors.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, Safetensors.halfToFloat((short) 0xc000));
        assertEquals(65504f, Safetensors.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Safetensors.halfToFloat((short) 0x0001), "smallest subnormal");
        assertEquals(Float.NEGATIVE_INFINITY, Safetensors.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(Safetensors.halfToFloat((short) 0x7e00)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Safetensors.halfToFloat((short) 0x8000)));
    }

    // ==== helpers =============================================================================================

    static boolean pythonWithTorch() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Maven runs tests in engine/; the tools folder is one level up. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("tools/pytorch"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with tools/pytorch) above "
                + Path.of("").toAbsolutePath());
    }
}
