package io.deepcanvas.app.training;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The open project's runs, oldest first (FX thread): those read from beside the project when it opened and those
 * trained since. Kept on disk by the file actions; a project without a file keeps its runs here until it is saved.
 */
public final class RunHistory {
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> view = FXCollections.unmodifiableObservableList(runs);

    public ObservableList<RunRecord> runs() {
        return view;
    }

    public void add(RunRecord run) {
        runs.add(run);
    }

    /** The history of another project. */
    public void setAll(List<RunRecord> all) {
        runs.setAll(all);
    }

    /** {@code old} is now kept as {@code now} (it was written beside the project). */
    public void replace(RunRecord old, RunRecord now) {
        int i = runs.indexOf(old);
        if (i >= 0) {
            runs.set(i, now);
        }
    }

    public void remove(RunRecord run) {
        runs.remove(run);
    }

    /** The run's number as the history shows it (1 for the oldest), or 0 when it is not here. */
    public int numberOf(RunRecord run) {
        return runs.indexOf(run) + 1;
    }
}
