package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WeakChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;
import javafx.util.Duration;

/**
 * A drawing pad: draw a digit with the mouse and watch the trained network's class probabilities change as you
 * draw, beside the 28×28 image the network actually sees. Right-click or Clear wipes the pad. Predictions run on
 * a background thread (latest drawing wins), at most {@value #MAX_RATE_HZ} times a second.
 */
public final class DigitPadView extends HBox {
    static final int PAD = 280;
    static final double BRUSH = 20;
    static final int MAX_RATE_HZ = 20;
    private static final int PREVIEW_SCALE = 4;
    private static final PseudoClass TOP = PseudoClass.getPseudoClass("top");
    private static final PseudoClass NO_NETWORK = PseudoClass.getPseudoClass("no-network");

    private final ObservableValue<TrainedNetwork> network;
    private final DigitPadRaster raster = new DigitPadRaster(PAD, PAD);
    private final Canvas pad = new Canvas(PAD, PAD);
    private final Canvas preview = new Canvas(DigitPadPreprocessor.SIZE * PREVIEW_SCALE,
            DigitPadPreprocessor.SIZE * PREVIEW_SCALE);
    private final Button clear = new Button();
    private final Label hint = new Label();
    private final Label status = new Label();
    private final VBox bars = new VBox();
    private final List<ProgressBar> barList = new ArrayList<>();
    private final List<Label> percentList = new ArrayList<>();
    private final List<HBox> rowList = new ArrayList<>();
    private final PauseTransition throttle = new PauseTransition();
    private final DigitPadPredictor predictor = new DigitPadPredictor(Platform::runLater, this::show);
    private double lastX;
    private double lastY;
    private long lastRequestNanos;
    private boolean scheduled;
    private DigitPadPredictor.Prediction last;
    private final ChangeListener<Locale> localeListener = (obs, old, now) -> updateTexts();

    public DigitPadView(ObservableValue<TrainedNetwork> network) {
        this.network = network;
        createView();
        initListeners();
        updateNetwork();
    }

    private void createView() {
        getStyleClass().add("digit-pad");
        pad.setId("digitPad");
        pad.getStyleClass().add("digit-pad-canvas");
        paintBlank();
        StackPane frame = new StackPane(pad);
        frame.getStyleClass().add("digit-pad-frame");
        frame.setMaxSize(PAD, PAD);
        clear.setId("clearPad");
        clear.textProperty().bind(I18n.bind("digitPad.clear"));
        hint.setId("digitPadHint");
        hint.getStyleClass().add("digit-pad-hint");
        hint.setWrapText(true);
        hint.setMaxWidth(PAD);
        VBox left = new VBox(6, frame, new HBox(8, clear), hint);
        left.getStyleClass().add("digit-pad-left");

        preview.setId("digitPreview");
        paintPreview(null);
        Label previewTitle = new Label();
        previewTitle.textProperty().bind(I18n.bind("digitPad.preview"));
        previewTitle.getStyleClass().add("digit-pad-caption");
        previewTitle.setWrapText(true);
        StackPane previewFrame = new StackPane(preview);
        previewFrame.getStyleClass().add("digit-pad-preview");
        previewFrame.setMaxSize(preview.getWidth(), preview.getHeight());

        bars.setId("digitProbabilities");
        bars.getStyleClass().add("digit-probabilities");
        for (int d = 0; d < 10; d++) {
            Label digit = new Label(Integer.toString(d));
            digit.getStyleClass().add("digit-probability-class");
            ProgressBar bar = new ProgressBar(0);
            bar.setId("digitProbability" + d);
            bar.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(bar, Priority.ALWAYS);
            Label percent = new Label();
            percent.getStyleClass().add("digit-probability-value");
            HBox row = new HBox(6, digit, bar, percent);
            row.setAlignment(Pos.CENTER_LEFT);
            row.getStyleClass().add("digit-probability");
            barList.add(bar);
            percentList.add(percent);
            rowList.add(row);
            bars.getChildren().add(row);
        }
        Label barsTitle = new Label();
        barsTitle.textProperty().bind(I18n.bind("digitPad.probabilities"));
        barsTitle.getStyleClass().add("digit-pad-caption");
        status.setId("digitPadStatus");
        status.getStyleClass().add("digit-pad-status");
        status.setWrapText(true);
        // the preview and the bars side by side: the dock under the canvas is wider than it is tall
        VBox seen = new VBox(6, previewTitle, previewFrame, status);
        seen.setMaxWidth(Math.max(140, preview.getWidth() + 20));
        VBox guesses = new VBox(6, barsTitle, bars);
        HBox.setHgrow(guesses, Priority.ALWAYS);
        HBox right = new HBox(16, seen, guesses);
        right.getStyleClass().add("digit-pad-right");
        // narrow enough that the pad, the preview and the bars fit the dock's tab at the window's default size
        right.setMinWidth(270);
        HBox.setHgrow(right, Priority.ALWAYS);
        setSpacing(16);
        getChildren().addAll(left, right);
    }

