package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.train.TrainingEvent.FilterSnapshot;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;
import javafx.scene.shape.Rectangle;

/**
 * Every Conv2d layer's kernels as small images in a diverging colour map — blue below zero, white at zero, red
 * above, symmetric around zero with the layer's largest |weight| at full colour — refreshed from the runner's
 * filter copies as training runs. Each output channel is one cell; its input channels' kernels sit in a small grid
 * inside the cell.
 */
public final class FilterGalleryView extends VBox {
    /** Colour stops of the map (ColorBrewer's RdBu, reversed): −1 … +1. */
    private static final Color[] MAP = {Color.web("#2166ac"), Color.web("#92c5de"), Color.web("#f7f7f7"),
            Color.web("#f4a582"), Color.web("#b2182b")};
    private static final double CELL = 56;
    private static final double GAP = 8;

    private final TrainingViewModel vm;
    private final VBox sections = new VBox(10);
    private final Label empty = new Label();
    private final Label step = ChartView.readout("filtersStep");
    private final Map<String, Section> byParameter = new LinkedHashMap<>();
    private final ScrollPane scroll = new ScrollPane(sections);
    private long redraws;

    /** One layer: a caption and the canvas of its kernels. */
    private final class Section extends VBox {
        final Label caption = new Label();
        final Canvas canvas = new Canvas();
        FilterSnapshot snapshot;
        FilterSnapshot drawn;
        double drawnWidth;

        Section(String parameter) {
            setId("filters-" + TrainingViewModel.layerOf(parameter));
            getStyleClass().add("filter-section");
            caption.getStyleClass().add("filter-caption");
            getChildren().addAll(caption, canvas);
        }

        void redrawIfChanged(double width) {
            if (snapshot == null || (snapshot == drawn && width == drawnWidth)) {
                return;
            }
            drawn = snapshot;
            drawnWidth = width;
            redraws++;
            draw(width);
        }

        private void draw(double width) {
            FilterSnapshot s = snapshot;
            int out = s.shape().dim(0);
            int in = s.shape().dim(1);
            int kh = s.shape().dim(2);
            int kw = s.shape().dim(3);
            float[] w = s.weights();
            double scale = 0;
            for (float v : w) {
                if (Float.isFinite(v)) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            int gridCols = (int) Math.ceil(Math.sqrt(in));
            int gridRows = (in + gridCols - 1) / gridCols;
            double px = Math.max(2, Math.min(12, Math.floor(CELL / Math.max(gridCols * kw, gridRows * kh))));
            double inner = 1;
            double cellW = gridCols * kw * px + (gridCols - 1) * inner;
            double cellH = gridRows * kh * px + (gridRows - 1) * inner;
            int perRow = Math.max(1, (int) ((width + GAP) / (cellW + GAP)));
            int rows = (out + perRow - 1) / perRow;
            canvas.setWidth(Math.max(1, Math.min(width, perRow * (cellW + GAP))));
            canvas.setHeight(rows * (cellH + GAP));
            GraphicsContext g = canvas.getGraphicsContext2D();
            g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            for (int o = 0; o < out; o++) {
                double cx = (o % perRow) * (cellW + GAP);
                double cy = (o / perRow) * (cellH + GAP);
                g.setFill(Color.web("#d0d7de"));
                g.fillRect(cx - 1, cy - 1, cellW + 2, cellH + 2);
                for (int c = 0; c < in; c++) {
                    double kx = cx + (c % gridCols) * (kw * px + inner);
                    double ky = cy + (c / gridCols) * (kh * px + inner);
                    int base = ((o * in) + c) * kh * kw;
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            g.setFill(color(w[base + y * kw + x], scale));
                            g.fillRect(kx + x * px, ky + y * px, px, px);
                        }
                    }
                }
            }
            caption.setText(I18n.text("filters.caption", TrainingViewModel.layerOf(s.parameter()), out, in, kh, kw,
                    String.format(Locale.ROOT, "%.3g", scale)));
        }
    }

    public FilterGalleryView(TrainingViewModel vm) {
        this.vm = vm;
        setId("filterGallery");
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().addAll("chart-view", "filter-gallery");
        Label title = new Label();
        title.textProperty().bind(I18n.bind("filters.title"));
        title.getStyleClass().add("chart-title");
        Rectangle bar = new Rectangle(90, 8, new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE,
                new Stop(0, MAP[0]), new Stop(0.25, MAP[1]), new Stop(0.5, MAP[2]), new Stop(0.75, MAP[3]),
                new Stop(1, MAP[4])));
        bar.setStroke(Color.web("#d0d7de"));
        Label minus = new Label("−");
        Label plus = new Label("+");
        StackPane scaleBar = new StackPane(bar);
        HBox colourKey = new HBox(4, minus, scaleBar, plus);
        colourKey.setAlignment(Pos.CENTER);
        colourKey.getStyleClass().add("chart-legend-item");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(14, title, step, spacer, colourKey);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("chart-header");
        sections.getStyleClass().add("filter-sections");
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("filter-scroll");
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        empty.getStyleClass().add("chart-empty");
        StackPane content = new StackPane(scroll, empty);
        VBox.setVgrow(content, Priority.ALWAYS);
        getChildren().addAll(header, content);
        updateEmpty();
    }

    private void initListeners() {
        vm.revisionProperty().addListener((o, a, b) -> refresh());
        vm.filters().addListener((javafx.collections.MapChangeListener<String, FilterSnapshot>) c -> {
            if (c.wasAdded()) {
                byParameter.computeIfAbsent(c.getKey(), k -> {
                    Section s = new Section(k);
                    sections.getChildren().add(s);
                    return s;
                }).snapshot = c.getValueAdded();
            } else if (c.wasRemoved() && !vm.filters().containsKey(c.getKey())) {
                Section s = byParameter.remove(c.getKey());
                sections.getChildren().remove(s);
            }
        });
        scroll.viewportBoundsProperty().addListener((o, a, b) -> refresh());
        vm.runningProperty().addListener((o, a, b) -> updateEmpty());
        I18n.onChange(this, () -> {
            byParameter.values().forEach(s -> s.drawn = null);
            updateEmpty();
            refresh();
        });
    }

    private void updateEmpty() {
        empty.setText(I18n.text(vm.runningProperty().get() ? "filters.waiting" : "filters.empty"));
        empty.setVisible(byParameter.isEmpty());
    }

    /** Redraws the layers whose weights changed, if the gallery shows. */
    void refresh() {
        updateEmpty();
        if (!ChartView.showing(this)) {
            return;
        }
        double width = Math.max(100, scroll.getViewportBounds().getWidth() - 16);
        for (Section s : byParameter.values()) {
            s.redrawIfChanged(width);
        }
        FilterSnapshot any = byParameter.values().stream().map(s -> s.snapshot).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        step.setText(any == null ? "" : I18n.text("filters.step", any.step()));
    }

    /** How many layers show kernels. */
    public int layerCount() {
        return byParameter.size();
    }

    /** How often a layer's kernels were drawn (tests). */
    public long redraws() {
        return redraws;
    }

    /** The diverging colour of weight {@code v} where ±{@code scale} is full colour; black for NaN. */
    static Color color(double v, double scale) {
        if (!Double.isFinite(v)) {
            return Color.BLACK;
        }
        double t = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
        double pos = (t + 1) * 2; // 0..4 over the five stops
        int i = Math.min(3, (int) Math.floor(pos));
        return MAP[i].interpolate(MAP[i + 1], pos - i);
    }
}
