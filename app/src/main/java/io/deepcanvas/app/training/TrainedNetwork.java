package io.deepcanvas.app.training;

import io.deepcanvas.engine.data.Transform;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.tensor.Shape;

/**
 * A network with trained weights, ready to evaluate or to predict: the compiled module, the transform its inputs
 * need (the project's Pad/Normalize, null for none) and the sample shape its Input expects (without the batch).
 * Handed from the trainer thread to the FX thread once a run ends; whoever runs it does so off the FX thread, one
 * caller at a time (a module keeps no per-call state, but the CPU backend's buffers are best not shared).
 *
 * @param projectName the project the weights belong to, for titles
 * @param steps how many optimizer steps produced these weights
 */
public record TrainedNetwork(GraphModule module, Transform transform, Shape inputShape, String projectName,
                             long steps) {
}
