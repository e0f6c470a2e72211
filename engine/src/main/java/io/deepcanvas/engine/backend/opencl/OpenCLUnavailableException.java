package io.deepcanvas.engine.backend.opencl;

/**
 * OpenCL cannot be used here: no loader library, no driver, no such device, or the kernels failed to build. The
 * message is the one line a user sees, naming what is missing and what to do.
 */
public final class OpenCLUnavailableException extends RuntimeException {
    public OpenCLUnavailableException(String message) {
        super(message);
    }

    public OpenCLUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
