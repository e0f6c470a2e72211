package io.deepcanvas.app.project;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {
    @TempDir
    Path home;

    private Path project(String name) {
        return home.resolve("projects").resolve(name + ".json").toAbsolutePath().normalize();
    }

    @Test
    void freshSettingsHaveNoRecentProjects() {
        AppSettings s = new AppSettings(home);
        assertTrue(s.recent().isEmpty());
        assertNull(s.last());
        assertEquals("fallback", s.get("language", "fallback"));
        assertEquals(home, s.home());
    }

    @Test
    void recentListsNewestFirstAndRemembersTheLastOpened() {
        AppSettings s = new AppSettings(home);
        s.opened(project("a"));
        s.opened(project("b"));
        s.opened(project("c"));
        assertEquals(List.of(project("c"), project("b"), project("a")), s.recent());
        assertEquals(project("c"), s.last());
    }

    @Test
    void reopeningAProjectMovesItToTheTopWithoutADuplicate() {
        AppSettings s = new AppSettings(home);
        s.opened(project("a"));
        s.opened(project("b"));
        s.opened(project("c"));
        s.opened(project("a"));
        assertEquals(List.of(project("a"), project("c"), project("b")), s.recent());
    }

    @Test
    void aRelativeOrUnnormalisedPathCountsAsTheSameFile() {
        AppSettings s = new AppSettings(home);
        s.opened(project("a"));
        s.opened(home.resolve("projects/../projects/./a.json"));
        assertEquals(List.of(project("a")), s.recent());
    }

    @Test
    void theRecentListKeepsTheTenNewest() {
        AppSettings s = new AppSettings(home);
        List<Path> opened = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            opened.add(project("p" + i));
            s.opened(project("p" + i));
        }
        List<Path> recent = s.recent();
        assertEquals(AppSettings.MAX_RECENT, recent.size());
        assertEquals(10, AppSettings.MAX_RECENT);
        assertEquals(project("p12"), recent.get(0));
        assertEquals(project("p3"), recent.get(9), "p0..p2 fell off the end");
    }

    @Test
    void settingsSurviveARestartThroughSave() throws IOException {
        AppSettings first = new AppSettings(home);
        first.opened(project("a"));
        first.opened(project("b"));
        first.put("language", "pt-BR");
        first.save();

        AppSettings second = new AppSettings(home);
        assertEquals(List.of(project("b"), project("a")), second.recent());
        assertEquals(project("b"), second.last());
        assertEquals("pt-BR", second.get("language", "en"));
    }

    @Test
    void unsavedChangesAreNotOnDisk() {
        AppSettings first = new AppSettings(home);
        first.opened(project("a"));
        assertTrue(new AppSettings(home).recent().isEmpty());
    }

    @Test
    void saveCreatesAMissingHomeAndLeavesNoTemporaryFiles() throws IOException {
        Path nested = home.resolve("not/yet/there");
        AppSettings s = new AppSettings(nested);
        s.put("k", "v");
        s.save();
        s.save();
        try (var files = Files.list(nested)) {
            assertEquals(List.of("settings.properties"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void clearRecentEmptiesTheList() throws IOException {
        AppSettings s = new AppSettings(home);
        s.opened(project("a"));
        s.clearRecent();
        s.save();
        assertTrue(new AppSettings(home).recent().isEmpty());
    }

    @Test
    void aCorruptedSettingsFileMeansDefaults() throws IOException {
        // a malformed \\u escape makes Properties.load throw
        Files.writeString(home.resolve("settings.properties"), "recent.0=/x.json\nlanguage=\\u00zz\n",
                StandardCharsets.ISO_8859_1);
        AppSettings s = assertDoesNotThrow(() -> new AppSettings(home));
        assertTrue(s.recent().isEmpty());
        assertEquals("en", s.get("language", "en"));
        s.opened(project("a"));
        assertDoesNotThrow(s::save, "the damaged file is replaced");
        assertEquals(List.of(project("a")), new AppSettings(home).recent());
    }

    @Test
    void binaryGarbageInTheSettingsFileMeansDefaults() throws IOException {
        byte[] junk = new byte[512];
        new java.util.Random(7).nextBytes(junk);
        Files.write(home.resolve("settings.properties"), junk);
        AppSettings s = assertDoesNotThrow(() -> new AppSettings(home));
        assertDoesNotThrow(s::recent);
        assertDoesNotThrow(s::last);
    }

    @Test
    void aRecentEntryThatIsNoValidPathIsSkippedNotThrown() throws IOException {
        // a file cut short by a crash can hold NUL bytes; "never a failed launch" (AppSettings' contract)
        Files.writeString(home.resolve("settings.properties"),
                "recent.0=/ok.json\nrecent.1=/bro\u0000ken.json\nlast=/bro\u0000ken.json\n",
                StandardCharsets.ISO_8859_1);
        AppSettings s = assertDoesNotThrow(() -> new AppSettings(home));
        List<Path> recent = assertDoesNotThrow(s::recent);
        assertEquals(List.of(Path.of("/ok.json")), recent);
        assertNull(assertDoesNotThrow(s::last));
    }

    @Test
    void aFolderWhereTheFileShouldBeMeansDefaults() throws IOException {
        Files.createDirectories(home.resolve("settings.properties"));
        AppSettings s = assertDoesNotThrow(() -> new AppSettings(home));
        assertTrue(s.recent().isEmpty());
    }
}
