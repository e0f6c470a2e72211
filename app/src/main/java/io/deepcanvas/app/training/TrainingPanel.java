package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.training.TrainingViewModel.Divergence;
import io.deepcanvas.app.training.TrainingViewModel.State;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.nn.Repr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.SVGPath;

/**
 * The run at a glance: Train / Pause / Resume / Stop, epoch and step with a progress bar, images per second and
 * the time left, the learning rate (Enter applies it to the running training), what went wrong when the loss
 * diverged, and the settings the run trains with.
 */
public final class TrainingPanel extends ScrollPane {
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");

    private final TrainingViewModel vm;
    private final Runnable onTrain;
    private final Label state = new Label();
    private final Label steps = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label speed = new Label();
    private final Label timeLeft = new Label();
    private final TextField learningRate = new TextField();
    private final Label alert = new Label();
    private final GridPane settings = new GridPane();
    private final Label device = new Label();

    /** A panel over {@code vm}; its Train button runs {@code onTrain} (the window's Train, which reports refusals). */
    /** A refresh of the progress texts is queued on the FX thread. */
    private boolean progressScheduled;

    public TrainingPanel(TrainingViewModel vm, Runnable onTrain) {
        this.vm = vm;
        this.onTrain = onTrain;
        setId("trainingPanel");
        createView();
        initListeners();
        refreshProgress();
        refreshSettings();
        refreshAlert();
    }

    private void createView() {
        getStyleClass().add("training-panel-scroll");
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);
        Label title = new Label();
        title.textProperty().bind(I18n.bind("training.title"));
        title.getStyleClass().add("chart-title");
        state.setId("trainingState");
        state.getStyleClass().add("training-state");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(8, title, spacer, state);
        head.setAlignment(Pos.CENTER_LEFT);

        Button train = button("train-start", "training.train", "M4 2l10 6-10 6z", vm.runningProperty());
        train.getStyleClass().add("training-train");
        train.setOnAction(e -> onTrain.run());
        Button pause = button("train-pause", "training.pause", "M4 2h3v12H4z M9 2h3v12H9z",
                vm.stateProperty().isNotEqualTo(State.RUNNING).or(vm.runningProperty().not()));
        pause.setOnAction(e -> vm.pause());
        Button resume = button("train-resume", "training.resume", "M4 2l10 6-10 6z",
                vm.stateProperty().isNotEqualTo(State.PAUSED).and(vm.stateProperty().isNotEqualTo(State.DIVERGED))
                        .or(vm.runningProperty().not()));
        resume.setOnAction(e -> vm.resume());
        // Pause and Resume share a place: the one that applies shows
        resume.visibleProperty().bind(vm.stateProperty().isEqualTo(State.PAUSED)
                .or(vm.stateProperty().isEqualTo(State.DIVERGED).and(vm.runningProperty())));
        resume.managedProperty().bind(resume.visibleProperty());
        pause.visibleProperty().bind(resume.visibleProperty().not());
        pause.managedProperty().bind(pause.visibleProperty());
        Button stop = button("train-stop", "training.stop", "M3 3h10v10H3z", vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());
        HBox buttons = new HBox(6, train, pause, resume, stop);
        buttons.setAlignment(Pos.CENTER_LEFT);

        steps.setId("trainingSteps");
        steps.getStyleClass().add("training-steps");
        progress.setId("trainingProgress");
        progress.setMaxWidth(Double.MAX_VALUE);
        speed.setId("trainingSpeed");
        timeLeft.setId("trainingTimeLeft");
        speed.getStyleClass().add("training-muted");
        timeLeft.getStyleClass().add("training-muted");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox rates = new HBox(speed, gap, timeLeft);

        Label lrLabel = new Label();
        lrLabel.textProperty().bind(I18n.bind("training.lr"));
        lrLabel.getStyleClass().add("training-key");
        learningRate.setId("learningRate");
        learningRate.getStyleClass().add("training-lr");
        learningRate.setPrefColumnCount(8);
        learningRate.disableProperty().bind(vm.runningProperty().not());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(I18n.bind("training.lr.tooltip"));
        learningRate.setTooltip(tip);
        Label lrHint = new Label();
        lrHint.textProperty().bind(I18n.bind("training.lr.hint"));
        lrHint.getStyleClass().add("training-muted");
        HBox lr = new HBox(8, lrLabel, learningRate, lrHint);
        lr.setAlignment(Pos.CENTER_LEFT);

