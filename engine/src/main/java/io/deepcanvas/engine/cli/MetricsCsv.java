package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes one CSV row per optimizer step ({@code step,epoch,loss,accuracy}) for plotting elsewhere, each row flushed
 * whole as it is made. A write error does not stop training: it is remembered and reported once the run has
 * finished.
 */
final class MetricsCsv implements TrainingListener, AutoCloseable {
    private final Path file;
    private final BufferedWriter writer;
    private IOException failure;

    MetricsCsv(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw CliException.runtime("cannot write metrics to " + file + ": folder " + parent
                        + " does not exist");
            }
            writer = Files.newBufferedWriter(file);
            writer.write("step,epoch,loss,accuracy\n");
        } catch (IOException e) {
            throw CliException.runtime("cannot write metrics to " + file + ": " + describe(e), e);
        }
    }

    @Override
    public void onEvent(TrainingEvent event) {
        if (failure == null && event instanceof TrainingEvent.StepCompleted s) {
            try {
                // accuracy stays empty for a regression loss, which has none
                writer.write(String.format(Locale.ROOT, "%d,%d,%s,%s\n", s.step(), s.epoch(), s.loss(),
                        Float.isNaN(s.batchAccuracy()) ? "" : Float.toString(s.batchAccuracy())));
                // one write per row: a run killed at any moment (a second Ctrl-C) leaves only whole rows, and the
                // file can be plotted while the run goes on; a few microseconds against a step's milliseconds
                writer.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    /** Flushes and closes the file; throws the first write error of the run, if any. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw CliException.runtime("writing metrics to " + file + " failed: " + describe(failure), failure);
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT) + (m == null ? "" : " (" + m + ")");
    }
}
