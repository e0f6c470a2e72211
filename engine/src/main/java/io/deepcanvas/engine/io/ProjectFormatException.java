package io.deepcanvas.engine.io;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * A project file that cannot be read: names the file, the JSON path of the offending value
 * ({@code $.graph.edges[3].to}), its line where known, what is wrong and how to fix it.
 */
public final class ProjectFormatException extends IOException {
    private final String source;
    private final String path;
    private final int line;
    private final String problem;

    /** {@code line} is 1-based, or 0 when unknown. */
    public ProjectFormatException(String source, String path, int line, String problem) {
        super(source + ": " + path + (line > 0 ? " (line " + line + ")" : "") + ": " + problem);
        this.source = source;
        this.path = path;
        this.line = line;
        this.problem = problem;
    }

    /** The file name (or other description) given to the loader. */
    public String source() {
        return source;
    }

    /** The JSON path of the offending value, {@code $} for the whole document. */
    public String path() {
        return path;
    }

    /** The 1-based line of the offending value, when it could be found in the text. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The message without the file name and location. */
    public String problem() {
        return problem;
    }
}
