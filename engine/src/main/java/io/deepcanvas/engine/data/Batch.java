package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * One batch from a {@link DataLoader}, the {@code (inputs, targets)} pair a PyTorch {@code DataLoader} yields with
 * {@code default_collate}: {@code inputs} is {@code [B, ...sample input shape]} and {@code targets} is
 * {@code [B, ...sample target shape]}, i.e. {@code [B]} floats holding class indices for classification.
 * Both tensors own fresh arrays; the loader keeps no reference to them.
 */
public record Batch(Tensor inputs, Tensor targets) {
    /** Number of examples in the batch, B; the last batch of an epoch may be smaller. */
    public int size() {
        return inputs.size(0);
    }
}
