package io.deepcanvas.app.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The translations say everything the base bundle says, with the same arguments, and nothing is blank. */
class I18nBundlesTest {
    private static Properties translation(String suffix) {
        Properties p = Bundles.load(suffix);
        assertNotNull(p, "messages_" + suffix + ".properties is missing: I18n.LANGUAGES promises it");
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pt_BR", "es"})
    void aTranslationHasExactlyTheBaseKeys(String suffix) {
        Set<String> base = new TreeSet<>(Bundles.base().stringPropertyNames());
        Set<String> tr = new TreeSet<>(translation(suffix).stringPropertyNames());
        Set<String> missing = new TreeSet<>(base);
        missing.removeAll(tr);
        Set<String> extra = new TreeSet<>(tr);
        extra.removeAll(base);
        assertTrue(missing.isEmpty() && extra.isEmpty(), suffix + ": missing " + missing + ", extra " + extra);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pt_BR", "es"})
    void aTranslationUsesTheSameArgumentsPerKey(String suffix) {
        Properties base = Bundles.base();
        Properties tr = translation(suffix);
        List<String> wrong = new ArrayList<>();
        for (String key : base.stringPropertyNames()) {
            String t = tr.getProperty(key);
            if (t != null && !Bundles.arguments(base.getProperty(key)).equals(Bundles.arguments(t))) {
                wrong.add(key + ": " + Bundles.arguments(base.getProperty(key)) + " vs " + Bundles.arguments(t));
            }
        }
        assertTrue(wrong.isEmpty(), suffix + ": " + wrong);
    }

    @Test
    void theTranslationsArePresent() {
        for (String suffix : List.of("pt_BR", "es")) {
            translation(suffix);
        }
    }

    @Test
    void noBaseTextIsEmpty() {
        assertNoEmptyText(Bundles.base(), "messages");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pt_BR", "es"})
    void noTranslatedTextIsEmpty(String suffix) {
        assertNoEmptyText(translation(suffix), "messages_" + suffix);
    }

    private static void assertNoEmptyText(Properties p, String name) {
        List<String> empty = new ArrayList<>();
        p.stringPropertyNames().forEach(k -> {
            if (p.getProperty(k).isBlank()) {
                empty.add(k);
            }
        });
        assertTrue(empty.isEmpty(), name + ": " + empty);
    }

    @Test
    void baseTextsWithArgumentsFormatWithoutLosingApostrophes() {
        assertFormatsCleanly(Bundles.base(), "messages");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pt_BR", "es"})
    void translatedTextsWithArgumentsFormatWithoutLosingApostrophes(String suffix) {
        // Portuguese and Spanish rarely need one, but "d'água" or a quoted word would vanish
        assertFormatsCleanly(translation(suffix), "messages_" + suffix);
    }

    /** MessageFormat treats ' as a quote: "l'{0}" prints "l{0}" verbatim; in a pattern it must be written ''. */
    private static void assertFormatsCleanly(Properties p, String name) {
        List<String> wrong = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            String v = p.getProperty(key);
            Set<Integer> args = Bundles.arguments(v);
            if (args.isEmpty()) {
                continue;
            }
            try {
                Object[] values = new Object[args.stream().mapToInt(Integer::intValue).max().orElse(0) + 1];
                java.util.Arrays.fill(values, 2);
                String out = new MessageFormat(v).format(values);
                if (v.replace("''", "").contains("'") || out.contains("{")) {
                    wrong.add(key + " → " + out);
                }
            } catch (IllegalArgumentException e) {
                wrong.add(key + ": " + e.getMessage());
            }
        }
        assertTrue(wrong.isEmpty(), name + ": " + wrong);
    }

    @Test
    void theBaseBundleHasEveryKeyTheCodeAsksFor() throws IOException {
        // literal keys in I18n.text("...") and I18n.bind("..."); keys built at run time are checked in I18nTest
        Pattern call = Pattern.compile("I18n\\.(?:text|bind)\\(\\s*\"([^\"]+)\"\\s*[,)]");
        Path src = Path.of("src/main/java");
        if (!Files.isDirectory(src)) {
            fail("run from the app module: " + src.toAbsolutePath() + " is missing");
        }
        Properties base = Bundles.base();
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(f));
                while (m.find()) {
                    if (!base.containsKey(m.group(1))) {
                        missing.add(m.group(1) + " (" + f.getFileName() + ")");
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "add these to messages.properties (and its translations)");
    }
}
