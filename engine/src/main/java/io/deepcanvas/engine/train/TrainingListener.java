package io.deepcanvas.engine.train;

/**
 * Receives a {@link Trainer}'s events, on the training thread: keep it quick, or hand the event to another thread
 * (the editor queues events and drains them once per frame). An exception thrown here is logged and ignored, so a
 * broken panel can never stop a training run.
 */
@FunctionalInterface
public interface TrainingListener {
    void onEvent(TrainingEvent event);
}
