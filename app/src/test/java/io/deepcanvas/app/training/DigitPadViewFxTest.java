package io.deepcanvas.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Subset;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingRecipe;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Application;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The drawing pad as a user meets it, headless: the MLP of layouts/mlp.json trained for 200 steps on MNIST in the
 * setup, a "1" drawn with the robot's mouse, the bars and the preview read back from the screen.
 */
class DigitPadViewFxTest extends FxRobot {
    private static TrainedNetwork trained;
    private SimpleObjectProperty<TrainedNetwork> network;
    private DigitPadView view;

    @BeforeAll
    static void train() throws Exception {
        Project p = ProjectFile.withLayerRegistry()
                .load(Path.of(System.getProperty("deepcanvas.layouts", "../layouts")).resolve("mlp.json"));
        TrainedNetwork net = DigitPadPredictorTest.mlp();
        var s = p.training();
        var data = Subset.first(new Mnist(Mnist.sampleDataFolder(), true, net.transform()), 200 * 64);
        DataLoader loader = DataLoader.builder(data).batchSize(64).shuffle(true).seed(1).build();
        Trainer.builder(net.module(), TrainingRecipe.loss(s.loss()),
                        TrainingRecipe.optimizer(s.optimizer(), 0.001, net.module()), loader)
                .maxSteps(200).build().runOnCallerThread();
        trained = new TrainedNetwork(net.module(), net.transform(), net.inputShape(), p.name(), 200);
    }

    @BeforeEach
    void open() throws Exception {
        network = new SimpleObjectProperty<>(trained);
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(stage -> {
            I18n.setLocale(Locale.ENGLISH);
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            view = new DigitPadView(network);
            Scene scene = new Scene(view, 720, 460);
            scene.getStylesheets().add(DigitPadView.class.getResource("/io/deepcanvas/app/app.css").toExternalForm());
            stage.setScene(scene);
            stage.setX(0);
            stage.setY(0);
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void close() {
        interact(() -> view.dispose());
    }

    private void waitUntil(BooleanSupplier condition, String what) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(condition));
        assertTrue(fx(condition), what);
    }

    private boolean fx(BooleanSupplier condition) {
        try {
            return WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void drawOne() {
        Node pad = lookup("#digitPad").query();
        drag(offset(pad, 4, -95), MouseButton.PRIMARY).moveTo(offset(pad, 2, -30)).moveTo(offset(pad, 0, 30))
                .moveTo(offset(pad, -2, 95)).release(MouseButton.PRIMARY);
    }

    private double[] bars() {
        double[] p = new double[10];
        for (int d = 0; d < 10; d++) {
            p[d] = lookup("#digitProbability" + d).queryAs(ProgressBar.class).getProgress();
        }
        return p;
    }

    private boolean hasProbabilities() {
        DigitPadPredictor.Prediction p = view.lastPrediction();
        return p != null && p.probabilities() != null;
    }

    @Test
    void drawingAOneShowsProbabilitiesAndACentredPreview() throws Exception {
        drawOne();
        waitUntil(this::hasProbabilities, "a prediction arrives after drawing");
        WaitForAsyncUtils.waitForFxEvents();
        double[] p = bars();
        double sum = 0;
        int top = 0;
        for (int d = 0; d < 10; d++) {
            sum += p[d];
            top = p[d] > p[top] ? d : top;
        }
        assertEquals(1, sum, 1e-3, "the bars are a probability distribution");
        assertTrue(lookup("#digitProbabilities").query().isVisible());
        assertFalse(lookup("#digitProbabilities").query().isDisabled());
        assertEquals(1, top, "a centred vertical stroke reads as 1");
        assertTrue(lookup("#digitProbability1").query().getParent().getPseudoClassStates().stream()
                .anyMatch(c -> c.getPseudoClassName().equals("top")), "the top class is highlighted");
        String status = lookup("#digitPadStatus").queryAs(Label.class).getText();
        assertTrue(status.startsWith("Prediction: 1 ("), status);

        float[] image = view.lastPrediction().image();
        double[] c = DigitPadPreprocessor.centreOfMass(image);
        assertEquals(14, c[0], 0.51, "preview's centre of mass x");
        assertEquals(14, c[1], 0.51, "preview's centre of mass y");
        Canvas preview = lookup("#digitPreview").queryAs(Canvas.class);
        assertEquals(112, preview.getWidth());
    }

    @Test
    void clearAndRightClickResetTheBars() throws Exception {
        drawOne();
        waitUntil(this::hasProbabilities, "a prediction arrives after drawing");
        clickOn("#clearPad");
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(view.lastPrediction().probabilities());
        assertNull(view.lastPrediction().image());
        for (double v : bars()) {
            assertEquals(0, v);
        }
        // a result still computing when Clear was pressed must not bring the bars back
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        assertNull(fxPrediction().probabilities());

        drawOne();
        waitUntil(this::hasProbabilities, "a prediction after drawing again");
        rightClickOn("#digitPad");
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(view.lastPrediction().probabilities());
        assertEquals("", lookup("#digitProbabilities .digit-probability-value").queryAs(Label.class).getText());
    }

    private DigitPadPredictor.Prediction fxPrediction() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> view.lastPrediction()).get();
    }

    @Test
    void withoutANetworkTheBarsAreGreyedUntilOneArrives() throws Exception {
        interact(() -> network.set(null));
        assertTrue(lookup("#digitProbabilities").query().isDisabled());
        assertEquals(I18n.text("digitPad.hint.train"), lookup("#digitPadHint").queryAs(Label.class).getText());
        drawOne();
        waitUntil(() -> view.lastPrediction() != null && view.lastPrediction().image() != null,
                "the preview still shows what was drawn");
        assertNull(view.lastPrediction().probabilities());

        interact(() -> network.set(trained));
        waitUntil(this::hasProbabilities, "the drawing is predicted once a network arrives");
        assertFalse(lookup("#digitProbabilities").query().isDisabled());
        assertNotNull(view.lastPrediction().image());
    }
}
