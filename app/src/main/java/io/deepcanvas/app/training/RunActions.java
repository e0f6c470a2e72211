package io.deepcanvas.app.training;

import javafx.scene.image.Image;

/**
 * What the training panels ask of the application's file handling: a file chosen by the user, written off the FX
 * thread, the outcome said in the status bar.
 */
public interface RunActions {
    /** Asks where, then writes {@code run}'s per-step metrics there as CSV. */
    void exportCsv(RunRecord run);

    /** Asks, then removes {@code run} from the history and its folder beside the project. */
    void delete(RunRecord run);

    /** Loads {@code run}'s final weights into the panels (evaluation, drawing pad, feature maps). */
    void useWeights(RunRecord run);

    /** Asks where, then writes {@code image} (a chart or a filter grid, already rendered) there as PNG. */
    void exportPng(Image image, String suggestedName);

    /** Does nothing: for a dock shown without files (tests of the panels alone). */
    RunActions NONE = new RunActions() {
        @Override
        public void exportCsv(RunRecord run) {
        }

        @Override
        public void delete(RunRecord run) {
        }

        @Override
        public void useWeights(RunRecord run) {
        }

        @Override
        public void exportPng(Image image, String suggestedName) {
        }
    };
}
