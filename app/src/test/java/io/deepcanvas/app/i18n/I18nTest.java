package io.deepcanvas.app.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.graph.Category;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import java.util.Locale;
import javafx.beans.binding.StringBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class I18nTest {
    @BeforeEach
    @AfterEach
    void english() {
        I18n.setLocale(Locale.ENGLISH);
    }

    @Test
    void aLanguageListenerLivesAsLongAsItsOwnerAndNoLonger() throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        javafx.scene.Node owner = new javafx.scene.Group();
        I18n.onChange(owner, calls::incrementAndGet);
        I18n.setLocale(Locale.forLanguageTag("pt-BR"));
        assertEquals(1, calls.get(), "the owner is alive: it hears the switch");
        java.lang.ref.WeakReference<javafx.scene.Node> ref = new java.lang.ref.WeakReference<>(owner);
        owner = null;
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(null, ref.get(), "the language does not keep a view alive");
        I18n.setLocale(Locale.ENGLISH);
        assertEquals(1, calls.get(), "nor its listener");
    }

    @Test
    void textFillsInTheArguments() {
        assertEquals("Add Conv2d", I18n.text("edit.add", "Conv2d"));
        assertEquals("Paste 1 layer", I18n.text("edit.paste", 1));
        assertEquals("Paste 3 layers", I18n.text("edit.paste", 3));
        assertEquals("Connect a → b", I18n.text("edit.connect", "a", "b"));
    }

    @Test
    void textWithoutArgumentsIsTheValueAsWritten() {
        assertEquals("DeepCanvas", I18n.text("app.name"));
        assertEquals("Untitled", I18n.text("project.untitled"));
    }

    @Test
    void aMissingKeyFailsNamingTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> I18n.text("no.such.key"));
        assertTrue(e.getMessage().contains("'no.such.key'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> I18n.text("no.such.key", 1));
        assertFalse(I18n.has("no.such.key"));
        assertTrue(I18n.has("app.name"));
    }

    @Test
    void supportedPicksTheSameLanguageInAnyCountryElseEnglish() {
        assertEquals(Locale.forLanguageTag("pt-BR"), I18n.supported(Locale.forLanguageTag("pt-PT")));
        assertEquals(Locale.forLanguageTag("pt-BR"), I18n.supported(Locale.forLanguageTag("pt-BR")));
        assertEquals(Locale.forLanguageTag("es"), I18n.supported(Locale.forLanguageTag("es-MX")));
        assertEquals(Locale.ENGLISH, I18n.supported(Locale.forLanguageTag("en-GB")));
        assertEquals(Locale.ENGLISH, I18n.supported(Locale.GERMAN));
        assertEquals(Locale.ENGLISH, I18n.supported(Locale.ROOT));
    }

    @Test
    void setLocaleOnlyEverSelectsALanguageWeSpeak() {
        I18n.setLocale(Locale.forLanguageTag("pt-PT"));
        assertEquals(Locale.forLanguageTag("pt-BR"), I18n.locale());
        I18n.setLocale(Locale.JAPANESE);
        assertEquals(Locale.ENGLISH, I18n.locale());
        assertEquals("DeepCanvas", I18n.text("app.name"), "falls back to the base bundle");
    }

    @Test
    void everyLanguageLoadsAndHasEveryKey() {
        for (Locale l : I18n.LANGUAGES) {
            I18n.setLocale(l);
            assertEquals(l, I18n.locale());
            for (String key : Bundles.base().stringPropertyNames()) {
                assertTrue(I18n.has(key), key + " in " + l);
            }
        }
    }

    @Test
    void bindingsFollowTheLocale() {
        StringBinding b = I18n.bind("palette.title");
        assertEquals("Layers", b.get());
        for (Locale l : I18n.LANGUAGES) {
            I18n.setLocale(l);
            assertEquals(I18n.text("palette.title"), b.get(), "the binding reads the current language: " + l);
        }
        I18n.setLocale(Locale.ENGLISH);
        assertEquals("Layers", b.get());
        StringBinding withArgs = I18n.bind("edit.add", "Conv2d");
        assertEquals("Add Conv2d", withArgs.get());
    }

    @Test
    void switchingToPortugueseOrSpanishRelabels() {
        StringBinding b = I18n.bind("palette.title");
        I18n.setLocale(Locale.forLanguageTag("pt-BR"));
        String pt = b.get();
        I18n.setLocale(Locale.forLanguageTag("es"));
        String es = b.get();
        assertFalse(pt.equals("Layers") || es.equals("Layers"), "pt=" + pt + ", es=" + es);
    }

    @Test
    void nativeNamesAreCapitalisedInTheirOwnLanguage() {
        assertEquals("English", I18n.nativeName(Locale.ENGLISH));
        assertEquals("Português (Brasil)", I18n.nativeName(Locale.forLanguageTag("pt-BR")));
        assertEquals("Español", I18n.nativeName(Locale.forLanguageTag("es")));
    }

    @Test
    void everyCategoryAndLayerTypeHasItsTexts() {
        for (Category c : Category.values()) {
            assertTrue(I18n.has("category." + c.name()), c.name());
        }
        for (LayerType t : LayerTypes.all()) {
            assertTrue(I18n.has("layer." + t.name()), t.name());
        }
    }
}
