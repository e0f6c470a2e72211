package io.deepcanvas.engine.data;

/**
 * A dataset could not be loaded: a file is missing, unreadable or not in the expected format.
 * Plays the role of the {@code RuntimeError}/{@code FileNotFoundError} torchvision raises; unchecked so that
 * dataset constructors stay as light to call as in Python. The message always names the file and the fix.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
