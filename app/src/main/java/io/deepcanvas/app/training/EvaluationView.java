package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.train.Evaluation;
import java.util.Locale;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * The evaluation tab: Evaluate, the accuracy and loss, each digit's accuracy as a bar, the confusion matrix (rows:
 * actual digit, columns: predicted; cells shaded by count, the diagonal green, mistakes red) and, for a clicked
 * cell, its images with their most probable classes.
 */
public final class EvaluationView extends HBox {
    static final double CELL = 26;
    static final double MARGIN = 22;
    private static final double BAR = 90;
    private static final Color RIGHT = Color.web("#1a7f37");
    private static final Color WRONG = Color.web("#cf222e");

    private final EvaluationViewModel vm;
    private final Button evaluate = new Button();
    private final Label summary = new Label();
    private final VBox perClass = new VBox(2);
    private final Canvas matrix = new Canvas();
    private final Label cellCaption = new Label();
    private final FlowPane thumbnails = new FlowPane(6, 6);
    private final javafx.beans.value.ChangeListener<Locale> localeListener = (o, a, b) -> showCaption();

    public EvaluationView(EvaluationViewModel vm) {
        this.vm = vm;
        createView();
        initListeners();
        redraw();
    }

    private void createView() {
        setId("evaluationView");
        getStyleClass().add("evaluation-view");
        evaluate.setId("evaluate");
        evaluate.textProperty().bind(I18n.bind("evaluation.evaluate"));
        evaluate.disableProperty().bind(vm.canEvaluateProperty().not());
        evaluate.setOnAction(e -> vm.evaluate());
        summary.setId("evaluationSummary");
        summary.setWrapText(true);
        summary.getStyleClass().add("evaluation-summary");
        summary.textProperty().bind(vm.messageProperty());
        perClass.setId("perClassAccuracy");
        Label perClassTitle = new Label();
        perClassTitle.textProperty().bind(I18n.bind("evaluation.perClass"));
        perClassTitle.getStyleClass().add("evaluation-heading");
        VBox left = new VBox(8, evaluate, summary, perClassTitle, perClass);
        left.setPrefWidth(210);
        left.setMinWidth(180);

        matrix.setId("confusionMatrix");
        matrix.setOnMouseClicked(e -> {
            int[] c = cellAt(e.getX(), e.getY());
            if (c != null) {
                vm.openCell(c[0], c[1]);
            }
        });
        Label matrixTitle = new Label();
        matrixTitle.textProperty().bind(I18n.bind("evaluation.confusion"));
        matrixTitle.getStyleClass().add("evaluation-heading");
        // wraps over the matrix's width rather than ending in "…" (the Portuguese and Spanish titles are longer)
        matrixTitle.setWrapText(true);
        matrixTitle.maxWidthProperty().bind(matrix.widthProperty());
        matrixTitle.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox middle = new VBox(4, matrixTitle, matrix);

        cellCaption.setId("evaluationCell");
        cellCaption.getStyleClass().add("evaluation-heading");
        cellCaption.setWrapText(true);
        thumbnails.setId("evaluationGallery");
        thumbnails.getStyleClass().add("evaluation-gallery");
        ScrollPane scroll = new ScrollPane(thumbnails);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("evaluation-scroll");
        VBox right = new VBox(4, cellCaption, scroll);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        getChildren().addAll(left, middle, right);
    }

    private void initListeners() {
        vm.resultProperty().addListener((o, a, b) -> redraw());
        vm.cellProperty().addListener((o, a, b) -> {
            showCaption();
            drawMatrix();
        });
        vm.gallery().addListener((javafx.collections.ListChangeListener<EvaluationViewModel.CellImage>) c ->
                showGallery());
        I18n.localeProperty().addListener(new javafx.beans.value.WeakChangeListener<>(localeListener));
        showCaption();
    }

    private void showCaption() {
        EvaluationViewModel.Cell c = vm.cellProperty().get();
        cellCaption.setText(c == null ? I18n.text("evaluation.pickCell")
                : c.count() > EvaluationViewModel.GALLERY_LIMIT
                ? I18n.text("evaluation.cell.first", c.actual(), c.predicted(), c.count(),
                EvaluationViewModel.GALLERY_LIMIT)
                : I18n.text("evaluation.cell", c.actual(), c.predicted(), c.count()));
    }

    private void redraw() {
        perClass.getChildren().clear();
        EvaluationViewModel.Result r = vm.resultProperty().get();
        if (r != null) {
            Evaluation e = r.evaluation();
            for (int c = 0; c < e.numClasses(); c++) {
                perClass.getChildren().add(classRow(c, e.classAccuracy(c)));
            }
        }
        drawMatrix();
        showGallery();
    }

