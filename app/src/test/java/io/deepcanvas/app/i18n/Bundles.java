package io.deepcanvas.app.i18n;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The message bundles as files on the class path, read the way ResourceBundle reads them (UTF-8). */
final class Bundles {
    static final String DIR = "/io/deepcanvas/app/i18n/";
    private static final Pattern ARG = Pattern.compile("\\{(\\d+)");

    private Bundles() {
    }

    /** {@code messages.properties} for "", {@code messages_pt_BR.properties} for "pt_BR"; null when absent. */
    static Properties load(String suffix) {
        String name = DIR + "messages" + (suffix.isEmpty() ? "" : "_" + suffix) + ".properties";
        try (InputStream in = Bundles.class.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties base() {
        return load("");
    }

    /** The argument numbers a pattern uses: {@code {0} and {1,choice,...}} → [0, 1]. */
    static Set<Integer> arguments(String pattern) {
        Set<Integer> out = new TreeSet<>();
        Matcher m = ARG.matcher(pattern);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }
}
