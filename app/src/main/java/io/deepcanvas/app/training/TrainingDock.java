package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/**
 * The training area under the editor: the {@link TrainingPanel} on the left, the loss curve always in view, and the
 * accuracy, gradient and filter panels as tabs beside it — the two things a learner watches most side by side.
 */
public final class TrainingDock extends SplitPane {
    private final TrainingPanel panel;
    private final LossChartView loss;
    private final AccuracyChartView accuracy;
    private final GradientChartView gradients;
    private final FilterGalleryView filters;
    private final EvaluationView evaluation;
    private final TabPane tabs;

    public TrainingDock(TrainingViewModel vm, Runnable onTrain) {
        setId("trainingDock");
        getStyleClass().add("training-dock");
        panel = new TrainingPanel(vm, onTrain);
        loss = new LossChartView(vm);
        accuracy = new AccuracyChartView(vm);
        gradients = new GradientChartView(vm);
        filters = new FilterGalleryView(vm);
        evaluation = new EvaluationView(new EvaluationViewModel(vm));
        tabs = new TabPane(tab("accuracy", "chart.accuracy.title", accuracy),
                tab("gradients", "chart.gradients.title", gradients), tab("filters", "filters.title", filters),
                tab("evaluation", "evaluation.title", evaluation),
                tab("draw", "digitPad.title", scrolling(new DigitPadView(vm.trainedNetworkProperty()))));
        tabs.setId("trainingTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("training-tabs");
        // a chart in a hidden tab skips its redraws: draw it when it shows
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> javafx.application.Platform
                .runLater(this::redrawShown));
        getItems().addAll(panel, loss, tabs);
        setDividerPositions(0.25, 0.625);
        SplitPane.setResizableWithParent(panel, false);
    }

    /** The pad is taller than a low dock: it scrolls rather than being cut off. */
    private static javafx.scene.control.ScrollPane scrolling(javafx.scene.Node content) {
        javafx.scene.control.ScrollPane s = new javafx.scene.control.ScrollPane(content);
        s.setFitToWidth(true);
        s.getStyleClass().add("edge-to-edge");
        return s;
    }

    private static Tab tab(String id, String key, javafx.scene.Node content) {
        Tab t = new Tab();
        t.setId("tab-" + id);
        t.textProperty().bind(I18n.bind(key));
        t.setContent(content);
        return t;
    }

    private void redrawShown() {
        accuracy.redrawIfDirty();
        gradients.redrawIfDirty();
        filters.refresh();
    }

    /** Brings the tab {@code accuracy}, {@code gradients}, {@code filters} or {@code evaluation} to the front. */
    public void show(String tab) {
        tabs.getTabs().stream().filter(t -> t.getId().equals("tab-" + tab)).findFirst()
                .ifPresent(t -> tabs.getSelectionModel().select(t));
    }

    public TrainingPanel panel() {
        return panel;
    }

    public LossChartView lossChart() {
        return loss;
    }

    public AccuracyChartView accuracyChart() {
        return accuracy;
    }

    public GradientChartView gradientChart() {
        return gradients;
    }

    public FilterGalleryView filterGallery() {
        return filters;
    }

    public EvaluationView evaluation() {
        return evaluation;
    }
}
