package io.deepcanvas.engine.io;

import java.io.IOException;

/** A file that is not a readable safetensors file; the message names the file, the tensor and the problem. */
public final class SafetensorsFormatException extends IOException {
    public SafetensorsFormatException(String message) {
        super(message);
    }
}