        alert.setId("trainingAlert");
        alert.getStyleClass().add("training-alert");
        alert.setWrapText(true);
        alert.setMaxWidth(Double.MAX_VALUE);
        alert.managedProperty().bind(alert.visibleProperty());

        settings.setId("trainingSettings");
        settings.getStyleClass().add("training-settings");
        settings.setHgap(10);
        settings.setVgap(3);
        ColumnConstraints keys = new ColumnConstraints();
        keys.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints vals = new ColumnConstraints();
        vals.setHgrow(Priority.ALWAYS);
        settings.getColumnConstraints().addAll(keys, vals);
        device.setId("trainingDevice");

        VBox box = new VBox(8, head, buttons, steps, progress, rates, lr, alert, new Separator(), settings);
        box.getStyleClass().add("training-panel");
        progress.prefWidthProperty().bind(box.widthProperty().subtract(box.getInsets().getLeft() + 24));
        setContent(box);
    }

    private static Button button(String id, String key, String glyph,
                                 javafx.beans.value.ObservableBooleanValue disabled) {
        SVGPath icon = new SVGPath();
        icon.setContent(glyph);
        icon.getStyleClass().add("training-icon");
        Button b = new Button();
        b.setId(id);
        b.setGraphic(icon);
        b.textProperty().bind(I18n.bind(key));
        b.getStyleClass().add("training-button");
        b.setFocusTraversable(false);
        b.disableProperty().bind(Bindings.createBooleanBinding(disabled::get, disabled));
        return b;
    }

    private void initListeners() {
        vm.stepProperty().addListener((o, a, b) -> scheduleProgress());
        vm.totalStepsProperty().addListener((o, a, b) -> scheduleProgress());
        vm.epochProperty().addListener((o, a, b) -> scheduleProgress());
        vm.progressProperty().addListener((o, a, b) -> scheduleProgress());
        vm.imagesPerSecondProperty().addListener((o, a, b) -> scheduleProgress());
        vm.timeLeftProperty().addListener((o, a, b) -> scheduleProgress());
        vm.runningProperty().addListener((o, a, b) -> refreshProgress());
        vm.stateProperty().addListener((o, a, b) -> {
            refreshProgress();
            refreshAlert();
        });
        vm.divergenceProperty().addListener((o, a, b) -> refreshAlert());
        vm.failureProperty().addListener((o, a, b) -> refreshAlert());
        vm.settingsProperty().addListener((o, a, b) -> refreshSettings());
        vm.deviceProperty().addListener((o, a, b) -> refreshSettings());
        vm.learningRateProperty().addListener((o, a, b) -> {
            if (!learningRate.isFocused() || !vm.runningProperty().get()) {
                showLearningRate();
            }
        });
        learningRate.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                showLearningRate();
            }
        });
        learningRate.setOnAction(e -> applyLearningRate());
        I18n.onChange(this, () -> {
            refreshProgress();
            refreshSettings();
            refreshAlert();
        });
        showLearningRate();
    }

    private void applyLearningRate() {
        String text = learningRate.getText().trim().replace(',', '.');
        String why;
        try {
            why = vm.setLearningRate(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            why = I18n.text("training.lr.invalid", learningRate.getText().trim());
        }
        learningRate.pseudoClassStateChanged(INVALID, why != null);
        learningRate.getTooltip().textProperty().unbind();
        if (why != null) {
            learningRate.getTooltip().setText(why);
        } else {
            learningRate.getTooltip().textProperty().bind(I18n.bind("training.lr.tooltip"));
            showLearningRate();
        }
    }

    private void showLearningRate() {
        double v = vm.learningRateProperty().get();
        learningRate.setText(Double.isNaN(v) ? "" : lr(v));
        learningRate.pseudoClassStateChanged(INVALID, false);
    }

    /**
     * A drain publishes the step, epoch, progress, speed and time left one after another: the texts are made once,
     * after all of them.
     */
    private void scheduleProgress() {
        if (!progressScheduled) {
            progressScheduled = true;
            javafx.application.Platform.runLater(this::refreshProgress);
        }
    }

    private void refreshProgress() {
        progressScheduled = false;
        State s = vm.stateProperty().get();
        state.setText(I18n.text("training.state." + s.name()));
        // a style class changed makes JavaFX restyle the label: only when the state did, not with every step
        String style = "state-" + s.name().toLowerCase(Locale.ROOT);
        if (!state.getStyleClass().contains(style)) {
            state.getStyleClass().removeIf(c -> c.startsWith("state-"));
            state.getStyleClass().add(style);
        }
        Locale l = I18n.locale();
        steps.setText(s == State.IDLE ? I18n.text("training.notYet") : I18n.text("training.steps",
                vm.epochProperty().get(), vm.epochsProperty().get(), String.format(l, "%,d", vm.stepProperty().get()),
                String.format(l, "%,d", vm.totalStepsProperty().get())));
        progress.setProgress(s == State.IDLE ? 0 : vm.progressProperty().get());
        double ips = vm.imagesPerSecondProperty().get();
        speed.setText(Double.isNaN(ips) ? "" : I18n.text("training.speed", String.format(l, "%,.0f", ips)));
        Duration left = vm.timeLeftProperty().get();
        timeLeft.setText(left == null || !vm.runningProperty().get() || s != State.RUNNING && s != State.PAUSED ? ""
                : I18n.text("training.timeLeft",
                TrainingViewModel.duration(left)));
    }

    private void refreshAlert() {
        Divergence d = vm.divergenceProperty().get();
        String failure = vm.failureProperty().get();
        if (d != null) {
            String loss = Double.isNaN(d.loss()) ? "NaN" : "∞";
            String what = d.layer() == null ? I18n.text("training.diverged", loss, d.step())
                    : I18n.text("training.divergedAt", loss, d.step(), d.layer(), d.parameter());
            alert.setText(what + " " + I18n.text(d.paused() ? "training.diverged.resume" : "training.diverged.again"));
            alert.setVisible(true);
        } else if (failure != null && vm.stateProperty().get() == State.FAILED) {
            alert.setText(I18n.text("training.failed", failure));
            alert.setVisible(true);
        } else {
            alert.setVisible(false);
        }
    }

    private void refreshSettings() {
        TrainingSettings s = vm.settingsProperty().get();
        settings.getChildren().clear();
        if (s == null) {
            return;
        }
        String dev = vm.deviceProperty().get();
        device.setText(dev == null || dev.isEmpty() || dev.equalsIgnoreCase(s.device()) ? s.device()
                : I18n.text("training.deviceUsed", s.device(), dev));
        row(0, "training.dataset", value(s.dataset().equalsIgnoreCase("mnist") ? "MNIST" : s.dataset()));
        row(1, "training.transforms", value(transforms(s)));
        row(2, "training.batchSize", value(String.valueOf(s.batchSize())));
        row(3, "training.epochs", value(String.valueOf(s.epochs())));
        row(4, "training.optimizer", value(s.optimizer().describe()));
        row(5, "training.loss", value(s.loss()));
        row(6, "training.seed", value(s.seed() + (s.shuffle() ? "" : " · " + I18n.text("training.noShuffle"))));
        row(7, "training.device", device);
    }

    private void row(int r, String key, Label value) {
        Label k = new Label(I18n.text(key));
        k.getStyleClass().add("training-key");
        value.getStyleClass().add("training-value");
        settings.addRow(r, k, value);
    }

    private static Label value(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }

    static String transforms(TrainingSettings s) {
        List<String> parts = new ArrayList<>();
        for (TrainingSettings.Transform t : s.transforms()) {
            if (t instanceof TrainingSettings.Pad p) {
                parts.add("Pad(" + p.padding() + ")");
            } else if (t instanceof TrainingSettings.Normalize n) {
                parts.add("Normalize(" + Repr.py(n.mean()) + ", " + Repr.py(n.std()) + ")");
            }
        }
        return parts.isEmpty() ? "—" : String.join(", ", parts);
    }

    /** A learning rate as the user would type it: {@code 0.001}, {@code 1e-05}. */
    static String lr(double v) {
        return Repr.py(v);
    }
}
