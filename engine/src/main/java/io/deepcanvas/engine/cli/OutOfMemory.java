package io.deepcanvas.engine.cli;

import java.util.Locale;

/**
 * What to say when Java's heap is exhausted ({@code java.lang.OutOfMemoryError: Java heap space}): the heap there
 * was and the two fixes, a smaller batch or a larger heap through the launcher's {@code DEEPCANVAS_JAVA_OPTS}.
 */
final class OutOfMemory {
    private OutOfMemory() {
    }

    /**
     * {@code what} (e.g. "training ran out of memory at step 1") with the heap size and the fixes; {@code batchSize}
     * is the batch in use, or 0 when the work had none.
     */
    static String message(String what, int batchSize) {
        long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        // at least twice the heap there was, in whole gigabytes as -Xmx is usually written
        long suggestGb = Math.max(2, (2 * heapMb + 1023) / 1024);
        return String.format(Locale.ROOT, "%s (Java heap space: the heap holds %,d MB)%s: %sgive Java more memory, "
                        + "e.g. DEEPCANVAS_JAVA_OPTS=-Xmx%dg deepcanvas ...", what, heapMb,
                batchSize > 0 ? " with batches of " + batchSize : "",
                batchSize > 1 ? "use a smaller batch (--batch-size " + Math.max(1, batchSize / 2) + "), or " : "",
                suggestGb);
    }
}
