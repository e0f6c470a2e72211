package io.deepcanvas.app.i18n;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * Every string a user sees, from the {@code messages} resource bundles, in the language chosen under
 * View ▸ Language (the system's by default). Views bind to {@link #bind} so a switch relabels the whole window
 * without a restart. A missing key fails loudly with its name rather than showing a blank.
 */
public final class I18n {
    /** The languages the app speaks, in menu order: those of the tutorials our users learn from. */
    public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.forLanguageTag("pt-BR"),
            Locale.forLanguageTag("es"));

    private static final String BUNDLE = "io.deepcanvas.app.i18n.messages";
    private static final ObjectProperty<Locale> LOCALE = new SimpleObjectProperty<>(supported(Locale.getDefault()));
    private static ResourceBundle bundle = load(LOCALE.get());
    private static Locale loadedFor = LOCALE.get();

    /**
     * The bundle of the current language, loaded when first asked for after a switch. Not a listener on the locale:
     * bindings hear of a switch before any change listener runs, and would read the old language.
     */
    private static synchronized ResourceBundle bundle() {
        Locale now = LOCALE.get();
        if (!now.equals(loadedFor)) {
            bundle = load(now);
            loadedFor = now;
        }
        return bundle;
    }

    private I18n() {
    }

    /** The closest language we speak to {@code wanted}: same language (any country), else English. */
    public static Locale supported(Locale wanted) {
        for (Locale l : LANGUAGES) {
            if (l.getLanguage().equals(wanted.getLanguage())) {
                return l;
            }
        }
        return Locale.ENGLISH;
    }

    private static ResourceBundle load(Locale locale) {
        // no fallback to the machine's locale: English is the base bundle
        return ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static ObjectProperty<Locale> localeProperty() {
        return LOCALE;
    }

    public static Locale locale() {
        return LOCALE.get();
    }

    /**
     * Switches the language. Views bind to it, so a switch asked for on another thread (a test, a settings loader)
     * is made on the FX thread when the toolkit runs, and this waits for it.
     */
    public static void setLocale(Locale locale) {
        Locale l = supported(locale);
        if (javafx.application.Platform.isFxApplicationThread()) {
            LOCALE.set(l);
            return;
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try {
            javafx.application.Platform.runLater(() -> {
                LOCALE.set(l);
                done.countDown();
            });
        } catch (IllegalStateException toolkitNotRunning) {
            LOCALE.set(l);
            return;
        }
        try {
            done.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The text for {@code key} in the current language, with {@code {0}}-style arguments filled in. */
    public static String text(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle().getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no text for key '" + key + "' in " + BUNDLE
                    + ": add it to messages.properties (and its translations)", e);
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, LOCALE.get()).format(args);
    }

    /** Whether {@code key} has a text (for optional texts such as a layer's translated description). */
    public static boolean has(String key) {
        return bundle().containsKey(key);
    }

    /**
     * Runs {@code action} after every language switch for as long as {@code owner} lives. The language is global and
     * outlives every window; a plain listener on it would keep each view (and its window) alive forever, so the
     * listener is held by {@code owner} (in its properties) and the language holds it weakly.
     */
    public static void onChange(javafx.scene.Node owner, Runnable action) {
        keep(owner.getProperties(), action);
    }

    /** {@link #onChange(javafx.scene.Node, Runnable)} for a menu. */
    public static void onChange(javafx.scene.control.MenuItem owner, Runnable action) {
        keep(owner.getProperties(), action);
    }

    private static void keep(java.util.Map<Object, Object> ownerProperties, Runnable action) {
        javafx.beans.value.ChangeListener<Locale> listener = (o, a, b) -> action.run();
        ownerProperties.put(listener, Boolean.TRUE);
        LOCALE.addListener(new javafx.beans.value.WeakChangeListener<>(listener));
    }

    /** A text that follows the language; arguments are fixed. */
    public static StringBinding bind(String key, Object... args) {
        return Bindings.createStringBinding(() -> text(key, args), LOCALE);
    }

    /** The language's own name for itself ("Português (Brasil)"), for the Language menu. */
    public static String nativeName(Locale l) {
        String name = l.getDisplayName(l);
        return name.isEmpty() ? l.toString() : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
