package io.deepcanvas.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.Compose;
import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Normalize;
import io.deepcanvas.engine.data.Pad;
import io.deepcanvas.engine.data.Subset;
import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.examples.MnistExamples;
import io.deepcanvas.engine.nn.CrossEntropyLoss;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.Adam;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.TrainingEvent.Finished;
import io.deepcanvas.engine.train.TrainingEvent.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The training loop learns, reports, pauses, cancels, and ends cleanly when things go wrong. */
class TrainerTest {

    @Test
    void leNetLearnsMnistWellAboveChanceInAFewHundredSteps() {
        Tensor.manualSeed(3);
        var transform = new Compose(new Pad(2), new Normalize(0.1307f, 0.3081f));
        var folder = Mnist.sampleDataFolder();
        DataLoader train = DataLoader.builder(Subset.random(new Mnist(folder, true, transform), 6000, 1))
                .batchSize(32).shuffle(true).seed(1).build();
        DataLoader test = DataLoader.builder(Subset.first(new Mnist(folder, false, transform), 1000))
                .batchSize(500).build();
        Module net = MnistExamples.lenet5();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Finished end = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3f), train)
                .epochs(2).maxSteps(300).testLoader(test).gradientStatsEvery(100).filterSnapshotEvery(100)
                .listener(events::add).build().runOnCallerThread();
        assertEquals(Reason.COMPLETED, end.reason(), end.message());
        assertEquals(300, end.steps());
        TrainingEvent.EpochCompleted epoch = events.stream().filter(TrainingEvent.EpochCompleted.class::isInstance)
                .map(TrainingEvent.EpochCompleted.class::cast).reduce((a, b) -> b).orElseThrow();
        assertTrue(epoch.test().accuracy() > 0.85, "test accuracy after 300 steps: " + epoch.test());
        var stats = events.stream().filter(TrainingEvent.GradientStats.class::isInstance)
                .map(TrainingEvent.GradientStats.class::cast).toList();
        assertEquals(3, stats.size());
        assertTrue(stats.get(0).byParameter().get("0.weight").norm() > 0, "conv1 gradient magnitude");
        var filters = events.stream().filter(TrainingEvent.FilterSnapshot.class::isInstance)
                .map(TrainingEvent.FilterSnapshot.class::cast).toList();
        assertEquals("0.weight", filters.get(0).parameter());
        assertEquals(6 * 25, filters.get(0).weights().length);
        assertTrue(events.get(0) instanceof TrainingEvent.Started);
        assertTrue(events.get(events.size() - 1) instanceof Finished);
    }

    /** A tiny regression problem whose loader is slow enough to observe pausing. */
    private static Trainer slowTrainer(List<TrainingEvent> events, int sleepMs, float lr) {
        Tensor.manualSeed(5);
        Tensor x = Tensor.randn(64, 4), y = Tensor.randn(64, 1);
        TensorDataset rows = new TensorDataset(x, y);
        var ds = new io.deepcanvas.engine.data.Dataset() {
            @Override
            public int size() {
                return rows.size();
            }

            @Override
            public io.deepcanvas.engine.data.Example get(int i) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return rows.get(i);
            }
        };
        Module net = new Sequential(new Linear(4, 8), new Linear(8, 1));
        return Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), lr), new DataLoader(ds, 4))
                .epochs(1000).listener(events::add).build();
    }

    @Test
    void pauseHoldsTheStepsAndCancelEndsTheRun() throws InterruptedException {
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Trainer t = slowTrainer(events, 1, 0.01f);
        AtomicLong steps = new AtomicLong();
        t.addListener(e -> {
            if (e instanceof TrainingEvent.StepCompleted s) {
                steps.set(s.step());
            }
        });
        t.start();
        waitFor(() -> steps.get() >= 3);
        t.pause();
        Thread.sleep(200);
        long held = steps.get();
        Thread.sleep(300);
        assertTrue(steps.get() <= held + 1, "at most the step in flight completes while paused");
        assertFalse(t.isFinished());
        t.resume();
        waitFor(() -> steps.get() > held + 2);
        t.cancel();
        Finished end = t.awaitFinished(Duration.ofSeconds(10));
        assertNotNull(end, "cancel ends the run promptly");
        assertEquals(Reason.CANCELLED, end.reason());
    }

    @Test
    void divergingLossStopsWithAMessageInsteadOfACrash() {
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Finished end = slowTrainer(events, 0, 1e4f).runOnCallerThread();
        assertEquals(Reason.DIVERGED, end.reason());
        assertTrue(end.message().contains("lower the learning rate") && end.message().contains("10000.0"),
                end.message());
    }

    @Test
    void aFailingListenerDoesNotStopTraining() {
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Trainer t = slowTrainer(events, 0, 0.01f);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        t.addListener(e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("broken panel");
        });
        List<java.util.logging.LogRecord> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Trainer.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        boolean parents = log.getUseParentHandlers();
        log.setUseParentHandlers(false);
        Finished end;
        try {
            end = t.runOnCallerThread();
        } finally {
            log.removeHandler(handler);
            log.setUseParentHandlers(parents);
        }
        assertTrue(calls.get() > 16, "the throwing listener kept being called: " + calls.get());
        // 1000 epochs of 16 steps ran to completion despite the listener throwing on every event
        assertEquals(Reason.COMPLETED, end.reason(), end.message());
        assertEquals(16_000, end.steps());
        // logged once with its stack trace, then at the 10th, 100th, ... failure: not once per event
        assertTrue(calls.get() >= 10_000, "calls: " + calls.get());
        assertEquals(1 + (int) Math.floor(Math.log10(calls.get())), logged.size(),
                "log records for " + calls.get() + " failures");
        assertTrue(logged.get(0).getThrown() != null && logged.get(0).getMessage().contains("failed on Started"));
        assertTrue(logged.get(1).getThrown() == null && logged.get(1).getMessage().contains("failed 10 times"),
                logged.get(1).getMessage());
    }

    @Test
    void aFailureInsideTrainingBecomesAFinishedEvent() {
        Module net = new Sequential(new Linear(3, 2));
        var ds = new TensorDataset(Tensor.randn(8, 5), Tensor.zeros(8));
        Finished end = Trainer.builder(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.1f),
                new DataLoader(ds, 4)).build().runOnCallerThread();
        assertEquals(Reason.FAILED, end.reason());
        assertTrue(end.message().contains("Linear expects 3 input features"), end.message());
        assertNotNull(end.cause(), "the exception travels with the event for a debug view");
    }

    @Test
    void evaluatorCountsAConfusionMatrix() {
        // a fixed "model": the class score is the input itself
        Module identity = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        Tensor inputs = Tensor.fromArray(new float[] {
            1, 0, 0,
            0, 1, 0,
            0, 1, 0,
            0, 0, 1}, 4, 3);
        Tensor labels = Tensor.fromArray(new float[] {0, 1, 2, 2}, 4);
        Evaluation e = Evaluator.evaluate(identity, new DataLoader(new TensorDataset(inputs, labels), 3), null);
        assertEquals(4, e.total());
        assertEquals(3, e.correct());
        assertEquals(0.75, e.accuracy(), 1e-9);
        assertEquals(1, e.confusion()[2][1]);
        assertEquals(0.5, e.classAccuracy(2), 1e-9);
        assertTrue(e.confusionTable().contains("actual"));
    }

    @Test
    void logEveryAveragesTheIntervalAndEvaluateEveryMeasuresTheTestSet() {
        Tensor.manualSeed(7);
        Tensor x = Tensor.randn(40, 4);
        float[] xs = x.toArray();
        float[] ys = new float[40];
        for (int i = 0; i < 40; i++) {
            ys[i] = xs[4 * i] > 0 ? 1 : 0; // linearly separable: the sign of the first feature
        }
        var rows = new TensorDataset(x, Tensor.fromArray(ys, 40));
        Module net = new Sequential(new Linear(4, 2));
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Finished end = Trainer.builder(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.5f),
                new DataLoader(rows, 4)).epochs(3).logEvery(5).evaluateEvery(10)
                .testLoader(new DataLoader(rows, 40)).listener(events::add).build().runOnCallerThread();
        assertEquals(30, end.steps(), end.message());
        var steps = events.stream().filter(TrainingEvent.StepCompleted.class::isInstance)
                .map(TrainingEvent.StepCompleted.class::cast).toList();
        var logged = events.stream().filter(TrainingEvent.Logged.class::isInstance)
                .map(TrainingEvent.Logged.class::cast).toList();
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), logged.stream().map(TrainingEvent.Logged::step).toList());
        double firstFive = steps.subList(0, 5).stream().mapToDouble(TrainingEvent.StepCompleted::loss).average()
                .orElseThrow();
        assertEquals(firstFive, logged.get(0).meanLoss(), 1e-6);
        assertEquals(30, logged.get(0).totalSteps());
        var evaluated = events.stream().filter(TrainingEvent.Evaluated.class::isInstance)
                .map(TrainingEvent.Evaluated.class::cast).toList();
        assertEquals(List.of(10L, 20L, 30L), evaluated.stream().map(TrainingEvent.Evaluated::step).toList());
        assertEquals(40, evaluated.get(0).test().total());
        assertTrue(evaluated.get(2).test().accuracy() >= 0.9, "a separable problem is learnt: "
                + evaluated.get(2).test());
        assertTrue(net.isTraining(), "training mode is back after each mid-epoch evaluation");
    }

    @Test
    void evaluateEveryWithoutATestLoaderIsRefusedWithTheFix() {
        Module net = new Sequential(new Linear(2, 2));
        var b = Trainer.builder(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.1f),
                new DataLoader(new TensorDataset(Tensor.randn(4, 2), Tensor.zeros(4)), 2)).evaluateEvery(10);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, b::build);
        assertTrue(e.getMessage().contains("testLoader"), e.getMessage());
    }

    @Test
    void evaluatorRunsInEvalModeWithoutGradientsAndRestoresBoth() {
        List<Boolean> trainingSeen = new CopyOnWriteArrayList<>();
        List<Boolean> gradSeen = new CopyOnWriteArrayList<>();
        Module probe = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                trainingSeen.add(isTraining());
                gradSeen.add(io.deepcanvas.engine.autograd.GradMode.isEnabled());
                return x;
            }
        };
        probe.train();
        var rows = new TensorDataset(Tensor.randn(6, 3), Tensor.zeros(6));
        Evaluator.evaluate(probe, new DataLoader(rows, 3), null);
        assertEquals(List.of(false, false), trainingSeen);
        assertEquals(List.of(false, false), gradSeen);
        assertTrue(probe.isTraining());
        assertTrue(io.deepcanvas.engine.autograd.GradMode.isEnabled());
        probe.eval();
        Evaluator.evaluate(probe, new DataLoader(rows, 3), null);
        assertFalse(probe.isTraining(), "a model that was in eval mode stays there");
    }

    @Test
    void anEvaluationCannotBeChangedThroughItsConfusionMatrix() {
        int[][] m = {{2, 0}, {1, 3}};
        Evaluation e = new Evaluation(6, 5, Double.NaN, m);
        m[0][0] = 99;
        e.confusion()[1][1] = 99;
        assertEquals(2, e.confusion()[0][0]);
        assertEquals(0.75, e.classAccuracy(1), 1e-9);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
