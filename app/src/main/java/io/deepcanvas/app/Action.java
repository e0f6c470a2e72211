package io.deepcanvas.app;

import io.deepcanvas.app.i18n.I18n;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.control.Button;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;

/**
 * One command of the window — its text (from the bundle, following the language), shortcut, when it is disabled
 * and what it does — so the menu item and the toolbar button for it cannot disagree.
 */
final class Action {
    final String id;
    final StringBinding text;
    final KeyCombination accelerator;
    final Runnable run;
    private ObservableBooleanValue disabled;

    Action(String id, String textKey, String accelerator, Runnable run) {
        this.id = id;
        this.text = I18n.bind(textKey);
        this.accelerator = accelerator == null ? null : KeyCombination.keyCombination(accelerator);
        this.run = run;
    }

    Action disabledWhen(ObservableBooleanValue condition) {
        this.disabled = condition;
        return this;
    }

    MenuItem menuItem() {
        MenuItem item = new MenuItem();
        item.setId("menu-" + id);
        item.textProperty().bind(text);
        item.setMnemonicParsing(true);
        if (accelerator != null) {
            item.setAccelerator(accelerator);
        }
        if (disabled != null) {
            item.disableProperty().bind(disabled);
        }
        item.setOnAction(e -> run.run());
        return item;
    }

    /** A toolbar button with a glyph and the tooltip {@code tipKey}. */
    Button button(String glyph, String tipKey) {
        Button b = new Button(glyph);
        b.setId("tool-" + id);
        b.getStyleClass().addAll("tool-button", "flat");
        b.setFocusTraversable(false);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(I18n.bind(tipKey));
        b.setTooltip(tip);
        if (disabled != null) {
            b.disableProperty().bind(disabled);
        }
        b.setOnAction(e -> run.run());
        return b;
    }
}
