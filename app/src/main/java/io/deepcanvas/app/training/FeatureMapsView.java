package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.data.Mnist;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * For a chosen test image, the feature maps each convolution produces (one small image per output channel, in the
 * filters' diverging colour map: what the layer's kernels found where) and the trained network's class
 * probabilities. ◀ ▶ step through the test set, Random picks any image. The network runs on a worker thread; the
 * FX thread only draws the result.
 */
public final class FeatureMapsView extends VBox {
    private static final double IMAGE = 112;
    private static final double CELL = 56;
    private static final double GAP = 6;

    private final ObservableValue<TrainedNetwork> network;
    private final Label caption = new Label();
    private final Label empty = new Label();
    private final Canvas input = new Canvas(IMAGE, IMAGE);
    private final Canvas bars = new Canvas(150, 10 * 16);
    private final VBox layers = new VBox(10);
    private final VBox left = new VBox(6);
    /** The image, its probabilities and the maps scroll together: a low dock shows them all, a scroll away. */
    private final ScrollPane scroll = new ScrollPane(new HBox(left, layers));
    private final Button previous = new Button("◀");
    private final Button next = new Button("▶");
    private final Button random = new Button();
    /** One worker, gone when idle: a closed window leaves no thread behind. */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "deepcanvas-feature-maps");
                t.setDaemon(true);
                t.setPriority(Thread.NORM_PRIORITY - 1);
                return t;
            });
    private final AtomicLong generation = new AtomicLong();
    private final Random randomImages = new Random();
    /** The raw test set, read once by the worker. */
    private volatile Mnist testSet;
    private int index;
    private FeatureMaps shown;
    /** Whether the shown maps are for the current network and image. */
    private boolean current;

    public FeatureMapsView(ObservableValue<TrainedNetwork> network) {
        this.network = network;
        setId("featureMaps");
        worker.allowCoreThreadTimeOut(true);
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().addAll("chart-view", "feature-maps");
        Label title = new Label();
        title.textProperty().bind(I18n.bind("featureMaps.title"));
        title.getStyleClass().add("chart-title");
        caption.setId("featureMapsCaption");
        caption.getStyleClass().add("chart-readout");
        previous.setId("featureMapsPrevious");
        next.setId("featureMapsNext");
        random.setId("featureMapsRandom");
        random.textProperty().bind(I18n.bind("featureMaps.random"));
        previous.setOnAction(e -> showImage(index - 1));
        next.setOnAction(e -> showImage(index + 1));
        random.setOnAction(e -> showImage(randomImages.nextInt(testSet == null ? 10_000 : testSet.size())));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        for (Button b : new Button[]{previous, next, random}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        title.setMinWidth(Region.USE_PREF_SIZE);
        HBox header = new HBox(10, title, spacer, previous, next, random);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("chart-header");
        caption.setWrapText(true);
        caption.setMaxWidth(150);
        caption.setMinHeight(Region.USE_PREF_SIZE);
        left.getChildren().addAll(input, caption, bars);
        left.setPadding(new Insets(4, 8, 4, 4));
        left.setMinWidth(Region.USE_PREF_SIZE);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("filter-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        empty.getStyleClass().add("chart-empty");
        empty.setWrapText(true);
        StackPane content = new StackPane(scroll, empty);
        VBox.setVgrow(content, Priority.ALWAYS);
        getChildren().addAll(header, content);
        update();
    }

    private void initListeners() {
        network.addListener((o, a, b) -> {
            current = false;
            refresh();
        });
        scroll.viewportBoundsProperty().addListener((o, a, b) -> {
            if (shown != null && Math.abs(a.getWidth() - b.getWidth()) > 1) {
                drawLayers(shown);
            }
        });
        I18n.onChange(this, () -> update());
    }

    /** Shows test image {@code i} (wrapping around the test set). */
    public void showImage(int i) {
        int n = testSet == null ? 10_000 : testSet.size();
        index = Math.floorMod(i, n);
        current = false;
        refresh();
    }

    /** Computes the maps for the current network and image if they show and are not current. */
    void refresh() {
        update();
        TrainedNetwork net = network.getValue();
        if (net == null || current || !ChartView.showing(this)) {
            return;
        }
        current = true;
        long gen = generation.incrementAndGet();
        int at = index;
        worker.execute(() -> {
            FeatureMaps maps;
            String error = null;
            try {
                if (testSet == null) {
                    testSet = new Mnist(Mnist.sampleDataFolder(), false);
                }
                maps = FeatureMaps.of(net, testSet, Math.floorMod(at, testSet.size()));
            } catch (RuntimeException e) {
                maps = null;
                error = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            FeatureMaps result = maps;
            String why = error;
            Platform.runLater(() -> {
                if (gen == generation.get()) {
                    show(result, why);
                }
            });
        });
    }

    private void update() {
        boolean none = network.getValue() == null;
        empty.setText(I18n.text("featureMaps.empty"));
        empty.setVisible(none);
        previous.setDisable(none);
        next.setDisable(none);
        random.setDisable(none);
        if (none) {
            caption.setText("");
        } else if (shown != null) {
            showCaption(shown);
        }
    }

    private void show(FeatureMaps maps, String error) {
        shown = maps;
        if (maps == null) {
            caption.setText(I18n.text("featureMaps.failed", error));
            layers.getChildren().clear();
            return;
        }
        showCaption(maps);
        drawInput(maps);
        drawBars(maps);
        drawLayers(maps);
    }

    private void showCaption(FeatureMaps maps) {
        int p = maps.predicted();
        caption.setText(p < 0 ? I18n.text("featureMaps.captionNoClasses", maps.index() + 1, maps.label())
                : I18n.text("featureMaps.caption", maps.index() + 1, maps.label(), p,
                TrainingViewModel.percent(maps.probabilities()[p])));
        caption.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("wrong"), p >= 0
                && p != maps.label());
    }

    private void drawInput(FeatureMaps maps) {
        GraphicsContext g = input.getGraphicsContext2D();
        int side = (int) Math.round(Math.sqrt(maps.image().length));
        double px = IMAGE / side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                g.setFill(Color.gray(1 - maps.image()[y * side + x]));
                g.fillRect(x * px, y * px, Math.ceil(px), Math.ceil(px));
            }
        }
        g.setStroke(Color.web("#d0d7de"));
        g.strokeRect(0.5, 0.5, IMAGE - 1, IMAGE - 1);
    }

    private void drawBars(FeatureMaps maps) {
        GraphicsContext g = bars.getGraphicsContext2D();
        g.clearRect(0, 0, bars.getWidth(), bars.getHeight());
        float[] p = maps.probabilities();
        if (p == null) {
            return;
        }
        int best = maps.predicted();
        g.setFont(Font.font(Font.getDefault().getFamily(), 11));
        g.setTextBaseline(VPos.CENTER);
        for (int c = 0; c < p.length; c++) {
            double y = c * 16;
            g.setFill(Plot.MUTED);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.valueOf(c), 0, y + 8);
            g.setFill(Plot.GRID);
            g.fillRect(14, y + 3, 90, 10);
            g.setFill(c == best ? (best == maps.label() ? Plot.GREEN : Plot.RED) : Plot.BLUE.deriveColor(0, 0.6,
                    1.2, 0.8));
            g.fillRect(14, y + 3, 90 * Math.max(0, Math.min(1, p[c])), 10);
            g.setFill(Plot.FG);
            g.fillText(TrainingViewModel.probability(p[c]), 108, y + 8);
        }
    }

    private void drawLayers(FeatureMaps maps) {
        layers.getChildren().clear();
        double width = Math.max(100, scroll.getViewportBounds().getWidth() - left.prefWidth(-1) - 16);
        for (FeatureMaps.Layer l : maps.layers()) {
            Label name = new Label(I18n.text("featureMaps.layer", l.name(), l.channels(), l.height(), l.width(),
                    String.format(Locale.ROOT, "%.3g", l.scale())));
            name.getStyleClass().add("filter-caption");
            Canvas c = drawLayer(l, width);
            VBox section = new VBox(4, name, c);
            section.setId("featureMaps-" + l.name());
            section.getStyleClass().add("filter-section");
            layers.getChildren().add(section);
        }
        if (maps.layers().isEmpty()) {
            Label none = new Label(I18n.text("featureMaps.noConv"));
            none.getStyleClass().add("hint");
            layers.getChildren().add(none);
        }
    }

    private static Canvas drawLayer(FeatureMaps.Layer l, double width) {
        double px = Math.max(1, Math.floor(CELL / Math.max(l.height(), l.width())));
        double cellW = l.width() * px;
        double cellH = l.height() * px;
        int perRow = Math.max(1, (int) ((width + GAP) / (cellW + GAP)));
        int rows = (l.channels() + perRow - 1) / perRow;
        Canvas c = new Canvas(Math.min(width, perRow * (cellW + GAP)), rows * (cellH + GAP));
        GraphicsContext g = c.getGraphicsContext2D();
        int plane = l.height() * l.width();
        for (int ch = 0; ch < l.channels(); ch++) {
            double cx = (ch % perRow) * (cellW + GAP);
            double cy = (ch / perRow) * (cellH + GAP);
            g.setFill(Color.web("#d0d7de"));
            g.fillRect(cx - 1, cy - 1, cellW + 2, cellH + 2);
            for (int y = 0; y < l.height(); y++) {
                for (int x = 0; x < l.width(); x++) {
                    g.setFill(FilterGalleryView.color(l.values()[ch * plane + y * l.width() + x], l.scale()));
                    g.fillRect(cx + x * px, cy + y * px, px, px);
                }
            }
        }
        return c;
    }

    /** The maps shown, or null (tests). */
    public FeatureMaps shown() {
        return shown;
    }

    /** The shown test image's index. */
    public int index() {
        return index;
    }
}