    private static HBox classRow(int label, double accuracy) {
        Label digit = new Label(Integer.toString(label));
        digit.setMinWidth(14);
        Rectangle back = new Rectangle(BAR, 8, Color.web("#d0d7de"));
        Rectangle bar = new Rectangle(Double.isNaN(accuracy) ? 0 : BAR * accuracy, 8, RIGHT);
        StackPane bars = new StackPane(back, bar);
        StackPane.setAlignment(bar, Pos.CENTER_LEFT);
        Label value = new Label(TrainingViewModel.percent(accuracy));
        value.getStyleClass().add("evaluation-value");
        HBox row = new HBox(6, digit, bars, value);
        row.setId("classAccuracy-" + label);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private void drawMatrix() {
        EvaluationViewModel.Result r = vm.resultProperty().get();
        int n = r == null ? 10 : r.evaluation().numClasses();
        double size = MARGIN + n * CELL;
        matrix.setWidth(size);
        matrix.setHeight(size);
        GraphicsContext g = matrix.getGraphicsContext2D();
        g.clearRect(0, 0, size, size);
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.setFill(Color.web("#57606a"));
        for (int i = 0; i < n; i++) {
            g.fillText(Integer.toString(i), MARGIN + (i + 0.5) * CELL, MARGIN / 2);
            g.fillText(Integer.toString(i), MARGIN / 2, MARGIN + (i + 0.5) * CELL);
        }
        int[][] m = r == null ? new int[n][n] : r.evaluation().confusion();
        int max = 1;
        for (int[] row : m) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        EvaluationViewModel.Cell open = vm.cellProperty().get();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double x = MARGIN + b * CELL, y = MARGIN + a * CELL;
                int v = m[a][b];
                // a square root keeps the few mistakes visible beside the diagonal's hundreds
                double t = v == 0 ? 0 : 0.12 + 0.88 * Math.sqrt((double) v / max);
                Color base = a == b ? RIGHT : WRONG;
                g.setFill(v == 0 ? Color.web("#f6f8fa") : Color.WHITE.interpolate(base, t));
                g.fillRect(x, y, CELL - 1, CELL - 1);
                if (v > 0) {
                    g.setFill(t > 0.55 ? Color.WHITE : Color.web("#24292f"));
                    g.fillText(Integer.toString(v), x + CELL / 2, y + CELL / 2);
                }
            }
        }
        if (open != null) {
            g.setStroke(Color.web("#0969da"));
            g.setLineWidth(2);
            g.strokeRect(MARGIN + open.predicted() * CELL, MARGIN + open.actual() * CELL, CELL - 1, CELL - 1);
        }
    }

    /** The cell {actual, predicted} under a point of the matrix canvas, or null. */
    private int[] cellAt(double x, double y) {
        EvaluationViewModel.Result r = vm.resultProperty().get();
        if (r == null || x < MARGIN || y < MARGIN) {
            return null;
        }
        int n = r.evaluation().numClasses();
        int b = (int) ((x - MARGIN) / CELL), a = (int) ((y - MARGIN) / CELL);
        return a < n && b < n ? new int[] {a, b} : null;
    }

    /** The screen point at the centre of cell (actual {@code a}, predicted {@code b}), for tests. */
    public Point2D cellOnScreen(int a, int b) {
        return matrix.localToScreen(MARGIN + (b + 0.5) * CELL, MARGIN + (a + 0.5) * CELL);
    }

    private void showGallery() {
        thumbnails.getChildren().clear();
        for (EvaluationViewModel.CellImage image : vm.gallery()) {
            thumbnails.getChildren().add(thumbnail(image));
        }
    }

    private static VBox thumbnail(EvaluationViewModel.CellImage image) {
        WritableImage img = new WritableImage(image.width(), image.height());
        int[] argb = new int[image.pixels().length];
        for (int i = 0; i < argb.length; i++) {
            // MNIST is white on black; shown as ink on paper
            int v = 255 - (image.pixels()[i] & 0xFF);
            argb[i] = 0xFF000000 | v << 16 | v << 8 | v;
        }
        img.getPixelWriter().setPixels(0, 0, image.width(), image.height(), PixelFormat.getIntArgbInstance(), argb,
                0, image.width());
        ImageView view = new ImageView(img);
        view.setFitWidth(image.width() * 2);
        view.setFitHeight(image.height() * 2);
        view.setSmooth(false);
        VBox box = new VBox(2, view);
        for (var guess : image.top()) {
            Label l = new Label(String.format(Locale.ROOT, "%d  %.1f%%", guess.label(), 100 * guess.probability()));
            l.getStyleClass().add(guess.label() == image.actual() ? "evaluation-guess-right"
                    : "evaluation-guess");
            box.getChildren().add(l);
        }
        box.setId("evaluationImage-" + image.index());
        box.getStyleClass().add("evaluation-thumbnail");
        box.setAlignment(Pos.TOP_CENTER);
        return box;
    }

    /** How many images the gallery shows. */
    public int thumbnailCount() {
        return thumbnails.getChildren().size();
    }

    public EvaluationViewModel viewModel() {
        return vm;
    }
}
