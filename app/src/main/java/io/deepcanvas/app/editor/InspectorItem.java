package io.deepcanvas.app.editor;

import io.deepcanvas.app.editor.InspectorValues.Result;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

/**
 * One row of the inspector: its group, name and description, which editor shows it, how it reads the value the
 * model holds now and how an edit goes back to the model. The value is read afresh on every refresh, by node id,
 * because undo replaces the model's graph object.
 */
final class InspectorItem implements PropertySheet.Item {
    /** The editor a row gets. */
    enum Kind {
        /** A text field, checked on every keystroke, committed on Enter or when it loses focus. */
        TEXT,
        /** A check box, committed when clicked. */
        CHECK,
        /** A combo box of fixed names, committed when one is picked. */
        CHOICE,
        /** A value the user reads but cannot change (inferred from the graph). */
        DISPLAY
    }

    private final Kind kind;
    private final String id;
    private final String category;
    private final String name;
    private final String description;
    private final Supplier<Object> current;
    private final Function<String, Result> parser;
    private final Consumer<Object> commit;
    private final List<String> choices;
    private final String prompt;

    private InspectorItem(Kind kind, String id, String category, String name, String description,
                          Supplier<Object> current, Function<String, Result> parser, Consumer<Object> commit,
                          List<String> choices, String prompt) {
        this.kind = kind;
        this.id = id;
        this.category = category;
        this.name = name;
        this.description = description;
        this.current = current;
        this.parser = parser;
        this.commit = commit;
        this.choices = choices;
        this.prompt = prompt;
    }

    /**
     * A text row: {@code current} gives the text to show, {@code parser} reads a typed text into a value or an error,
     * {@code commit} applies a valid value (and ignores one equal to the model's).
     */
    static InspectorItem text(String id, String category, String name, String description, String prompt,
                              Supplier<Object> current, Function<String, Result> parser, Consumer<Object> commit) {
        return new InspectorItem(Kind.TEXT, id, category, name, description, current, parser, commit, List.of(),
                prompt);
    }

    static InspectorItem check(String id, String category, String name, String description,
                               Supplier<Object> current, Consumer<Object> commit) {
        return new InspectorItem(Kind.CHECK, id, category, name, description, current, null, commit, List.of(), null);
    }

    static InspectorItem choice(String id, String category, String name, String description, List<String> choices,
                                Supplier<Object> current, Consumer<Object> commit) {
        return new InspectorItem(Kind.CHOICE, id, category, name, description, current, null, commit,
                List.copyOf(choices), null);
    }

    static InspectorItem display(String id, String category, String name, String description,
                                 Supplier<Object> current) {
        return new InspectorItem(Kind.DISPLAY, id, category, name, description, current, null, v -> { }, List.of(),
                null);
    }

    Kind kind() {
        return kind;
    }

    /** The editor control's id, for tests and for finding a field: {@code param-kernel_size}. */
    String id() {
        return id;
    }

    List<String> choices() {
        return choices;
    }

    /** Shown in an empty text field: the default the layer falls back to. */
    String prompt() {
        return prompt;
    }

    Result parse(String text) {
        return parser.apply(text);
    }

    void commit(Object value) {
        commit.accept(value);
    }

    // ---- PropertySheet.Item ---------------------------------------------------------------------------------

    @Override
    public Class<?> getType() {
        return kind == Kind.CHECK ? Boolean.class : String.class;
    }

    @Override
    public String getCategory() {
        return category;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Object getValue() {
        return current.get();
    }

    @Override
    public void setValue(Object value) {
        commit.accept(value);
    }

    /** None: the editors refresh from the model when it ticks, so the sheet never rebuilds under the user's typing. */
    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
        return Optional.empty();
    }

    /**
     * Always true: the sheet disables the editor of a non-editable item, which greys a read-only value out; a
     * {@link Kind#DISPLAY} row's label cannot be edited anyway.
     */
    @Override
    public boolean isEditable() {
        return true;
    }
}
