package io.deepcanvas.engine.tensor;

import java.util.Arrays;

/**
 * The size of a tensor, like {@code torch.Size}: an immutable list of dimension lengths.
 * Negative dimension indices count from the end, as in PyTorch.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(dims) + ": dimension lengths must be >= 0");
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(dims) + " has " + n
                    + " elements, more than one tensor can hold (" + Integer.MAX_VALUE + ")");
        }
        this.dims = dims;
        this.numel = (int) n;
    }

    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    public int numel() {
        return numel;
    }

    /** Length of dimension {@code d}; negative {@code d} counts from the end. */
    public int dim(int d) {
        return dims[normalizeDim(d)];
    }

    public int[] toArray() {
        return dims.clone();
    }

    /** Turns a possibly negative dimension index into 0..rank-1, or explains the valid range. */
    public int normalizeDim(int d) {
        int r = dims.length;
        int nd = d < 0 ? d + r : d;
        if (r == 0) {
            throw new IllegalArgumentException("Dimension out of range: got " + d + " for a 0-d tensor, which has no"
                    + " dimension to index: reshape(1) it first");
        }
        if (nd < 0 || nd >= r) {
            throw new IllegalArgumentException("Dimension out of range: got " + d + " for a tensor of shape " + this
                    + " (expected a value in [" + (-r) + ", " + (r - 1) + "])");
        }
        return nd;
    }

    /** Row-major (C-contiguous) strides for this shape. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Product of the dimensions before {@code d}. */
    public int outer(int d) {
        int n = 1;
        for (int i = 0; i < d; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code d}. */
    public int inner(int d) {
        int n = 1;
        for (int i = d + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with dimension {@code d} set to {@code len}. */
    public Shape with(int d, int len) {
        int[] nd = dims.clone();
        nd[normalizeDim(d)] = len;
        return new Shape(nd);
    }

    /** This shape without dimension {@code d}. */
    public Shape without(int d) {
        int k = normalizeDim(d);
        int[] nd = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != k) {
                nd[j++] = dims[i];
            }
        }
        return new Shape(nd);
    }

    /** The shape two operands broadcast to, following NumPy/PyTorch rules, or an error naming both. */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.rank()) >= 0 ? a.dims[i - (r - a.rank())] : 1;
            int db = i - (r - b.rank()) >= 0 ? b.dims[i - (r - b.rank())] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i + ": shapes " + a + " and " + b
                        + " cannot be broadcast; reshape one operand or insert a dimension of size 1");
            }
            out[i] = Math.max(da, db);
        }
        return new Shape(out);
    }

    /**
     * Strides for reading a tensor of this shape (with the given strides) as if broadcast to {@code target}:
     * broadcast dimensions get stride 0.
     */
    public int[] broadcastStrides(int[] strides, Shape target) {
        int r = target.rank();
        int[] out = new int[r];
        int shift = r - dims.length;
        for (int i = 0; i < dims.length; i++) {
            out[i + shift] = dims[i] == 1 && target.dims[i + shift] != 1 ? 0 : strides[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Like PyTorch's {@code torch.Size([2, 3])} but shorter: {@code [2, 3]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
