package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.data.DataLoader;
import io.deepcanvas.engine.data.Dataset;
import io.deepcanvas.engine.data.DatasetException;
import io.deepcanvas.engine.data.Mnist;
import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.nn.Loss;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.optim.Optimizer;
import io.deepcanvas.engine.train.Evaluation;
import io.deepcanvas.engine.train.Trainer;
import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingEvent.Finished;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code train} command's run, once the model, loss, optimizer and data exist: loaders, the {@link Trainer} on
 * the calling thread with progress output and an optional metrics file, and the final test accuracy.
 */
final class TrainingRun {
    /** Test-set batch size: large, because evaluation keeps no activations for backward. */
    static final int TEST_BATCH = 1000;

    /** How to train, with every command-line override already applied. */
    record Plan(Dataset trainSet, Dataset testSet, int epochs, long maxSteps, int batchSize, boolean shuffle,
                long seed, Path metrics, int logEvery) {
    }

    /**
     * The end of a run, the last test evaluation (null if the run ended before one), the steps it was to take and
     * the epoch of its last step.
     */
    record Result(Finished finished, Evaluation test, long totalSteps, int lastEpoch) {
        boolean stoppedByUser() {
            return finished.reason() == TrainingEvent.Reason.CANCELLED;
        }
    }

    private TrainingRun() {
    }

    /** MNIST's training or test split from {@code folder} (or the sample data when null), as a clean error. */
    static Mnist mnist(Path folder, boolean train, Transform transform) {
        try {
            return new Mnist(folder != null ? folder : Mnist.sampleDataFolder(), train, transform);
        } catch (DatasetException e) {
            throw CliException.runtime(e.getMessage(), e);
        }
    }

    static DataLoader testLoader(Dataset test, int batchSize) {
        return DataLoader.builder(test).batchSize(batchSize).build();
    }

    /**
     * Trains {@code model}, printing progress to {@code out} (a bar when {@code terminal}), and returns how the
     * run ended; a run that diverged or failed is a {@link CliException} with the trainer's message.
     */
    static Result train(Module model, Loss loss, Optimizer<?> optimizer, Plan plan, PrintStream out,
                        boolean terminal, CtrlC ctrlC) {
        DataLoader train = DataLoader.builder(plan.trainSet()).batchSize(plan.batchSize()).shuffle(plan.shuffle())
                .seed(plan.seed()).build();
        DataLoader test = testLoader(plan.testSet(), TEST_BATCH);
        Evaluation[] lastTest = new Evaluation[1];
        long[] totalSteps = new long[1];
        int[] lastEpoch = new int[1];
        Trainer.Builder builder = Trainer.builder(model, loss, optimizer, train).epochs(plan.epochs())
                .testLoader(test).listener(new ProgressPrinter(out, terminal, plan.logEvery(), plan.batchSize()))
                .listener(e -> {
                    if (e instanceof TrainingEvent.EpochCompleted ec && ec.test() != null) {
                        lastTest[0] = ec.test();
                    } else if (e instanceof TrainingEvent.Started st) {
                        totalSteps[0] = st.totalSteps();
                    } else if (e instanceof TrainingEvent.StepCompleted sc) {
                        lastEpoch[0] = sc.epoch();
                    }
                });
        if (plan.maxSteps() > 0) {
            builder.maxSteps(plan.maxSteps());
        }
        Finished end;
        MetricsCsv metrics = plan.metrics() == null ? null : new MetricsCsv(plan.metrics());
        try {
            if (metrics != null) {
                builder.listener(metrics);
            }
            Trainer trainer = builder.build();
            ctrlC.stops(trainer);
            end = trainer.runOnCallerThread();
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
        switch (end.reason()) {
            case DIVERGED -> throw CliException.runtime(end.message());
            case FAILED -> throw end.cause() instanceof OutOfMemoryError
                    ? CliException.runtime(OutOfMemory.message("training ran out of memory at step "
                    + (end.steps() + 1), plan.batchSize()), end.cause())
                    : CliException.runtime(end.message(), end.cause());
            case CANCELLED -> {
                return new Result(end, lastTest[0], totalSteps[0], lastEpoch[0]);
            }
            default -> {
                // COMPLETED
            }
        }
        out.printf(Locale.ROOT, "%s in %s%n", end.message(), duration(end.elapsed()));
        if (lastTest[0] != null) {
            out.printf(Locale.ROOT, "test accuracy %.2f%% (%d/%d)%n", 100 * lastTest[0].accuracy(),
                    lastTest[0].correct(), lastTest[0].total());
        }
        return new Result(end, lastTest[0], totalSteps[0], lastEpoch[0]);
    }

    /** {@code 9.4 s} for a short run, {@code 12:05} (minutes) for a long one. */
    static String duration(java.time.Duration d) {
        long s = d.toSeconds();
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
                : s < 3600 ? String.format(Locale.ROOT, "%d:%02d min", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d h", s / 3600, s / 60 % 60, s % 60);
    }

    /** Accuracy, per-class accuracy and the confusion matrix, as {@code eval} prints them. */
    static void printEvaluation(Evaluation e, PrintStream out) {
        out.printf(Locale.ROOT, "test accuracy %.2f%% (%d/%d)%s%n", 100 * e.accuracy(), e.correct(), e.total(),
                Double.isNaN(e.meanLoss()) ? "" : String.format(Locale.ROOT, ", loss %.4f", e.meanLoss()));
        out.println();
        out.println("class  accuracy   correct/total");
        int[][] confusion = e.confusion();
        for (int c = 0; c < e.numClasses(); c++) {
            int total = 0;
            for (int v : confusion[c]) {
                total += v;
            }
            double acc = e.classAccuracy(c);
            out.printf(Locale.ROOT, "%5d  %s  %6d/%d%n", c, Double.isNaN(acc) ? "       -"
                    : String.format(Locale.ROOT, "%7.2f%%", 100 * acc), confusion[c][c], total);
        }
        out.println();
        out.println("confusion matrix (rows: actual class, columns: predicted class)");
        out.print(e.confusionTable());
    }
}
