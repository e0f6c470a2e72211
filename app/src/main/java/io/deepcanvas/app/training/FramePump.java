package io.deepcanvas.app.training;

import java.util.function.LongConsumer;
import javafx.animation.AnimationTimer;

/**
 * Calls a task on the FX thread, often, while started: how the view-model drains its event queue. The app uses
 * {@link #ticker(long)}; a test without the FX toolkit uses {@link #manual()} and calls
 * {@link TrainingViewModel#drain()} itself.
 */
public interface FramePump {
    /** Starts calling {@code frame} with the frame's time in nanoseconds. */
    void start(LongConsumer frame);

    void stop();

    /**
     * Asks for a frame now, ahead of the next tick (any thread): for what the user should see at once, such as a
     * run that paused or ended. Does nothing when not started, or when a frame is already on its way.
     */
    default void wake() {
    }

    /**
     * Every {@code periodMillis} on the FX thread, from a timer thread, and at once on {@link #wake()}: unlike an
     * {@link AnimationTimer} (or a {@code Timeline}), which keeps JavaFX pulsing 60 times a second for as long as it
     * runs, a tick costs the FX thread nothing between ticks, and a pulse happens only when a tick changed something
     * to show. On a 2-core machine the idle pulses of a 60 Hz animation took a measurable share of the core the
     * training shares. A tick is posted only once the previous one has run, so a busy FX thread never finds a
     * backlog of them.
     */
    static FramePump ticker(long periodMillis) {
        return new FramePump() {
            private java.util.concurrent.ScheduledExecutorService timer;
            /** The started pump's frame poster, or null: read by {@link #wake()} from any thread. */
            private volatile Runnable post;

            @Override
            public void start(LongConsumer frame) {
                stop();
                java.util.concurrent.atomic.AtomicBoolean posted = new java.util.concurrent.atomic.AtomicBoolean();
                timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "deepcanvas-frame-ticker");
                    t.setDaemon(true);
                    return t;
                });
                java.util.concurrent.ScheduledExecutorService mine = timer;
                Runnable poster = () -> {
                    if (posted.compareAndSet(false, true)) {
                        javafx.application.Platform.runLater(() -> {
                            posted.set(false);
                            // a tick that arrives after stop() (already queued) does nothing
                            if (timer == mine) {
                                frame.accept(System.nanoTime());
                            }
                        });
                    }
                };
                post = poster;
                timer.scheduleAtFixedRate(poster, 0, periodMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            }

            @Override
            public void wake() {
                Runnable p = post;
                if (p != null) {
                    p.run();
                }
            }

            @Override
            public void stop() {
                post = null;
                if (timer != null) {
                    timer.shutdownNow();
                    timer = null;
                }
            }
        };
    }

    /** Never calls the task: the owner drains by hand (tests). */
    static FramePump manual() {
        return new FramePump() {
            @Override
            public void start(LongConsumer frame) {
            }

            @Override
            public void stop() {
            }
        };
    }
}
