package io.deepcanvas.engine.io;

/**
 * A training setting out of range, naming the field as it appears in the project file ({@code batchSize},
 * {@code optimizer.lr}) so the loader can report its JSON path and the app can highlight the right control.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private final String field;

    public InvalidSettingException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field's name in the project file, relative to the object that holds it. */
    public String field() {
        return field;
    }
}
