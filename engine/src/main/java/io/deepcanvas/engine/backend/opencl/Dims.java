package io.deepcanvas.engine.backend.opencl;

/**
 * Shapes and strides packed for the kernels' {@code int8} arguments: dimensions of size 1 dropped, neighbours that
 * every operand steps through contiguously merged (so most views need far fewer than 8), then padded in front with
 * size-1 dimensions.
 */
final class Dims {
    static final int MAX_RANK = 8;

    final int[] shape = new int[MAX_RANK];
    final int[][] strides;

    private Dims(int operands) {
        strides = new int[operands][MAX_RANK];
    }

    static Dims of(String op, int[] shape, int[]... strides) {
        int r = shape.length;
        int[] s = new int[r];
        int[][] st = new int[strides.length][r];
        int k = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) {
                continue;
            }
            // the kept dimension before this one steps exactly over it in every operand: one dimension will do
            boolean merge = k > 0;
            for (int o = 0; o < strides.length && merge; o++) {
                merge = st[o][k - 1] == strides[o][d] * shape[d];
            }
            if (merge) {
                s[k - 1] *= shape[d];
                for (int o = 0; o < strides.length; o++) {
                    st[o][k - 1] = strides[o][d];
                }
            } else {
                s[k] = shape[d];
                for (int o = 0; o < strides.length; o++) {
                    st[o][k] = strides[o][d];
                }
                k++;
            }
        }
        if (k > MAX_RANK) {
            throw new UnsupportedOperationException("OpenCL " + op + ": a view of rank " + k + " after merging "
                    + "contiguous dimensions; the kernels take at most " + MAX_RANK
                    + ": make the tensor contiguous() first or reshape it to fewer dimensions");
        }
        Dims out = new Dims(strides.length);
        java.util.Arrays.fill(out.shape, 1);
        int pad = MAX_RANK - k;
        for (int d = 0; d < k; d++) {
            out.shape[pad + d] = s[d];
            for (int o = 0; o < strides.length; o++) {
                out.strides[o][pad + d] = st[o][d];
            }
        }
        return out;
    }
}
