package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Pairs of rows of two tensors along dimension 0, like {@code torch.utils.data.TensorDataset(inputs, targets)}:
 * example i is {@code (inputs[i], targets[i])}. Targets of shape {@code [N]} give 0-d targets (class indices or
 * scalar values); shape {@code [N, k]} gives {@code [k]} targets.
 *
 * <p>Both tensors are copied once, at construction (later changes to them are not seen); each {@link #get} copies
 * one row.
 */
public final class TensorDataset implements Dataset {
    private final float[] inputs;
    private final float[] targets;
    private final int[] inputRowShape;
    private final int[] targetRowShape;
    private final int inputRow;
    private final int targetRow;
    private final int size;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs == null || targets == null) {
            throw new NullPointerException("TensorDataset: " + (inputs == null ? "inputs" : "targets") + " is null");
        }
        int[] in = inputs.shape().toArray();
        int[] tg = targets.shape().toArray();
        if (in.length == 0 || tg.length == 0) {
            throw new IllegalArgumentException("TensorDataset: " + (in.length == 0 ? "inputs" : "targets")
                    + " is a 0-d tensor; both tensors need a first dimension that indexes the examples");
        }
        if (in[0] != tg[0]) {
            throw new IllegalArgumentException("TensorDataset: inputs have " + in[0] + " rows (shape "
                    + inputs.shape() + ") but targets have " + tg[0] + " (shape " + targets.shape()
                    + "); both tensors need the same size in dimension 0");
        }
        this.size = in[0];
        this.inputs = inputs.toArray();
        this.targets = targets.toArray();
        this.inputRowShape = Arrays.copyOfRange(in, 1, in.length);
        this.targetRowShape = Arrays.copyOfRange(tg, 1, tg.length);
        this.inputRow = size == 0 ? 0 : this.inputs.length / size;
        this.targetRow = size == 0 ? 0 : this.targets.length / size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(index, size, this);
        float[] x = Arrays.copyOfRange(inputs, index * inputRow, (index + 1) * inputRow);
        float[] y = Arrays.copyOfRange(targets, index * targetRow, (index + 1) * targetRow);
        return new Example(Tensor.wrap(x, inputRowShape), Tensor.wrap(y, targetRowShape));
    }

    @Override
    public String toString() {
        return "TensorDataset(" + size + " examples, input " + Arrays.toString(inputRowShape) + ", target "
                + Arrays.toString(targetRowShape) + ")";
    }
}
