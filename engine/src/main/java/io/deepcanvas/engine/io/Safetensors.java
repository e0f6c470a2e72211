package io.deepcanvas.engine.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.deepcanvas.engine.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes tensors in Hugging Face's safetensors format, the file PyTorch's
 * {@code safetensors.torch.save_file(model.state_dict(), path)} writes: an 8-byte little-endian header length, a
 * JSON header mapping each name to its dtype, shape and byte range, then the raw little-endian data.
 */
public final class Safetensors {
    /** The safetensors reference implementation refuses larger headers; so do we, against corrupt lengths. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private Safetensors() {
    }

    /** Element types we read, with their byte sizes; all are converted to float on the way in. */
    private enum DType {
        F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** Writes {@code tensors} as F32, in name order, with no metadata. */
    public static void write(Map<String, Tensor> tensors, Path file) throws IOException {
        write(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} as F32 in name order, contiguous, with string {@code metadata} under
     * {@code __metadata__} (transformers expects {@code {"format": "pt"}}). Atomic: a failure leaves the old file.
     */
    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
            throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        // compact JSON like the reference implementation; offsets are relative to the end of the header
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append(quote("__metadata__")).append(":{");
            String sep = "";
            for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                header.append(sep).append(quote(m.getKey())).append(':').append(quote(m.getValue()));
                sep = ",";
            }
            header.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor may not be called __metadata__: the format reserves it");
            }
            Tensor t = e.getValue();
            long end = offset + 4L * t.numel();
            header.append(header.length() > 1 ? "," : "").append(quote(e.getKey())).append(":{\"dtype\":\"F32\","
                    + "\"shape\":").append(shapeJson(t.size())).append(",\"data_offsets\":[").append(offset)
                    .append(',').append(end).append("]}");
            offset = end;
        }
        header.append('}');
        // the data must start 8-byte aligned, so the header is padded with spaces (allowed JSON whitespace)
        byte[] unpadded = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] json = Arrays.copyOf(unpadded, (unpadded.length + 7) & ~7);
        Arrays.fill(json, unpadded.length, json.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
            out.write(len.array());
            out.write(json);
            for (Tensor t : sorted.values()) {
                float[] data = t.toArray();
                ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(data);
                out.write(buf.array());
            }
        });
    }

    /**
     * All tensors of a safetensors file, in header order, as float tensors; F16, BF16, F64, I64 and I32 are
     * converted (PyTorch's BatchNorm {@code num_batches_tracked} is I64).
     *
     * @throws SafetensorsFormatException when the file is truncated, its header is not valid, or a dtype is not one
     *                                    of F32, F16, BF16, F64, I64, I32
     */
    public static LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file);
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : h.entries) {
                ByteBuffer bytes = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, bytes, h.dataStart + e.begin, file, e.name);
                out.put(e.name, Tensor.fromArray(toFloats(bytes.flip(), e.dtype, e.numel), e.shape));
            }
            return out;
        }
    }

    /** The {@code __metadata__} strings of a file (empty when it has none), without reading any tensor. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file).metadata;
        }
    }

    private record Entry(String name, DType dtype, int[] shape, int numel, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    private static Header readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw error(file, "the file is " + size + " bytes long, shorter than the 8-byte header length: it is "
                    + "truncated or not a safetensors file");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file, "header length");
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw error(file, "the header claims " + Long.toUnsignedString(n) + " bytes but the file has only "
                    + (size - 8) + " after the length: the file is truncated or not a safetensors file");
        }
        if (n > MAX_HEADER_BYTES) {
            throw error(file, "the header claims " + n + " bytes, more than the format's limit of "
                    + MAX_HEADER_BYTES + ": the file is corrupt");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
        readFully(ch, headerBuf, 8, file, "header");
        String text = new String(headerBuf.array(), StandardCharsets.UTF_8);
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw error(file, "the header is not valid JSON (" + c.getMessage().replaceAll("(?s)\\s*See https?://.*$",
                    "") + "): the file is corrupt or not a safetensors file");
        }
        if (!root.isJsonObject()) {
            throw error(file, "the header must be a JSON object, found " + abbreviate(root));
        }
        long dataSize = size - 8 - n;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> kv : root.getAsJsonObject().entrySet()) {
            String name = kv.getKey();
            if (name.equals("__metadata__")) {
                if (!kv.getValue().isJsonObject()) {
                    throw error(file, "__metadata__ must be an object of strings, found " + abbreviate(kv.getValue()));
                }
                for (Map.Entry<String, JsonElement> m : kv.getValue().getAsJsonObject().entrySet()) {
                    if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                        throw error(file, "__metadata__." + m.getKey() + " must be a string, found "
                                + abbreviate(m.getValue()));
                    }
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            entries.add(entry(file, name, kv.getValue(), dataSize));
        }
        return new Header(entries, metadata, 8 + n);
    }

    private static Entry entry(Path file, String name, JsonElement json, long dataSize) throws IOException {
        String what = "tensor '" + name + "'";
        if (!json.isJsonObject()) {
            throw error(file, what + ": expected {\"dtype\", \"shape\", \"data_offsets\"}, found " + abbreviate(json));
        }
        JsonObject o = json.getAsJsonObject();
        JsonElement dtypeJson = o.get("dtype");
        if (dtypeJson == null || !dtypeJson.isJsonPrimitive() || !dtypeJson.getAsJsonPrimitive().isString()) {
            throw error(file, what + ": missing or non-text \"dtype\"");
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeJson.getAsString());
        } catch (IllegalArgumentException e) {
            throw error(file, what + " has dtype " + dtypeJson.getAsString() + ", which DeepCanvas cannot read: "
                    + "it reads F32, F16, BF16, F64, I64 and I32; convert the tensor in PyTorch, e.g. "
                    + "t.float(), before saving");
        }
        long[] shapeLong = longs(file, what, o, "shape", -1);
        int[] shape = new int[shapeLong.length];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shapeLong[i] < 0 || shapeLong[i] > Integer.MAX_VALUE) {
                throw error(file, what + ": shape " + Arrays.toString(shapeLong) + " has an invalid size");
            }
            shape[i] = (int) shapeLong[i];
            numel = Math.multiplyExact(numel, shapeLong[i]);
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw error(file, what + " has " + numel + " elements, more than one Java array holds");
        }
        long[] offsets = longs(file, what, o, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin || end > dataSize) {
            throw error(file, what + ": data_offsets [" + begin + ", " + end + "] lie outside the " + dataSize
                    + " data bytes: the file is truncated or corrupt");
        }
        if (end - begin != numel * dtype.bytes) {
            throw error(file, what + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + numel * dtype.bytes + ": the file is corrupt");
        }
        return new Entry(name, dtype, shape, (int) numel, begin, end);
    }

    private static long[] longs(Path file, String what, JsonObject o, String field, int expectedLength)
            throws IOException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonArray() || (expectedLength >= 0 && e.getAsJsonArray().size() != expectedLength)) {
            throw error(file, what + ": \"" + field + "\" must be a list of "
                    + (expectedLength >= 0 ? expectedLength + " " : "") + "whole numbers, found "
                    + (e == null ? "nothing" : abbreviate(e)));
        }
        long[] r = new long[e.getAsJsonArray().size()];
        for (int i = 0; i < r.length; i++) {
            JsonElement v = e.getAsJsonArray().get(i);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()
                    || !StrictJson.isIntegerLiteral(v.getAsString())) {
                throw error(file, what + ": \"" + field + "\" must hold whole numbers, found " + abbreviate(v));
            }
            r[i] = v.getAsLong();
        }
        return r;
    }

    private static float[] toFloats(ByteBuffer b, DType dtype, int numel) {
        float[] f = new float[numel];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(f);
            case F64 -> {
                for (int i = 0; i < numel; i++) {
                    f[i] = (float) b.getDouble(); // round to nearest, as torch's .float()
                }
            }
            case F16 -> {
                for (int i = 0; i < numel; i++) {
                    f[i] = halfToFloat(b.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < numel; i++) {
                    f[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); // bfloat16 is float's top half
                }
            }
            case I64 -> {
                for (int i = 0; i < numel; i++) {
                    f[i] = (float) b.getLong();
                }
            }
            case I32 -> {
                for (int i = 0; i < numel; i++) {
                    f[i] = (float) b.getInt();
                }
            }
        }
        return f;
    }

    /** IEEE 754 binary16 to float, exactly (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf or NaN
        }
        if (exp == 0) {
            float sub = mant * 0x1p-24f; // subnormal (or zero): mant × 2^-24, exact in float
            return sign != 0 ? -sub : sub;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file, String what)
            throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException(file + ": the file ended while reading " + what + ": it is truncated");
            }
            pos += n;
        }
    }

    private static String quote(String s) {
        return StrictJson.GSON.toJson(s);
    }

    private static String shapeJson(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? "," : "").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    private static String abbreviate(JsonElement e) {
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static SafetensorsFormatException error(Path file, String message) {
        return new SafetensorsFormatException(file.getFileName() + ": " + message);
    }
}
