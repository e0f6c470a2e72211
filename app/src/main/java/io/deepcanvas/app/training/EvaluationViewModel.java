package io.deepcanvas.app.training;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Subset;
import io.deepcanvas.engine.io.TrainingSettings;
import io.deepcanvas.engine.train.Evaluation;
import io.deepcanvas.engine.train.Evaluator;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The evaluation tab's view-model: evaluates the trained network on the MNIST test set — accuracy, loss, per-class
 * accuracy and the confusion matrix, from the engine's {@link Evaluator} — and opens a cell of the matrix as its
 * images, each with its most probable classes. All of it runs on one background thread; results come back through
 * {@code fx} (the FX thread in the app). A run that ends evaluates its network by itself.
 */
public final class EvaluationViewModel {
    /** Images shown for one cell of the confusion matrix. */
    public static final int GALLERY_LIMIT = 60;
    /** Classes listed under each image. */
    public static final int TOP = 3;
    static final int BATCH = 1000;

    /** One image of a cell: the test set's {@code index}, its raw 28×28 grey levels and its top guesses. */
    public record CellImage(int index, int actual, int predicted, byte[] pixels, int width, int height,
                            List<Predictions.Guess> top) {
    }

    /** A cell of the confusion matrix: the images of digit {@code actual} predicted as {@code predicted}. */
    public record Cell(int actual, int predicted, int count) {
    }

    /**
     * What one evaluation found, for the network it was made with; {@code pixels} holds the evaluated images' raw
     * grey levels, {@code width × height} each, for the gallery.
     */
    public record Result(TrainedNetwork network, Evaluation evaluation, Predictions predictions, byte[] pixels,
                         int width, int height) {
    }

