package io.deepcanvas.engine.cli;

/**
 * A command-line failure that the user can fix, with the one line to print and the process exit code. Thrown
 * anywhere below {@link Cli#run}; caught there and printed as {@code deepcanvas: COMMAND: MESSAGE}.
 */
public final class CliException extends RuntimeException {
    /** Exit code of a failure at run time: a missing or broken file, a diverged run. */
    public static final int RUNTIME = 1;
    /** Exit code of a usage error: an unknown command or option, a bad option value. */
    public static final int USAGE = 2;
    /** Exit code of a project whose network is invalid (shape errors, dangling nodes). */
    public static final int INVALID_NETWORK = 3;

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(USAGE, message, null);
    }

    public static CliException runtime(String message) {
        return new CliException(RUNTIME, message, null);
    }

    public static CliException runtime(String message, Throwable cause) {
        return new CliException(RUNTIME, message, cause);
    }

    public static CliException invalidNetwork(String message) {
        return new CliException(INVALID_NETWORK, message, null);
    }

    public int exitCode() {
        return exitCode;
    }
}
