package io.deepcanvas.app.editor;

import atlantafx.base.theme.Styles;
import io.deepcanvas.app.editor.InspectorValues.Result;
import java.util.Objects;
import javafx.beans.value.ObservableBooleanValue;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The inspector's editors, one per {@link InspectorItem.Kind}. Unlike ControlsFX's own, they do not write to the
 * model on every change of the control: a text field commits on Enter or when it loses focus, and only a valid value
 * that differs from the model's; and each can be refreshed from the model in place, so undo updates what is shown
 * without rebuilding the sheet under a field the user is typing in.
 */
final class InspectorEditors {
    /** Red marking of a field whose text is not a valid value; the theme's {@code :danger} colours it. */
    static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");

    private InspectorEditors() {
    }

    /** Where a text field says what is wrong with its text (the view shows it under the sheet). */
    interface Errors {
        /** {@code message} is null when the field's text became valid again. */
        void report(Editor source, String message);
    }

    /** A row's editor that follows the model. */
    interface Editor extends PropertyEditor<Object> {
        /** Shows the model's current value, unless the user has typed something not committed yet. */
        void refresh();

        /** Commits what the user typed and has not committed yet, if it is valid; before the sheet is rebuilt. */
        default void commitPending() {
        }

        @Override
        default Object getValue() {
            return null; // the editors commit through their item, never through the sheet
        }

        @Override
        default void setValue(Object value) {
            refresh();
        }
    }

    static Editor create(InspectorItem item, ObservableBooleanValue locked, Errors errors) {
        Editor editor = switch (item.kind()) {
            case TEXT -> new Text(item, errors);
            case CHECK -> new Check(item);
            case CHOICE -> new Choice(item);
            case DISPLAY -> new Display(item);
        };
        Node control = editor.getEditor();
        control.setId(item.id());
        if (item.kind() != InspectorItem.Kind.DISPLAY) {
            control.disableProperty().bind(locked);
        }
        return editor; // empty until refreshed: the caller registers it first, so its first message is heard
    }

    private static Tooltip tooltip(InspectorItem item) {
        String d = item.getDescription();
        return d == null || d.isBlank() ? null : new Tooltip(d);
    }

    /** A text field that validates as the user types and commits on Enter or focus loss; Escape reverts. */
    static final class Text implements Editor {
        private final InspectorItem item;
        private final Errors errors;
        private final TextField field = new TextField();
        private final Tooltip tip = new Tooltip();
        /** The text the model's value was last shown as: typing differs from it until committed. */
        private String shown = "";
        private String error;

        Text(InspectorItem item, Errors errors) {
            this.item = item;
            this.errors = errors;
            field.getStyleClass().add("inspector-field");
            // a narrow preferred width (the field still fills its column): the sheet then leaves the names their
            // whole width, and "Tasa de aprendizaje" or "Conjunto de dados" are not cut to "Tasa de aprendiz…"
            field.setPrefColumnCount(6);
            field.setPromptText(item.prompt());
            tip.setText(item.getDescription());
            field.setTooltip(tip);
            field.textProperty().addListener((o, a, b) -> validate());
            field.setOnAction(e -> commit());
            field.focusedProperty().addListener((o, was, now) -> {
                if (!now) {
                    commitOrRevert();
                }
            });
            field.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ESCAPE && isEditing()) {
                    revert();
                    e.consume(); // the first Escape undoes the typing; only a second one leaves the field
                }
            });
        }

        @Override
        public TextField getEditor() {
            return field;
        }

        /** The user has typed something that is not the model's value, in a field they are still in. */
        private boolean isEditing() {
            return field.isFocused() && !field.getText().equals(shown);
        }

        @Override
        public void refresh() {
            if (isEditing()) {
                return;
            }
            revert();
        }

        private void revert() {
            shown = Objects.toString(item.getValue(), "");
            if (!field.getText().equals(shown)) {
                field.setText(shown);
                field.end();
            }
            validate(); // a stored value may itself be invalid (a hand-edited project file)
        }

        @Override
        public void commitPending() {
            if (!field.getText().equals(shown) && item.parse(field.getText()).valid()) {
                commit();
            }
        }

        private void commitOrRevert() {
            if (!field.isDisabled() && item.parse(field.getText()).valid()) {
                commit();
            } else {
                // never keep text that is not in the model once the user has left the field (or a training run
                // locked it: the edit could not be made)
                revert();
            }
        }

        private void commit() {
            Result r = item.parse(field.getText());
            if (!r.valid()) {
                return; // the field is red and the message shows: Enter keeps the text so it can be corrected
            }
            shown = field.getText(); // no longer "editing": the refresh the commit causes may rewrite the text
            try {
                item.commit(r.value());
            } catch (RuntimeException e) {
                // locked by a training run that started meanwhile, or a value the model refused
                report(e.getMessage());
                return;
            }
            revert(); // shows the stored form: "[5, 5]" reads back as "5"
        }

        private void validate() {
            Result r = item.parse(field.getText());
            report(r.error());
        }

        private void report(String message) {
            if (Objects.equals(message, error)) {
                return;
            }
            error = message;
            boolean bad = message != null;
            field.pseudoClassStateChanged(INVALID, bad);
            field.pseudoClassStateChanged(Styles.STATE_DANGER, bad);
            tip.setText(bad ? message : item.getDescription());
            errors.report(this, message);
        }
    }

    /** A check box: a click is one command. */
    static final class Check implements Editor {
        private final InspectorItem item;
        private final CheckBox box = new CheckBox();

        Check(InspectorItem item) {
            this.item = item;
            box.setTooltip(tooltip(item));
            box.setOnAction(e -> item.commit(box.isSelected()));
        }

        @Override
        public CheckBox getEditor() {
            return box;
        }

        @Override
        public void refresh() {
            box.setSelected(Boolean.TRUE.equals(item.getValue()));
        }
    }

    /** A combo box of names (a loss, an optimizer, a device): picking one is one command. */
    static final class Choice implements Editor {
        private final InspectorItem item;
        private final ComboBox<String> combo = new ComboBox<>();
        /** Set while the model's value is being shown: ComboBox fires its action for that too. */
        private boolean showing;

        Choice(InspectorItem item) {
            this.item = item;
            combo.getItems().setAll(item.choices());
            combo.setTooltip(tooltip(item));
            combo.setPrefWidth(120); // as the text fields': the names keep their width
            combo.setMaxWidth(Double.MAX_VALUE);
            combo.setOnAction(e -> {
                if (!showing && combo.getValue() != null && !combo.getValue().equals(item.getValue())) {
                    item.commit(combo.getValue());
                }
            });
        }

        @Override
        public ComboBox<String> getEditor() {
            return combo;
        }

        @Override
        public void refresh() {
            showing = true;
            try {
                combo.setValue((String) item.getValue());
            } finally {
                showing = false;
            }
        }
    }

    /** A read-only value (Type, in_channels, Output shape): a label, legible rather than a greyed-out field. */
    static final class Display implements Editor {
        private final InspectorItem item;
        private final Label label = new Label();

        Display(InspectorItem item) {
            this.item = item;
            label.getStyleClass().add("inspector-value");
            label.setTooltip(tooltip(item));
        }

        @Override
        public Label getEditor() {
            return label;
        }

        @Override
        public void refresh() {
            label.setText(Objects.toString(item.getValue(), ""));
        }
    }
}
