package io.deepcanvas.engine.io;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON plumbing shared by the project file and the safetensors header: a Gson that refuses wrong value types
 * with the value's JSON path (Gson by default turns {@code 5} into {@code "5"} and {@code "64"} into 64), canonical
 * number text, and finding the line of a JSON path in the original text.
 */
final class StrictJson {
    private StrictJson() {
    }

    /** A wrong or missing value at a JSON path; the caller adds the file name and line. */
    static final class FieldError extends IOException {
        final String path;
        final String problem;

        FieldError(String path, String problem) {
            super(path + ": " + problem);
            this.path = path;
            this.problem = problem;
        }
    }

    /** Pretty-printed with "\n" line ends whatever the OS, so saved files are byte-identical everywhere. */
    static final Gson GSON = new GsonBuilder()
            .setStrictness(Strictness.STRICT)
            .setFormattingStyle(FormattingStyle.PRETTY.withIndent("  ").withNewline("\n"))
            .disableHtmlEscaping()
            .registerTypeAdapterFactory(new StrictFactory())
            .create();

    // ==== numbers =============================================================================================

    /**
     * The shortest decimal text that reads back as exactly {@code d}: integers without ".0" ({@code 40}),
     * plain decimals from 1e-4 up to 1e16 ({@code 0.001}), exponents outside ({@code 1e-8}), like Python's repr.
     */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d + ": use a finite number");
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        return (d < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
                + "e" + exponent;
    }

    /** Like {@link #number} but a whole double keeps ".0", so it reads back as a Double, not an Integer. */
    static String doubleNumber(double d) {
        String s = number(d);
        return s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + ".0" : s;
    }

    /** Whether a JSON number literal is written as a whole number (no fraction, no exponent). */
    static boolean isIntegerLiteral(String literal) {
        return literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
    }

    /** A number that prints as given text, so Gson writes our canonical form instead of Double.toString's. */
    static final class Literal extends Number {
        private final String text;
        private final double value;

        Literal(String text, double value) {
            this.text = text;
            this.value = value;
        }

        @Override
        public int intValue() {
            return (int) value;
        }

        @Override
        public long longValue() {
            return (long) value;
        }

        @Override
        public float floatValue() {
            return (float) value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    // ==== locating a path in the text ==========================================================================

    private static final Pattern LOCATION = Pattern.compile(" at line (\\d+) column (\\d+)");

    /** The line and column a reader stands at (Gson keeps them private but prints them in toString). */
    static int[] position(JsonReader reader) {
        Matcher m = LOCATION.matcher(reader.toString());
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : new int[] {0, 0};
    }

    /**
     * The line of the value at {@code path} in {@code json}, or of its nearest enclosing value when the path is
     * missing there (a missing field is reported at its parent object); 0 when not even that is found.
     */
    static int lineOf(String json, String path) {
        for (String p = path; p.length() > 1; p = parent(p)) {
            int line = find(json, p);
            if (line > 0) {
                return line;
            }
        }
        return 0;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "$" : path.substring(0, cut);
    }

    private static int find(String json, String target) {
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.LENIENT);
            while (true) {
                JsonToken t = r.peek();
                switch (t) {
                    case END_DOCUMENT:
                        return 0;
                    case NAME:
                        r.nextName();
                        continue;
                    case END_ARRAY:
                        r.endArray();
                        continue;
                    case END_OBJECT:
                        r.endObject();
                        continue;
                    default:
                        break;
                }
                if (r.getPath().equals(target)) {
                    return position(r)[0];
                }
                if (t == JsonToken.BEGIN_ARRAY) {
                    r.beginArray();
                } else if (t == JsonToken.BEGIN_OBJECT) {
                    r.beginObject();
                } else {
                    r.skipValue();
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // the text was unreadable from here on; the caller reports without a line
        }
    }

    // ==== strict types =========================================================================================

    /** What a token is, in the user's words, with its value when it is short. */
    static String describe(JsonReader in) throws IOException {
        JsonToken t = in.peek();
        switch (t) {
            case STRING:
                return "the text \"" + in.nextString() + "\"";
            case NUMBER:
                return "the number " + in.nextString();
            case BOOLEAN:
                return in.nextBoolean() ? "true" : "false";
            case BEGIN_OBJECT:
                return "an object {...}";
            case BEGIN_ARRAY:
                return "a list [...]";
            default:
                return t.toString().toLowerCase();
        }
    }

    /**
     * Reads each scalar only from its own JSON type, and checks that objects and lists are objects and lists
     * before Gson's reflective reader sees them, so every mismatch is reported with its path. JSON null reads as
     * absent; the converter then reports a missing field.
     */
    private static final class StrictFactory implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<? super T> raw = type.getRawType();
            if (raw == String.class) {
                return (TypeAdapter<T>) STRING;
            } else if (raw == Integer.class) {
                return (TypeAdapter<T>) INTEGER;
            } else if (raw == Long.class) {
                return (TypeAdapter<T>) LONG;
            } else if (raw == Double.class) {
                return (TypeAdapter<T>) DOUBLE;
            } else if (raw == Boolean.class) {
                return (TypeAdapter<T>) BOOLEAN;
            }
            boolean list = Collection.class.isAssignableFrom(raw);
            boolean dto = raw == ProjectDto.class || raw.getEnclosingClass() == ProjectDto.class;
            if (!list && !dto) {
                return null;
            }
            TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
            JsonToken expected = list ? JsonToken.BEGIN_ARRAY : JsonToken.BEGIN_OBJECT;
            String wanted = list ? "a list [...]" : "an object {...}";
            return new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    delegate.write(out, value);
                }

                @Override
                public T read(JsonReader in) throws IOException {
                    if (in.peek() == JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    expect(in, expected, wanted);
                    return delegate.read(in);
                }
            };
        }
    }

    private static void expect(JsonReader in, JsonToken expected, String wanted) throws IOException {
        if (in.peek() != expected) {
            String path = in.getPath();
            throw new FieldError(path, "expected " + wanted + " but found " + describe(in));
        }
    }

    private abstract static class Scalar<T> extends TypeAdapter<T> {
        @Override
        public T read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return readValue(in);
        }

        abstract T readValue(JsonReader in) throws IOException;
    }

    private static final TypeAdapter<String> STRING = new Scalar<>() {
        @Override
        String readValue(JsonReader in) throws IOException {
            expect(in, JsonToken.STRING, "text in quotes");
            return in.nextString();
        }

        @Override
        public void write(JsonWriter out, String value) throws IOException {
            out.value(value);
        }
    };

    private static final TypeAdapter<Boolean> BOOLEAN = new Scalar<>() {
        @Override
        Boolean readValue(JsonReader in) throws IOException {
            expect(in, JsonToken.BOOLEAN, "true or false");
            return in.nextBoolean();
        }

        @Override
        public void write(JsonWriter out, Boolean value) throws IOException {
            out.value(value);
        }
    };

    private static final TypeAdapter<Double> DOUBLE = new Scalar<>() {
        @Override
        Double readValue(JsonReader in) throws IOException {
            expect(in, JsonToken.NUMBER, "a number");
            return in.nextDouble();
        }

        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(new Literal(number(value), value));
            }
        }
    };

    private static final TypeAdapter<Long> LONG = new Scalar<>() {
        @Override
        Long readValue(JsonReader in) throws IOException {
            return wholeNumber(in, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        @Override
        public void write(JsonWriter out, Long value) throws IOException {
            out.value(value);
        }
    };

    private static final TypeAdapter<Integer> INTEGER = new Scalar<>() {
        @Override
        Integer readValue(JsonReader in) throws IOException {
            return (int) wholeNumber(in, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        @Override
        public void write(JsonWriter out, Integer value) throws IOException {
            out.value(value);
        }
    };

    /** A whole number in range; {@code 64.0} is accepted as 64, {@code 1.5} is not. */
    private static long wholeNumber(JsonReader in, long min, long max) throws IOException {
        expect(in, JsonToken.NUMBER, "a whole number");
        String path = in.getPath();
        String literal = in.nextString();
        BigDecimal v = new BigDecimal(literal);
        if (v.stripTrailingZeros().scale() > 0) {
            throw new FieldError(path, "expected a whole number but found " + literal + ": drop the fraction");
        }
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new FieldError(path, "the number " + literal + " is out of range: it must lie in [" + min + ", "
                    + max + "]");
        }
        return v.longValueExact();
    }
}
