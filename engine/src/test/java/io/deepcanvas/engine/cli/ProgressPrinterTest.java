package io.deepcanvas.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.train.TrainingEvent;
import io.deepcanvas.engine.train.TrainingEvent.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Progress output: a bar redrawn in place on a terminal, plain lines in a log. */
class ProgressPrinterTest {

    private static String print(boolean bar, int lineEvery) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        // a clock moved by the steps: the first ten take 64 ms each (1,000 images/s at batch 64), the rest 32 ms
        // (2,000 images/s); the trainer's own average (the event's last field) is not what is shown
        long[] now = {0};
        ProgressPrinter p = new ProgressPrinter(out, bar, lineEvery, 64, () -> now[0]);
        p.onEvent(new TrainingEvent.Started(1, 40, 40, "cpu"));
        for (int step = 1; step <= 40; step++) {
            now[0] += (step <= 10 ? 64 : 32) * 1_000_000L;
            p.onEvent(new TrainingEvent.StepCompleted(1, step, step, 1f / step, 0.5f, 777));
        }
        p.onEvent(new TrainingEvent.EpochCompleted(1, 0.1, 0.5, null));
        p.onEvent(new TrainingEvent.Finished(Reason.COMPLETED, "done", 40, Duration.ofSeconds(1)));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesComeEveryNStepsWithTheAverageLoss() {
        String out = print(false, 10);
        assertFalse(out.contains("\r"), "no carriage returns in a log file");
        assertEquals(4, out.lines().filter(l -> l.startsWith("epoch 1/1  step ")).count(), out);
        // steps 1..10 have losses 1/1..1/10, whose mean is 0.2929
        assertTrue(out.contains("epoch 1/1  step 10/40  loss 0.2929  accuracy 50.00%  1,000 images/s"), out);
        // the speed of the last interval, not the average since the start (1,333 images/s at step 40)
        assertTrue(out.contains("step 40/40  loss 0.0284  accuracy 50.00%  2,000 images/s"), out);
        assertTrue(out.contains("epoch 1: train loss 0.1000, train accuracy 50.00%\n"), out);
    }

    @Test
    void withoutAnIntervalLinesComeAtRoundStepCountsAboutTenTimesARun() {
        // 40 steps: every 2 (every 5 would give fewer than ten lines)
        assertEquals(20, print(false, 0).lines().filter(l -> l.startsWith("epoch 1/1  step ")).count());
        assertEquals(50, ProgressPrinter.defaultInterval(938));
        assertEquals(100, ProgressPrinter.defaultInterval(60_000));
        assertEquals(1, ProgressPrinter.defaultInterval(15));
    }

    @Test
    void onATerminalOneBarIsRedrawnInPlaceAndEndsAtFull() {
        String out = print(true, 0);
        assertTrue(out.contains("\r[" + "#".repeat(20) + "] 100% step 40/40 loss 0.0"), out);
        assertTrue(out.lines().allMatch(l -> l.split("\r").length == 0
                || java.util.Arrays.stream(l.split("\r")).allMatch(part -> part.length() < 80)), "fits 80 columns");
        assertFalse(out.lines().anyMatch(l -> l.startsWith("epoch 1/1  step ")), "no plain step lines:\n" + out);
        assertTrue(out.contains("\nepoch 1: train loss"), "the epoch summary starts on a fresh line");
    }

    @Test
    void aRunawayLossIsPrintedInScientificNotation() {
        assertEquals("1.844e+27", ProgressPrinter.lossText(1.8437e27));
        assertEquals("0.1234", ProgressPrinter.lossText(0.12341));
    }
}