    private void initListeners() {
        pad.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            if (e.getButton() == MouseButton.SECONDARY) {
                clear();
            } else if (e.getButton() == MouseButton.PRIMARY) {
                lastX = e.getX();
                lastY = e.getY();
                strokeTo(e.getX(), e.getY());
            }
            e.consume();
        });
        pad.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (e.isPrimaryButtonDown()) {
                strokeTo(e.getX(), e.getY());
            }
            e.consume();
        });
        // the last segment is shown at once, not up to 50 ms later
        pad.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                requestNow();
            }
        });
        clear.setOnAction(e -> clear());
        throttle.setOnFinished(e -> {
            scheduled = false;
            requestNow();
        });
        network.addListener((obs, old, now) -> updateNetwork());
        // weak: the language outlives a pad that was closed
        I18n.localeProperty().addListener(new WeakChangeListener<>(localeListener));
        sceneProperty().addListener((obs, old, now) -> {
            if (now == null) {
                throttle.stop();
            }
        });
    }

    /** Draws from the last point to (x, y) on the canvas and in the raster, then asks for a prediction. */
    private void strokeTo(double x, double y) {
        GraphicsContext g = pad.getGraphicsContext2D();
        g.setStroke(Color.BLACK);
        g.setFill(Color.BLACK);
        g.setLineWidth(BRUSH);
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        if (x == lastX && y == lastY) {
            g.fillOval(x - BRUSH / 2, y - BRUSH / 2, BRUSH, BRUSH);
        } else {
            g.strokeLine(lastX, lastY, x, y);
        }
        raster.stroke(lastX, lastY, x, y, BRUSH);
        lastX = x;
        lastY = y;
        requestSoon();
    }

    /** At most {@value #MAX_RATE_HZ} requests a second: a change within the interval is sent when it ends. */
    private void requestSoon() {
        if (scheduled) {
            return;
        }
        long waitNanos = 1_000_000_000L / MAX_RATE_HZ - (System.nanoTime() - lastRequestNanos);
        if (waitNanos <= 0) {
            requestNow();
        } else {
            scheduled = true;
            throttle.setDuration(Duration.millis(waitNanos / 1e6));
            throttle.playFromStart();
        }
    }

    private void requestNow() {
        throttle.stop();
        scheduled = false;
        lastRequestNanos = System.nanoTime();
        if (!raster.isEmpty()) {
            predictor.request(raster.snapshot(), PAD, PAD, network.getValue());
        }
    }

    /** Wipes the pad, the preview and the bars. */
    public void clear() {
        throttle.stop();
        scheduled = false;
        predictor.forget();
        raster.clear();
        paintBlank();
        show(new DigitPadPredictor.Prediction(null, null, null));
    }

    private void show(DigitPadPredictor.Prediction p) {
        last = p;
        paintPreview(p.image());
        float[] probs = p.probabilities();
        int top = p.top();
        for (int d = 0; d < 10; d++) {
            double v = probs == null ? 0 : probs[d];
            barList.get(d).setProgress(v);
            percentList.get(d).setText(probs == null ? "" : TrainingViewModel.probability(v));
            rowList.get(d).pseudoClassStateChanged(TOP, d == top);
        }
        updateTexts();
    }

    private void updateNetwork() {
        boolean none = network.getValue() == null;
        bars.pseudoClassStateChanged(NO_NETWORK, none);
        bars.setDisable(none);
        updateTexts();
        if (!raster.isEmpty()) {
            requestNow();
        }
    }

    private void updateTexts() {
        TrainedNetwork net = network.getValue();
        hint.setText(I18n.text(net == null ? "digitPad.hint.train" : "digitPad.hint.draw"));
        DigitPadPredictor.Prediction p = last;
        if (p != null && p.error() != null) {
            status.setText(I18n.text("digitPad.error", p.error()));
        } else if (p != null && p.probabilities() != null) {
            status.setText(I18n.text("digitPad.prediction", p.top(),
                    TrainingViewModel.probability(p.probabilities()[p.top()])));
        } else if (net != null) {
            // weights read with a project do not say how long they trained
            status.setText(net.steps() > 0 ? I18n.text("digitPad.network", net.projectName(), net.steps())
                    : I18n.text("digitPad.networkSaved", net.projectName()));
        } else {
            status.setText("");
        }
    }

    private void paintBlank() {
        GraphicsContext g = pad.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, PAD, PAD);
    }

    /** The 28×28 image as the network sees it (ink light on dark, like MNIST), one square per pixel. */
    private void paintPreview(float[] image) {
        GraphicsContext g = preview.getGraphicsContext2D();
        g.setFill(Color.BLACK);
        g.fillRect(0, 0, preview.getWidth(), preview.getHeight());
        if (image == null) {
            return;
        }
        int n = DigitPadPreprocessor.SIZE;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float v = image[y * n + x];
                if (v > 0) {
                    g.setFill(Color.gray(Math.min(1, v)));
                    g.fillRect(x * PREVIEW_SCALE, y * PREVIEW_SCALE, PREVIEW_SCALE, PREVIEW_SCALE);
                }
            }
        }
    }

    /** The last prediction shown (null before the first), for tests and the lead's wiring. */
    DigitPadPredictor.Prediction lastPrediction() {
        return last;
    }

    /** Stops the prediction thread; the view is not used after this. */
    public void dispose() {
        throttle.stop();
        predictor.shutdown();
    }
}
