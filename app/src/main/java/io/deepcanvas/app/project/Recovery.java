package io.deepcanvas.app.project;

import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

/**
 * Crash safety: unsaved work is written every few seconds to {@code recovery.json} in the DeepCanvas home (with
 * where it came from), by the IO thread; a clean save or exit deletes it. If the app dies, the next launch finds
 * the file and offers to restore it.
 */
public final class Recovery {
    private final Path json;
    private final Path info;

    /** What a recovery file holds: the project, the file it belonged to (null if never saved) and when. */
    public record Saved(Project project, Path origin, Instant when) {
    }

    public Recovery(Path home) {
        this.json = home.resolve("recovery.json");
        this.info = home.resolve("recovery.properties");
    }

    /** Writes the snapshot atomically (called off the FX thread). */
    public void write(Project project, Path origin) throws IOException {
        Files.createDirectories(json.getParent());
        new ProjectFile().save(project, json);
        Properties p = new Properties();
        if (origin != null) {
            p.setProperty("origin", origin.toAbsolutePath().toString());
        }
        p.setProperty("time", Instant.now().toString());
        try (OutputStream out = Files.newOutputStream(info)) {
            p.store(out, "DeepCanvas recovery");
        }
    }

    /** There is nothing unsaved any more. */
    public void clear() {
        try {
            Files.deleteIfExists(json);
            Files.deleteIfExists(info);
        } catch (IOException e) {
            // nothing to lose: at worst the next launch offers an old copy again
        }
    }

    /** The unsaved work a previous run left, or null when there is none or it cannot be read. */
    public Saved find() {
        if (!Files.isRegularFile(json)) {
            return null;
        }
        try {
            Project project = ProjectFile.withLayerRegistry().load(json);
            Properties p = new Properties();
            if (Files.isRegularFile(info)) {
                try (InputStream in = Files.newInputStream(info)) {
                    p.load(in);
                }
            }
            String origin = p.getProperty("origin");
            Instant when;
            try {
                when = Instant.parse(p.getProperty("time"));
            } catch (RuntimeException e) {
                when = Files.getLastModifiedTime(json).toInstant(); // a damaged stamp must not cost the work
            }
            return new Saved(project, origin == null ? null : Path.of(origin), when);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
