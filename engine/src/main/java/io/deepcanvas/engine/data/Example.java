package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * One sample of a {@link Dataset}: the {@code (input, target)} pair a PyTorch dataset's {@code __getitem__} returns.
 *
 * <p>For classification the target is a 0-d float tensor holding the class index (see {@link #of(Tensor, int)}),
 * so that {@link DataLoader} collates targets exactly like inputs, by stacking: B 0-d targets become a {@code [B]}
 * tensor, B targets of shape {@code [k]} (regression) a {@code [B, k]} tensor, as {@code default_collate} does.
 */
public record Example(Tensor input, Tensor target) {
    public Example {
        if (input == null) {
            throw new NullPointerException("Example: input is null; a dataset must return an input tensor");
        }
        if (target == null) {
            throw new NullPointerException("Example: target is null; a dataset must return a target tensor"
                    + " (for classification use Example.of(input, classIndex))");
        }
    }

    /** A classification example: the target is a 0-d float tensor holding {@code label}. */
    public static Example of(Tensor input, int label) {
        return new Example(input, Tensor.wrap(new float[] {label}));
    }

    /** The target read as a class index; the target must hold exactly one value. */
    public int label() {
        if (target.numel() != 1) {
            throw new IllegalStateException("Example.label(): the target has shape " + target.shape() + " ("
                    + target.numel() + " values), a class label needs exactly one; read target() instead");
        }
        return (int) target.toArray()[0];
    }
}