    private final TrainingViewModel training;
    private final Executor fx;
    /** One thread, in order; it ends when idle, so a closed window leaves none behind. */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "deepcanvas-evaluation");
                t.setDaemon(true);
                t.setPriority(Thread.NORM_PRIORITY - 1);
                return t;
            });
    private final ReadOnlyBooleanWrapper evaluating = new ReadOnlyBooleanWrapper(this, "evaluating");
    private final ReadOnlyObjectWrapper<Result> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyObjectWrapper<Cell> cell = new ReadOnlyObjectWrapper<>(this, "cell");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    /** The message in the current language: it is written again when the language changes. */
    private Supplier<String> messageText = () -> I18n.text("evaluation.none");
    private final ObservableList<CellImage> gallery = FXCollections.observableArrayList();
    private final ObservableList<CellImage> galleryView = FXCollections.unmodifiableObservableList(gallery);
    private final BooleanBinding canEvaluate;
    // held here: the language's property lives as long as the app, this view-model as long as its window
    private final ChangeListener<Locale> localeListener = (o, a, b) -> message.set(messageText.get());

    public EvaluationViewModel(TrainingViewModel training) {
        this(training, javafx.application.Platform::runLater);
    }

    /** A view-model whose results come back through {@code fx} (tests: {@code Runnable::run}). */
    public EvaluationViewModel(TrainingViewModel training, Executor fx) {
        this.training = training;
        this.fx = fx;
        worker.allowCoreThreadTimeOut(true);
        show(messageText);
        I18n.localeProperty().addListener(new WeakChangeListener<>(localeListener));
        canEvaluate = Bindings.createBooleanBinding(() -> training.trainedNetworkProperty().get() != null
                && !evaluating.get(), training.trainedNetworkProperty(), evaluating);
        training.trainedNetworkProperty().addListener((o, a, b) -> {
            if (b == null) {
                // an evaluation of weights that no longer fit the network would mislead
                result.set(null);
                cell.set(null);
                gallery.clear();
                show(() -> I18n.text("evaluation.none"));
            } else if (!training.runningProperty().get() && (result.get() == null || result.get().network() != b)) {
                // weights read with the project: ready to be measured
                show(() -> I18n.text("evaluation.pickEvaluate"));
            }
        });
        // a run that ends leaves its evaluation ready for when the user looks
        training.runningProperty().addListener((o, was, is) -> {
            if (was && !is && training.trainedNetworkProperty().get() != null) {
                evaluate();
            }
        });
    }

    /** {@link #evaluate} when the network in use has no measurement yet and no run or evaluation is under way. */
    public void evaluateIfUnmeasured() {
        TrainedNetwork network = training.trainedNetworkProperty().get();
        if (network != null && !training.runningProperty().get() && !evaluating.get()
                && (result.get() == null || result.get().network() != network)) {
            evaluate();
        }
    }

    /** Evaluates the trained network on the test set (the run limits' first images, when set). */
    public void evaluate() {
        TrainedNetwork network = training.trainedNetworkProperty().get();
        if (network == null || evaluating.get()) {
            return;
        }
        TrainingSettings settings = training.settingsProperty().get();
        String lossName = settings == null ? "CrossEntropyLoss" : settings.loss();
        int limit = training.limits().testImages();
        evaluating.set(true);
        show(() -> I18n.text("evaluation.running"));
        worker.execute(() -> {
            try {
                Mnist mnist = new Mnist(Mnist.sampleDataFolder(), false, network.transform());
                Dataset test = limit > 0 && limit < mnist.size() ? Subset.first(mnist, limit) : mnist;
                Evaluation e;
                synchronized (network.module()) { // one caller at a time: the drawing pad may run it too
                    e = Evaluator.evaluate(network.module(), DataLoader.builder(test).batchSize(BATCH).build(),
                            TrainingRecipe.loss(lossName));
                }
                Predictions p = Predictions.of(network.module(), test, BATCH);
                int size = mnist.width() * mnist.height();
                byte[] pixels = new byte[test.size() * size];
                for (int i = 0; i < test.size(); i++) {
                    mnist.copyPixels(i, pixels, i * size);
                }
                Result r = new Result(network, e, p, pixels, mnist.width(), mnist.height());
                fx.execute(() -> finished(r, null));
            } catch (RuntimeException | Error ex) {
                String why = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                fx.execute(() -> finished(null, why));
            }
        });
    }

    private void finished(Result r, String error) {
        evaluating.set(false);
        if (r != null && r.network() != training.trainedNetworkProperty().get()) {
            // the network changed while it was evaluated
            show(() -> I18n.text(training.trainedNetworkProperty().get() == null ? "evaluation.none"
                    : "evaluation.pickEvaluate"));
            return;
        }
        if (error != null) {
            show(() -> I18n.text("evaluation.failed", error));
            return;
        }
        result.set(r);
        cell.set(null);
        gallery.clear();
        show(() -> summary(r.evaluation()));
    }

    private void show(Supplier<String> text) {
        messageText = text;
        message.set(text.get());
    }

    static String summary(Evaluation e) {
        return I18n.text("evaluation.summary", TrainingViewModel.percent(e.accuracy()),
                Ema.lossText(e.meanLoss()), e.total());
    }

    /** Shows the images of the matrix's cell (actual {@code a}, predicted {@code b}) with their top guesses. */
    public void openCell(int a, int b) {
        Result r = result.get();
        if (r == null || a < 0 || b < 0 || a >= r.evaluation().numClasses() || b >= r.evaluation().numClasses()) {
            return;
        }
        int count = r.evaluation().confusion()[a][b];
        cell.set(new Cell(a, b, count));
        worker.execute(() -> {
            List<CellImage> images = new ArrayList<>();
            int w = r.width(), h = r.height();
            for (int i : r.predictions().inCell(a, b, GALLERY_LIMIT)) {
                byte[] pixels = java.util.Arrays.copyOfRange(r.pixels(), i * w * h, (i + 1) * w * h);
                images.add(new CellImage(i, a, b, pixels, w, h, r.predictions().top(i, TOP)));
            }
            fx.execute(() -> {
                Cell c = cell.get();
                if (result.get() == r && c != null && c.actual() == a && c.predicted() == b) {
                    gallery.setAll(images);
                }
            });
        });
    }

    /** True when there is a trained network and no evaluation is under way. */
    public BooleanBinding canEvaluateProperty() {
        return canEvaluate;
    }

    public ReadOnlyBooleanProperty evaluatingProperty() {
        return evaluating.getReadOnlyProperty();
    }

    /** The last evaluation, or null. */
    public ReadOnlyObjectProperty<Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The cell whose images the gallery shows, or null. */
    public ReadOnlyObjectProperty<Cell> cellProperty() {
        return cell.getReadOnlyProperty();
    }

    /** One line: what to do, what is running, or the accuracy and loss. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The open cell's images, at most {@link #GALLERY_LIMIT}. */
    public ObservableList<CellImage> gallery() {
        return galleryView;
    }
}
