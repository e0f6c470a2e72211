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
    private final FeatureMapsView featureMaps;
    private final RunsView runs;
    private final RunActions actions;
    private final TabPane tabs;

    /**
     * The dock for {@code vm}; {@code history} lists the project's runs, {@code actions} writes exports and deletes
     * runs, {@code onTrain} starts a run (the panel's Train button).
     */
    public TrainingDock(TrainingViewModel vm, RunHistory history, RunActions actions, Runnable onTrain) {
        this.actions = actions;
        setId("trainingDock");
        getStyleClass().add("training-dock");
        panel = new TrainingPanel(vm, onTrain);
        loss = new LossChartView(vm);
        accuracy = new AccuracyChartView(vm);
        gradients = new GradientChartView(vm);
        filters = new FilterGalleryView(vm);
        evaluation = new EvaluationView(new EvaluationViewModel(vm));
        featureMaps = new FeatureMapsView(vm.trainedNetworkProperty());
        runs = new RunsView(vm, history, actions);
        tabs = new TabPane(tab("accuracy", "chart.accuracy.title", accuracy),
                tab("gradients", "chart.gradients.title", gradients), tab("filters", "filters.title", filters),
                tab("featureMaps", "featureMaps.title", featureMaps),
                tab("evaluation", "evaluation.title", evaluation),
                tab("draw", "digitPad.title", scrolling(new DigitPadView(vm.trainedNetworkProperty()))),
                tab("runs", "runs.title", runs));
        tabs.setId("trainingTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("training-tabs");
        // a chart in a hidden tab skips its redraws: draw it when it shows; and weights without a measurement (read
        // with the project, or put in use from a run) are measured when the Evaluation tab is looked at, rather
        // than waiting for a click on Evaluate
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            javafx.application.Platform.runLater(this::redrawShown);
            evaluateIfShown();
        });
        vm.trainedNetworkProperty().addListener((o, a, b) -> javafx.application.Platform.runLater(
                this::evaluateIfShown));
        sceneProperty().addListener((o, a, b) -> evaluateIfShown());
        getItems().addAll(panel, loss, tabs);
        exportMenu(loss, "loss");
        exportMenu(accuracy, "accuracy");
        exportMenu(gradients, "gradients");
        exportMenu(filters, "filters");
        exportMenu(featureMaps, "feature-maps");
        setDividerPositions(0.23, 0.58);
        SplitPane.setResizableWithParent(panel, false);
    }

    /** The pad is taller than a low dock: it scrolls rather than being cut off. */
    private static javafx.scene.control.ScrollPane scrolling(javafx.scene.Node content) {
        javafx.scene.control.ScrollPane s = new javafx.scene.control.ScrollPane(content);
        s.setFitToWidth(true);
        s.getStyleClass().add("edge-to-edge");
        return s;
    }

    /** Right-click ▸ Save as PNG… on a chart or a filter grid. */
    private void exportMenu(javafx.scene.layout.Region view, String name) {
        javafx.scene.control.MenuItem save = new javafx.scene.control.MenuItem();
        save.textProperty().bind(I18n.bind("export.png"));
        save.setOnAction(e -> exportPng(view, name));
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(save);
        view.setOnContextMenuRequested(e -> menu.show(view, e.getScreenX(), e.getScreenY()));
    }

    /**
     * Renders {@code view} as it shows (at the screen's scale, so it stays sharp on a HiDPI display) and hands the
     * image to be written as PNG; the encoding and the write happen off the FX thread.
     */
    static void exportPng(javafx.scene.layout.Region view, String name, RunActions actions) {
        javafx.scene.SnapshotParameters params = new javafx.scene.SnapshotParameters();
        double scale = view.getScene() == null || view.getScene().getWindow() == null ? 1
                : view.getScene().getWindow().getOutputScaleX();
        params.setTransform(javafx.scene.transform.Transform.scale(scale, scale));
        params.setFill(javafx.scene.paint.Color.WHITE);
        actions.exportPng(view.snapshot(params, null), name + ".png");
    }

    /** Saves the chart or grid {@code name} ({@code loss}, {@code accuracy}, …) as PNG, as its menu does. */
    public void exportPng(javafx.scene.layout.Region view, String name) {
        exportPng(view, name, actions);
    }

    private static Tab tab(String id, String key, javafx.scene.Node content) {
        Tab t = new Tab();
        t.setId("tab-" + id);
        t.textProperty().bind(I18n.bind(key));
        t.setContent(content);
        return t;
    }

    /** Measures the weights in use when the Evaluation tab shows them unmeasured (in a dock on screen). */
    private void evaluateIfShown() {
        Tab shown = tabs.getSelectionModel().getSelectedItem();
        if (shown != null && "tab-evaluation".equals(shown.getId()) && getScene() != null) {
            evaluation.viewModel().evaluateIfUnmeasured();
        }
    }

    private void redrawShown() {
        accuracy.redrawIfDirty();
        gradients.redrawIfDirty();
        filters.refresh();
        featureMaps.refresh();
    }

    /**
     * Brings the tab {@code accuracy}, {@code gradients}, {@code filters}, {@code featureMaps}, {@code evaluation},
     * {@code draw} or {@code runs} to the front.
     */
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

    public FeatureMapsView featureMaps() {
        return featureMaps;
    }

    public RunsView runs() {
        return runs;
    }
}
