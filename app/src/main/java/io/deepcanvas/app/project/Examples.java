package io.deepcanvas.app.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The ready-made projects in {@code layouts/} (found from {@code -Ddeepcanvas.layouts}, else {@code ./layouts}). */
public final class Examples {
    private Examples() {
    }

    public static Path folder() {
        String p = System.getProperty("deepcanvas.layouts");
        return p != null ? Path.of(p) : Path.of("layouts");
    }

    /** Every {@code *.json} project in the folder, by file name; empty when the folder is missing. */
    public static List<Path> all() {
        Path dir = folder();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** LeNet-5, what a first launch opens; null when the layouts are missing. */
    public static Path lenet5() {
        Path p = folder().resolve("lenet5.json");
        return Files.isRegularFile(p) ? p : null;
    }
}
