package io.deepcanvas.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.data.Mnist;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch too large for the heap ends the run with one line that names both fixes, not "Java heap space". */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void runningOutOfHeapNamesASmallerBatchAndMoreHeap() throws Exception {
        // 200 MB holds MNIST but not the activations of 30,000 images (the first convolution alone needs 376 MB)
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx200m", "-cp", System.getProperty("java.class.path"),
                Cli.class.getName(), "train", ProjectCommandsTest.layout("lenet5.json").toString(), "--data",
                Mnist.sampleDataFolder().toAbsolutePath().toString(), "--device", "cpu", "--batch-size", "30000",
                "--steps", "1", "--save-weights", dir.resolve("w.safetensors").toString()))
                .directory(dir.toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), err);
        assertEquals(1, p.exitValue(), err);
        String line = err.lines().filter(l -> l.startsWith("deepcanvas: train: ")).findFirst().orElse(err);
        assertTrue(line.startsWith("deepcanvas: train: training ran out of memory at step 1 (Java heap space: the "
                + "heap holds "), line);
        assertTrue(line.endsWith("MB) with batches of 30000: use a smaller batch (--batch-size 15000), or give Java "
                + "more memory, e.g. DEEPCANVAS_JAVA_OPTS=-Xmx2g deepcanvas ..."), line);
    }
}
