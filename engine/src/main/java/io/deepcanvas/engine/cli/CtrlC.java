package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.train.Trainer;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during {@code train}: the first press asks the {@link Trainer} to stop after its current step (the app's
 * Stop button takes the same path, {@link Trainer#cancel()}), so the run can save the weights it reached; a
 * second press ends the process at once. A JVM shutdown hook cannot do this: once shutdown has begun, a second
 * Ctrl-C is ignored, so a hung save could not be escaped. Where SIGINT cannot be caught (the JVM started with
 * {@code -Xrs}, or SIGINT ignored as in a background job) Ctrl-C keeps its usual meaning.
 */
final class CtrlC implements AutoCloseable {
    /** The exit code of a process ended by SIGINT, as shells report it (128 + 2). */
    static final int EXIT_CODE = 130;

    private static final Signal INT = new Signal("INT");

    private final PrintStream out;
    private final AtomicInteger presses = new AtomicInteger();
    private final SignalHandler previous;
    private volatile Trainer trainer;

    private CtrlC(PrintStream out) {
        this.out = out;
        SignalHandler old;
        try {
            old = Signal.handle(INT, this::onSignal);
        } catch (IllegalArgumentException e) {
            old = null; // -Xrs: the JVM leaves SIGINT alone
        }
        this.previous = old;
    }

    /** Catches Ctrl-C until {@link #close()}; messages go to {@code out}, where the progress lines are. */
    static CtrlC catchDuring(PrintStream out) {
        return new CtrlC(out);
    }

    /** The run that the first Ctrl-C stops; a Ctrl-C pressed before it started stops it before its first step. */
    void stops(Trainer t) {
        trainer = t;
        if (presses.get() > 0) {
            t.cancel();
        }
    }

    /** Whether Ctrl-C was pressed. */
    boolean pressed() {
        return presses.get() > 0;
    }

    private void onSignal(Signal signal) {
        if (presses.incrementAndGet() == 1) {
            // on its own line: a progress bar may be half drawn
            out.println();
            out.println("Ctrl-C: stopping after the current step to save the weights "
                    + "(press Ctrl-C again to quit at once, without saving)");
            out.flush();
            Trainer t = trainer;
            if (t != null) {
                t.cancel();
            }
        } else {
            out.println();
            out.println("Ctrl-C again: quitting now; the weights of this run are not saved");
            out.flush();
            // halt, not exit: nothing may wait for the step or the save that the user chose not to wait for
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** Gives Ctrl-C back its previous meaning. */
    @Override
    public void close() {
        if (previous == null) {
            return;
        }
        try {
            Signal.handle(INT, previous);
        } catch (NullPointerException | IllegalArgumentException e) {
            // the JVM's own handler cannot always be handed back through sun.misc (seen intermittently as
            // "NullPointerException: handler" when commands run one after another in one JVM, as the tests do);
            // Ctrl-C then ends the process the default way rather than asking a finished run to stop
            try {
                Signal.handle(INT, SignalHandler.SIG_DFL);
            } catch (IllegalArgumentException ignored) {
                // -Xrs or the like: the JVM keeps SIGINT to itself anyway
            }
        }
    }
}
