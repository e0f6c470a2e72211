package io.deepcanvas.engine.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.deepcanvas.engine.io.StrictJson.FieldError;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes DeepCanvas project files ({@code .json}). Saving is atomic and canonical: pretty-printed, keys
 * in a fixed order, numbers in their shortest form, so save → load → save gives identical bytes. Loading builds
 * a fresh {@link Project} or throws a {@link ProjectFormatException} naming the JSON path, the line and the fix;
 * older formats are upgraded on the way in.
 */
public final class ProjectFile {
    /** The value of the top-level {@code format} field. */
    public static final String FORMAT = "deepcanvas-project";
    /** The newest format this version reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;

    private final Predicate<String> knownLayerType;

    /** A project file that keeps any layer type name; the checker flags unknown ones later. */
    public ProjectFile() {
        this(type -> true);
    }

    /**
     * The project file as the app and the CLI read it: a node whose type is not in the {@code LayerTypes} registry
     * is a load error at its JSON path.
     */
    public static ProjectFile withLayerRegistry() {
        return new ProjectFile(type -> io.deepcanvas.engine.graph.LayerTypes.find(type).isPresent());
    }

    /** A project file that refuses, at load time, nodes whose type {@code knownLayerType} rejects. */
    public ProjectFile(Predicate<String> knownLayerType) {
        this.knownLayerType = Objects.requireNonNull(knownLayerType, "knownLayerType");
    }

    public Project load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return fromJson(text, file.getFileName().toString());
    }

    /** Writes the project; on any failure the previous file is left as it was. */
    public void save(Project project, Path file) throws IOException {
        byte[] bytes = toJson(project).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The canonical text of the project file, ending in a newline. */
    public String toJson(Project project) {
        return compactNumberLists(StrictJson.GSON.toJson(ProjectDto.of(project))) + "\n";
    }

    /**
     * A list of numbers ({@code "shape": [1, 28, 28]}) on one line instead of one number per line. Only lists
     * Gson broke over lines match: a JSON string cannot hold a raw line break, so no string value is touched.
     */
    private static final Pattern NUMBER_LIST = Pattern.compile(
            "\\[\\n\\s*(-?[0-9][0-9.eE+-]*(?:,\\n\\s*-?[0-9][0-9.eE+-]*)*)\\n\\s*]");

    private static String compactNumberLists(String json) {
        Matcher m = NUMBER_LIST.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("[" + m.group(1).replaceAll(",\\n\\s*", ", ") + "]"));
        }
        return m.appendTail(out).toString();
    }

    /**
     * Reads a project from its text; {@code sourceName} (usually the file name) starts every error message.
     *
     * @throws ProjectFormatException when the text is not a project this version can read
     */
    public Project fromJson(String json, String sourceName) throws ProjectFormatException {
        JsonObject root = parse(json, sourceName);
        try {
            int version = checkHeader(root);
            JsonObject current = version < FORMAT_VERSION ? Migrations.migrate(root, version) : root;
            ProjectDto dto = StrictJson.GSON.fromJson(current, ProjectDto.class);
            return dto.toProject(knownLayerType);
        } catch (FieldError e) {
            throw located(json, sourceName, e);
        } catch (JsonParseException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof FieldError f) {
                    throw located(json, sourceName, f);
                }
            }
            throw new ProjectFormatException(sourceName, "$", 0, "cannot read the project: " + e.getMessage());
        }
    }

    private static ProjectFormatException located(String json, String source, FieldError e) {
        return new ProjectFormatException(source, e.path, StrictJson.lineOf(json, e.path), e.problem);
    }

    /** Strict JSON into a tree; a syntax error is reported at its line and column. */
    private static JsonObject parse(String json, String source) throws ProjectFormatException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        JsonElement root;
        try {
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw syntax(source, reader, "unexpected text after the end of the project");
            }
        } catch (JsonParseException | IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw syntax(source, reader, cause.getMessage());
        }
        if (root.isJsonNull()) {
            throw new ProjectFormatException(source, "$", 0, "the file is empty: open a project saved by DeepCanvas");
        }
        if (!root.isJsonObject()) {
            throw new ProjectFormatException(source, "$", 1, "a project file is a JSON object {...}, found "
                    + (root.isJsonArray() ? "a list" : root.toString()) + ": open a project saved by DeepCanvas");
        }
        return root.getAsJsonObject();
    }

    private static ProjectFormatException syntax(String source, JsonReader reader, String gsonMessage) {
        int[] at = StrictJson.position(reader);
        // Gson's message repeats the location and adds a link; keep only what is wrong
        String what = gsonMessage == null ? "unexpected end of file" : gsonMessage
                .replaceAll("(?s)\\s*See https?://\\S+.*$", "").replaceAll(" at line \\d+ column \\d+ path \\S+", "")
                .replaceAll(" at path \\S+", "")
                .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
                        "this is not valid JSON (comments, single quotes and NaN are not allowed)")
                .replace("Unterminated object", "expected ',' or '}' (unterminated object)")
                .replace("Unterminated array", "expected ',' or ']' (unterminated array)");
        return new ProjectFormatException(source, reader.getPath(), at[0], "malformed JSON at column " + at[1] + ": "
                + what + ": fix the syntax there (a missing comma, quote or bracket is the usual cause)");
    }

    /** Checks {@code format} and returns {@code formatVersion} (0 when absent: files from before it existed). */
    private static int checkHeader(JsonObject root) throws FieldError {
        JsonElement format = root.get("format");
        if (format == null) {
            throw new FieldError("$.format", "missing field 'format': this is not a DeepCanvas project (a project "
                    + "file starts with \"format\": \"" + FORMAT + "\")");
        }
        if (!isString(format) || !format.getAsString().equals(FORMAT)) {
            throw new FieldError("$.format", "unknown format " + format + ": DeepCanvas opens files with \"format\": \""
                    + FORMAT + "\"; is this a project file?");
        }
        JsonElement version = root.get("formatVersion");
        if (version == null) {
            return 0;
        }
        if (!version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
                || !StrictJson.isIntegerLiteral(version.getAsString())) {
            throw new FieldError("$.formatVersion", "expected a whole number but found " + version
                    + ": use " + FORMAT_VERSION);
        }
        long v = version.getAsLong();
        if (v > FORMAT_VERSION) {
            throw new FieldError("$.formatVersion", "this file was written by a newer DeepCanvas (format " + v
                    + "); this version reads up to " + FORMAT_VERSION + ": update DeepCanvas");
        }
        if (v < 0) {
            throw new FieldError("$.formatVersion", "format version " + v + " does not exist: use "
                    + FORMAT_VERSION);
        }
        return (int) v;
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && ((JsonPrimitive) e).isString();
    }
}
