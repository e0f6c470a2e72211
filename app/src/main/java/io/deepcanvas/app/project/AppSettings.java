package io.deepcanvas.app.project;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the app remembers between launches — recent projects, the last one open, the language, the minimap — in
 * {@code settings.properties} under the DeepCanvas home ({@code ~/.deepcanvas}, or {@code -Ddeepcanvas.home}, which
 * tests point at a temporary folder). A missing or unreadable file means defaults, never a failed launch.
 */
public final class AppSettings {
    public static final int MAX_RECENT = 10;
    private final Path home;
    private final Properties props = new Properties();

    public AppSettings(Path home) {
        this.home = home;
        Path f = file();
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                props.clear(); // a damaged settings file costs the recent list, nothing else
            }
        }
    }

    /** The DeepCanvas home folder from {@code -Ddeepcanvas.home}, else {@code ~/.deepcanvas}. */
    public static Path defaultHome() {
        String p = System.getProperty("deepcanvas.home");
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".deepcanvas");
    }

    public Path home() {
        return home;
    }

    private Path file() {
        return home.resolve("settings.properties");
    }

    /** Recent project files, newest first. */
    public synchronized List<Path> recent() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            Path p = path(props.getProperty("recent." + i));
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Puts {@code file} first in the recent list (and makes it the project to reopen next launch). */
    public synchronized void opened(Path file) {
        List<Path> list = recent();
        Path abs = file.toAbsolutePath().normalize();
        list.remove(abs);
        list.add(0, abs);
        setRecent(list);
        props.setProperty("last", abs.toString());
    }

    public synchronized void clearRecent() {
        setRecent(List.of());
    }

    private void setRecent(List<Path> list) {
        for (int i = 0; i < MAX_RECENT; i++) {
            if (i < list.size()) {
                props.setProperty("recent." + i, list.get(i).toString());
            } else {
                props.remove("recent." + i);
            }
        }
    }

    /** The project open when the app last closed, if any. */
    public synchronized Path last() {
        return path(props.getProperty("last"));
    }

    /** A path from the file, or null for none or one that is not a valid path (a damaged file). */
    private static Path path(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    public synchronized String get(String key, String fallback) {
        return props.getProperty(key, fallback);
    }

    public synchronized void put(String key, String value) {
        props.setProperty(key, value);
    }

    /** Writes the settings; called off the FX thread. */
    public void save() throws IOException {
        Properties copy;
        synchronized (this) {
            copy = (Properties) props.clone();
        }
        Files.createDirectories(home);
        Path tmp = Files.createTempFile(home, "settings", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            copy.store(out, "DeepCanvas settings");
        }
        Files.move(tmp, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
