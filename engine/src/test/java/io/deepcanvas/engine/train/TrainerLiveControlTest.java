package io.deepcanvas.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.Example;
import io.deepcanvas.engine.data.TensorDataset;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.MSELoss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.nn.Parameter;
import io.deepcanvas.engine.nn.Sequential;
import io.deepcanvas.engine.optim.SGD;
import io.deepcanvas.engine.tensor.Tensor;
import io.deepcanvas.engine.train.TrainingEvent.Diverged;
import io.deepcanvas.engine.train.TrainingEvent.Finished;
import io.deepcanvas.engine.train.TrainingEvent.GradientMagnitude;
import io.deepcanvas.engine.train.TrainingEvent.LearningRateChanged;
import io.deepcanvas.engine.train.TrainingEvent.Reason;
import io.deepcanvas.engine.train.TrainingEvent.StepCompleted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** What the live training panels drive and read: the learning rate changed mid-run, divergence, update ratios. */
class TrainerLiveControlTest {

    /** Two named layers, as in a PyTorch {@code __init__}: {@code fc1.weight} … {@code fc2.bias}. */
    private static final class TwoLayers extends Module {
        final Linear fc1 = registerModule("fc1", new Linear(4, 3));
        final Linear fc2 = registerModule("fc2", new Linear(3, 1));

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x));
        }
    }

    /** Rows that take {@code sleepMs} each to load, so that a run lasts long enough to be steered. */
    private static Dataset slow(TensorDataset rows, int sleepMs) {
        return new Dataset() {
            @Override
            public int size() {
                return rows.size();
            }

            @Override
            public Example get(int i) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return rows.get(i);
            }
        };
    }

    @Test
    void learningRateSetFromAnotherThreadAppliesFromOneStepOnAndIsAnnouncedOnce() throws InterruptedException {
        Tensor.manualSeed(11);
        Module net = new TwoLayers();
        Parameter w = net.namedParameters().get("fc2.weight");
        var rows = new TensorDataset(Tensor.randn(64, 4), Tensor.randn(64, 1));
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        // on the training thread, after each step: the weights it produced and the gradient it used
        Map<Long, float[]> weightsAfter = new ConcurrentHashMap<>(), gradUsed = new ConcurrentHashMap<>();
        Trainer t = Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.01f),
                new DataLoader(slow(rows, 1), 4)).epochs(100).listener(events::add).listener(e -> {
                    if (e instanceof StepCompleted s) {
                        weightsAfter.put(s.step(), w.toArray());
                        gradUsed.put(s.step(), w.gradForUpdate().toArray());
                    }
                }).build();
        t.start();
        waitFor(() -> weightsAfter.size() >= 5);
        t.setLearningRate(0.05);
        waitFor(() -> events.stream().anyMatch(LearningRateChanged.class::isInstance));
        long changedAt = events.stream().filter(LearningRateChanged.class::isInstance)
                .map(LearningRateChanged.class::cast).findFirst().orElseThrow().step();
        waitFor(() -> weightsAfter.size() >= changedAt + 3);
        t.cancel();
        assertEquals(Reason.CANCELLED, t.awaitFinished(Duration.ofSeconds(10)).reason());

        var changes = events.stream().filter(LearningRateChanged.class::isInstance)
                .map(LearningRateChanged.class::cast).toList();
        assertEquals(List.of(new LearningRateChanged(changedAt, 0.01, 0.05)), changes, "announced once");
        assertTrue(changedAt >= 6, "the step after those already done when it was set: " + changedAt);
        int at = events.indexOf(changes.get(0));
        assertEquals(changedAt - 1, ((StepCompleted) events.get(at - 1)).step(), "between two steps");
        assertEquals(changedAt, ((StepCompleted) events.get(at + 1)).step());
        assertEquals(0.05, t.learningRate());
        // SGD without momentum: each update is exactly -lr · grad, with the old lr up to the step announced
        for (long k = 2; k <= changedAt + 2; k++) {
            float lr = k < changedAt ? 0.01f : 0.05f;
            float[] before = weightsAfter.get(k - 1), after = weightsAfter.get(k), g = gradUsed.get(k);
            for (int i = 0; i < g.length; i++) {
                assertEquals(-lr * g[i], after[i] - before[i], 1e-6f + 1e-4f * Math.abs(lr * g[i]),
                        "step " + k + ", weight " + i);
            }
        }
    }

    @Test
    void aLearningRateThatIsNotAFinitePositiveNumberIsRefusedWithTheValueAndTheFix() {
        Module net = new TwoLayers();
        Trainer t = Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.01f),
                new DataLoader(new TensorDataset(Tensor.randn(4, 4), Tensor.randn(4, 1)), 2)).build();
        for (double bad : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY, 1e-60, 1e60}) {
            var e = assertThrows(IllegalArgumentException.class, () -> t.setLearningRate(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)) && e.getMessage().contains("such as 0.01"),
                    e.getMessage());
        }
        assertEquals(0.01, t.learningRate(), "unchanged");
    }

    /** 8 rows in batches of 2; row 3 (the second batch) holds an infinite input. */
    private static TensorDataset rowsWithOnePoisonedBatch() {
        Tensor.manualSeed(2);
        float[] x = Tensor.randn(8, 4).toArray();
        x[3 * 4 + 1] = Float.POSITIVE_INFINITY;
        return new TensorDataset(Tensor.fromArray(x, 8, 4), Tensor.randn(8, 1));
    }

    /** A started run with {@code pauseOnDivergence} on the poisoned rows, once it has paused there. */
    private static Trainer pausedAtThePoisonedBatch(Module net, List<TrainingEvent> events)
            throws InterruptedException {
        Trainer t = Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.01f),
                new DataLoader(rowsWithOnePoisonedBatch(), 2)).pauseOnDivergence(true).listener(events::add).build();
        t.start();
        waitFor(() -> events.stream().anyMatch(Diverged.class::isInstance));
        waitFor(t::isPaused);
        return t;
    }

    @Test
    void pauseOnDivergencePausesNamesTheLayerSkipsTheUpdateAndResumesWithTheNextBatch() throws InterruptedException {
        Module net = new TwoLayers();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Trainer t = pausedAtThePoisonedBatch(net, events);
        assertFalse(t.isFinished(), "paused, not ended");
        Diverged d = events.stream().filter(Diverged.class::isInstance).map(Diverged.class::cast).findFirst()
                .orElseThrow();
        assertEquals(1, d.epoch());
        assertEquals(2, d.step());
        assertTrue(Float.isNaN(d.loss()) || Float.isInfinite(d.loss()), "loss " + d.loss());
        // the infinite input reaches fc1's weight gradient (x^T · g) first; fc1's own weights are still finite
        assertEquals("fc1.weight", d.parameter());
        assertEquals("fc1", d.layer());
        for (Map.Entry<String, Parameter> p : net.namedParameters().entrySet()) {
            for (float v : p.getValue().toArray()) {
                assertTrue(Float.isFinite(v), "the diverged step's update was skipped: " + p.getKey());
            }
        }

        t.setLearningRate(0.001);
        waitFor(() -> events.stream().anyMatch(LearningRateChanged.class::isInstance));
        assertEquals(new LearningRateChanged(2, 0.01, 0.001), events.stream()
                .filter(LearningRateChanged.class::isInstance).findFirst().orElseThrow(),
                "announced while paused, for the step that will use it");
        t.resume();
        Finished end = t.awaitFinished(Duration.ofSeconds(10));
        assertNotNull(end);
        assertEquals(Reason.COMPLETED, end.reason(), end.message());
        assertEquals(3, end.steps(), "4 batches, 1 skipped");
        var steps = events.stream().filter(StepCompleted.class::isInstance).map(StepCompleted.class::cast).toList();
        assertEquals(List.of(1L, 2L, 3L), steps.stream().map(StepCompleted::step).toList());
        assertEquals(List.of(1, 3, 4), steps.stream().map(StepCompleted::batchInEpoch).toList());
    }

    @Test
    void cancellingARunPausedByDivergenceEndsItAsDiverged() throws InterruptedException {
        Trainer t = pausedAtThePoisonedBatch(new TwoLayers(), new CopyOnWriteArrayList<>());
        t.cancel();
        Finished end = t.awaitFinished(Duration.ofSeconds(10));
        assertEquals(Reason.DIVERGED, end.reason());
        assertEquals(1, end.steps());
        assertTrue(end.message().contains("at step 2") && end.message().contains("gradient in fc1.weight"),
                end.message());
    }

    @Test
    void aHugeLearningRateEndsTheRunAfterNamingTheFirstLayerWithANonFiniteGradient() {
        Tensor.manualSeed(5);
        Module net = new TwoLayers();
        var rows = new TensorDataset(Tensor.randn(64, 4), Tensor.randn(64, 1));
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        String[] expected = new String[1];
        Finished end = Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 100f), new DataLoader(rows, 4))
                .epochs(10).listener(events::add).listener(e -> {
                    if (e instanceof Diverged) {
                        // the rule, checked by hand on the training thread while the gradients are there
                        for (Map.Entry<String, Parameter> p : net.namedParameters().entrySet()) {
                            Tensor g = p.getValue().gradForUpdate();
                            if (expected[0] == null && g != null && !allFinite(g.toArray())) {
                                expected[0] = p.getKey();
                            }
                        }
                    }
                }).build().runOnCallerThread();
        assertEquals(Reason.DIVERGED, end.reason(), end.message());
        Diverged d = (Diverged) events.get(events.size() - 2);
        assertNotNull(expected[0], "this run's gradients overflow too");
        assertEquals(expected[0], d.parameter());
        assertEquals(expected[0].substring(0, expected[0].lastIndexOf('.')), d.layer());
        assertEquals(end.steps() + 1, d.step());
        assertTrue(end.message().contains("first non-finite gradient in " + expected[0]), end.message());
    }

    @Test
    void aLossThatOverflowsWithFiniteGradientsNamesNoLayer() {
        Module net = new Sequential(new Linear(1, 1));
        net.namedParameters().get("0.weight").data().fill_(1e20f);
        net.namedParameters().get("0.bias").data().fill_(0f);
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        // (1e20 - 0)² overflows float32; its gradient 2·1e20·x does not
        Finished end = Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.1f),
                new DataLoader(new TensorDataset(Tensor.ones(1, 1), Tensor.zeros(1, 1)), 1)).listener(events::add)
                .build().runOnCallerThread();
        assertEquals(Reason.DIVERGED, end.reason());
        assertEquals(new Diverged(1, 1, Float.POSITIVE_INFINITY, null, null), events.get(events.size() - 2));
    }

    /** A layer that passes its input on and whose backward returns NaN: a gradient breaks under a finite loss. */
    private static final class NaNBackward extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return Tensor.record(x.data().mul(1f), "NaNBackward", g -> new Tensor[] {g.mul(Float.NaN)}, x);
        }
    }

    @Test
    void aGradientThatBreaksUnderAFiniteLossIsCaughtBeforeTheUpdateOnAStatisticsStep() {
        Tensor.manualSeed(4);
        var rows = new TensorDataset(Tensor.randn(8, 2), Tensor.randn(8, 1));
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        Module net = new Sequential(new Linear(2, 2), new NaNBackward(), new Linear(2, 1));
        Finished end = Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.01f), new DataLoader(rows, 4))
                .gradientStatsEvery(1).listener(events::add).build().runOnCallerThread();
        assertEquals(Reason.DIVERGED, end.reason());
        assertEquals(0, end.steps());
        Diverged d = (Diverged) events.get(events.size() - 2);
        assertEquals(1, d.step());
        assertTrue(Float.isFinite(d.loss()));
        assertEquals("0.weight", d.parameter(), "layer 2's gradients are finite; layer 0's are the first NaN");
        assertTrue(end.message().startsWith("a gradient became NaN or infinite at step 1"), end.message());
        assertTrue(allFinite(net.namedParameters().get("0.weight").toArray()), "no update was applied");

        // without statistics, the update spreads the NaN into layer 0's weights and the next loss shows it
        events.clear();
        Module net2 = new Sequential(new Linear(2, 2), new NaNBackward(), new Linear(2, 1));
        end = Trainer.builder(net2, new MSELoss(), new SGD(net2.parameters(), 0.01f), new DataLoader(rows, 4))
                .listener(events::add).build().runOnCallerThread();
        d = (Diverged) events.get(events.size() - 2);
        assertEquals(2, d.step());
        assertEquals("0.weight", d.parameter());
        assertTrue(end.message().contains("first non-finite weights in 0.weight"), end.message());
    }

    @Test
    void gradientStatsCarryTheWeightNormAndTheUpdateToWeightRatio() {
        Module net = new Sequential(new Linear(2, 1));
        net.namedParameters().get("0.weight").data().copy_(Tensor.fromArray(new float[] {3, 4}, 1, 2));
        net.namedParameters().get("0.bias").data().fill_(1f);
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        // out = 3·1 + 4·2 + 1 = 12, loss = (12 - 0)² = 144, dloss/dout = 24: grad w = 24·x = [24, 48], grad b = 24
        Trainer.builder(net, new MSELoss(), new SGD(net.parameters(), 0.01f),
                new DataLoader(new TensorDataset(Tensor.fromArray(new float[] {1, 2}, 1, 2), Tensor.zeros(1, 1)), 1))
                .gradientStatsEvery(1).listener(events::add).build().runOnCallerThread();
        Map<String, GradientMagnitude> stats = events.stream().filter(TrainingEvent.GradientStats.class::isInstance)
                .map(TrainingEvent.GradientStats.class::cast).findFirst().orElseThrow().byParameter();
        GradientMagnitude w = stats.get("0.weight"), b = stats.get("0.bias");
        assertEquals(36, w.meanAbs(), 1e-9);
        assertEquals(Math.sqrt(24 * 24 + 48 * 48), w.norm(), 1e-9);
        assertEquals(5, w.weightNorm(), 1e-9, "‖[3, 4]‖");
        assertEquals(0.01 * Math.sqrt(2880) / 5, w.updateToWeightRatio(), 1e-8);
        assertEquals(24, b.norm(), 1e-9);
        assertEquals(1, b.weightNorm(), 1e-9);
        assertEquals(0.24, b.updateToWeightRatio(), 1e-8);
        assertTrue(Double.isNaN(new GradientMagnitude(1, 2).updateToWeightRatio()), "the two-figure form: unknown");
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(2);
        }
    }
}
