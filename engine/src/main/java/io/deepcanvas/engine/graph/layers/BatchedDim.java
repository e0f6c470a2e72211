package io.deepcanvas.engine.graph.layers;

import io.deepcanvas.engine.graph.ShapeError;
import io.deepcanvas.engine.tensor.Shape;

/**
 * Dimension arguments of Softmax and Flatten count as in PyTorch, on the batched tensor (dim 0 is the batch), so
 * the exported code reads {@code nn.Softmax(dim=1)} exactly as tutorials write it.
 */
final class BatchedDim {
    private BatchedDim() {
    }

    /** {@code dim} as an index into the batched tensor (never 0, the batch), or a problem naming the range. */
    static int normalize(String param, int dim, Shape sample, String batchFix) {
        int rank = sample.rank() + 1;
        if (dim < -rank || dim >= rank) {
            throw new ShapeError(0, param + "=" + dim + " is out of range for the batched input " + batched(sample)
                    + ": use a value from " + (-rank) + " to " + (rank - 1));
        }
        int d = dim < 0 ? dim + rank : dim;
        if (d == 0) {
            throw new ShapeError(param + "=" + dim + " is the batch dimension (" + batched(sample) + "): " + batchFix);
        }
        return d;
    }

    /** {@code [N, 16, 5, 5]}: how the batched shape is shown in messages. */
    static String batched(Shape sample) {
        String s = sample.toString();
        return sample.rank() == 0 ? "[N]" : "[N, " + s.substring(1);
    }
}
