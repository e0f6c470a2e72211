package io.deepcanvas.app.training;

import java.util.function.LongConsumer;
import javafx.animation.AnimationTimer;

/**
 * Calls a task on every frame while started: how the view-model drains its event queue on the FX thread. The app
 * uses {@link #animationTimer()}; a test without the FX toolkit uses {@link #manual()} and calls
 * {@link TrainingViewModel#drain()} itself.
 */
public interface FramePump {
    /** Starts calling {@code frame} with the frame's time in nanoseconds. */
    void start(LongConsumer frame);

    void stop();

    /** Once per JavaFX pulse, through an {@link AnimationTimer}. */
    static FramePump animationTimer() {
        return new FramePump() {
            private AnimationTimer timer;

            @Override
            public void start(LongConsumer frame) {
                if (timer != null) {
                    timer.stop();
                }
                timer = new AnimationTimer() {
                    @Override
                    public void handle(long now) {
                        frame.accept(now);
                    }
                };
                timer.start();
            }

            @Override
            public void stop() {
                if (timer != null) {
                    timer.stop();
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
