package io.deepcanvas.engine.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.deepcanvas.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assertions;

/** Reads the PyTorch reference numbers made by tools/pytorch/make_fixtures.py and compares tensors with them. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Loads {@code fixtures/NAME} from the test resources (gzipped when the name ends in .gz). */
    public static JsonObject load(String name) {
        try (InputStream raw = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (raw == null) {
                throw new IllegalStateException("missing test fixture fixtures/" + name
                        + ": regenerate with /usr/bin/python3 tools/pytorch/make_fixtures.py");
            }
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return JsonParser.parseReader(r).getAsJsonObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture tensor {"shape": [...], "data": [...]}. */
    public static Tensor tensor(JsonElement e) {
        JsonObject o = e.getAsJsonObject();
        JsonArray shape = o.getAsJsonArray("shape");
        JsonArray data = o.getAsJsonArray("data");
        int[] s = new int[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i).getAsInt();
        }
        float[] d = new float[data.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) data.get(i).getAsDouble();
        }
        return Tensor.fromArray(d, s);
    }

    /** A map name → tensor (a state dict or a set of gradients). */
    public static Map<String, Tensor> tensors(JsonObject o) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            out.put(e.getKey(), tensor(e.getValue()));
        }
        return out;
    }

    /**
     * Asserts same shape and |actual − expected| ≤ atol + rtol·|expected| everywhere, reporting the worst element.
     */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        Assertions.assertEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray(), a = actual.toArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            double allowed = atol + rtol * Math.abs(e[i]);
            if (!(diff <= allowed) && (worst < 0 || diff - allowed > worstExcess)) {
                worst = i;
                worstExcess = diff - allowed;
            }
        }
        if (worst >= 0) {
            Assertions.fail(what + ": element " + worst + " is " + a[worst] + " but PyTorch gives " + e[worst]
                    + " (|diff| " + Math.abs(a[worst] - e[worst]) + " > " + (atol + rtol * Math.abs(e[worst])) + ")");
        }
    }
}
