package io.deepcanvas.engine.tensor;

import io.deepcanvas.engine.autograd.AccumulateGrad;
import io.deepcanvas.engine.autograd.Autograd;
import io.deepcanvas.engine.autograd.Function;
import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.BinaryOp;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.backend.UnaryOp;
import io.deepcanvas.engine.backend.cpu.CpuBackend;
import java.util.Arrays;

/**
 * An n-dimensional array of float32 with autograd, PyTorch's {@code torch.Tensor}: a shape and strides over a
 * device {@link Buffer}. Views ({@code view reshape transpose t unsqueeze squeeze flatten expand}) share storage
 * where PyTorch's do. Every op that takes two tensors broadcasts like PyTorch.
 *
 * <p>Index results ({@code argmax}, {@code max(dim).indices()}) and class targets are float tensors holding whole
 * numbers (exact below 2^24): DeepCanvas has one dtype, float32.
 */
public class Tensor {
    private final Buffer buffer;
    private final Shape shape;
    private final int[] strides;
    private final int offset;
    private boolean requiresGrad;
    private Tensor grad;
    /** Whether a caller has seen the current grad ({@link #grad()}, {@link #setGrad}): then only the GC frees it. */
    private boolean gradSeen;
    private Function gradFn;
    private AccumulateGrad accumulator;

    /** A tensor sharing {@code data}'s storage (for {@code Parameter}, which wraps a tensor as PyTorch's does). */
    protected Tensor(Tensor data) {
        this(data.contiguous().buffer, data.shape, data.shape.contiguousStrides(), 0);
    }

    private Tensor(Buffer buffer, Shape shape, int[] strides, int offset) {
        this.buffer = buffer;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ==== creation ============================================================================================

    /** A contiguous tensor over an existing buffer (backends and functional ops build results this way). */
    public static Tensor fromBuffer(Buffer buffer, Shape shape) {
        return new Tensor(buffer, shape, shape.contiguousStrides(), 0);
    }

    /**
     * A new tensor on the {@linkplain Device#defaultDevice() default device} with a copy of {@code data}
     * ({@code torch.tensor(data).view(shape)}).
     */
    public static Tensor fromArray(float[] data, int... shape) {
        Shape s = shapeFor(data, shape);
        return fromBuffer(Device.defaultDevice().backend().upload(data), s);
    }

    /** A CPU tensor that shares {@code data} without copying (like {@code torch.from_numpy}). */
    public static Tensor wrap(float[] data, int... shape) {
        return fromBuffer(CpuBackend.wrap(data), shapeFor(data, shape));
    }

    private static Shape shapeFor(float[] data, int[] shape) {
        Shape s = shape.length == 0 && data.length != 1 ? Shape.of(data.length) : Shape.of(shape);
        if (s.numel() != data.length) {
            throw new IllegalArgumentException("Shape " + s + " needs " + s.numel() + " values but the array has "
                    + data.length + ": pass a shape whose product is " + data.length);
        }
        return s;
    }

    /** A 0-dimensional tensor holding {@code value}, on the default device. */
    public static Tensor scalar(float value) {
        return scalarOn(Device.defaultDevice().backend(), value);
    }

    private static Tensor scalarOn(Backend backend, float value) {
        return fromBuffer(backend.upload(new float[] {value}), Shape.scalar());
    }

    /** Zeros on the {@linkplain Device#defaultDevice() default device}. */
    public static Tensor zeros(int... shape) {
        return zerosOn(Device.defaultDevice().backend(), Shape.of(shape));
    }

    private static Tensor zerosOn(Backend backend, Shape s) {
        return fromBuffer(backend.allocate(s.numel()), s);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        if (value != 0f) {
            t.backend().fill(t.buffer, t.numel(), value);
        }
        return t;
    }

    /** 0, 1, ..., n-1 ({@code torch.arange(n)}). */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, ... below end ({@code torch.arange(start, end, step)}). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step
                    + "): the step must be non-zero and point from start towards end");
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return wrap(d, n);
    }

    /** Uniform values in [0, 1) from the default generator. */
    public static Tensor rand(int... shape) {
        float[] d = new float[Shape.of(shape).numel()];
        Generator.defaultGenerator().fillUniform(d, 0f, 1f);
        return wrap(d, shape);
    }

    /** Standard normal values from the default generator. */
    public static Tensor randn(int... shape) {
        float[] d = new float[Shape.of(shape).numel()];
        Generator.defaultGenerator().fillNormal(d, 0f, 1f);
        return wrap(d, shape);
    }

    /** Zeros of t's shape on t's device ({@code torch.zeros_like}). */
    public static Tensor zerosLike(Tensor t) {
        return zerosOn(t.backend(), t.shape);
    }

    /** Ones of t's shape on t's device ({@code torch.ones_like}). */
    public static Tensor onesLike(Tensor t) {
        Tensor o = zerosOn(t.backend(), t.shape);
        o.backend().fill(o.buffer, o.numel(), 1f);
        return o;
    }

    public static Tensor randLike(Tensor t) {
        return rand(t.shape.toArray()).to(t.device());
    }

    public static Tensor randnLike(Tensor t) {
        return randn(t.shape.toArray()).to(t.device());
    }

    /** Seeds the default generator ({@code torch.manual_seed}). */
    public static void manualSeed(long seed) {
        Generator.defaultGenerator().manualSeed(seed);
    }

    // ==== metadata ============================================================================================

    public Shape shape() {
        return shape;
    }

    /** The dimensions as an array ({@code tensor.size()}). */
    public int[] size() {
        return shape.toArray();
    }

    public int size(int dim) {
        return shape.dim(dim);
    }

    public int dim() {
        return shape.rank();
    }

    public int numel() {
        return shape.numel();
    }

    public int[] strides() {
        return strides.clone();
    }

    public Device device() {
        return Device.of(backend());
    }

    /**
     * This tensor on {@code device}: itself when it is there already, else a copy there that stays in the graph
     * (its gradient goes back to this tensor's device), as {@code tensor.to(device)}.
     */
    public Tensor to(Device device) {
        return to(device.backend());
    }

    private Tensor to(Backend target) {
        if (backend() == target) {
            return this;
        }
        Backend from = backend();
        Tensor out = fromBuffer(target.upload(toArray()), shape);
        return needsGrad(this) ? out.withGradFn(new Function("ToCopyBackward0",
                g -> new Tensor[] {g.to(from)}, this)) : out;
    }

    /**
     * The backend two operands run on: theirs when they share one, else the one that is not the CPU (a CPU
     * operand, such as a batch from a data loader or a scalar, is copied to the device, as PyTorch does for CPU
     * scalars). Two different accelerators are an error.
     */
    public static Backend commonBackend(Tensor a, Tensor b) {
        Backend x = a.backend(), y = b.backend();
        if (x == y || y == CpuBackend.INSTANCE) {
            return x;
        }
        if (x == CpuBackend.INSTANCE) {
            return y;
        }
        throw new IllegalArgumentException("Expected all tensors to be on the same device, but found " + x.name()
                + " and " + y.name() + ": move one with tensor.to(device)");
    }


    /** The backend that owns this tensor's buffer. */
    public Backend backend() {
        return buffer.backend();
    }

    /** The storage, for backends and functional ops; callers must respect {@link #strides()} and offset. */
    public Buffer buffer() {
        return buffer;
    }

    public int storageOffset() {
        return offset;
    }

    /**
     * Whether this tensor is the whole of its buffer, contiguous from its start: then the buffer holds exactly
     * this tensor's values, so it may become a grad as it is, take a product in place, or be recycled with it.
     */
    public boolean spansWholeBuffer() {
        return offset == 0 && isContiguous() && buffer.size() == numel();
    }

    public boolean isContiguous() {
        int[] c = shape.contiguousStrides();
        for (int i = 0; i < c.length; i++) {
            if (shape.dim(i) != 1 && c[i] != strides[i]) {
                return false;
            }
        }
        return true;
    }

    // ==== reading values ======================================================================================

    /** A row-major copy of the values. */
    public float[] toArray() {
        Tensor c = contiguousNoGrad();
        return c.backend().download(c.buffer, c.offset, c.numel());
    }

    /**
     * Copies the values, row-major, into {@code dst} from index {@code at}: {@link #toArray} without a new array,
     * for code that assembles many tensors into one (a data loader's batch).
     */
    public void copyInto(float[] dst, int at) {
        int n = numel();
        if (at < 0 || at > dst.length - n) {
            String fix = dst.length < n ? "the array needs at least " + n + " elements"
                    : "give an index from 0 to " + (dst.length - n);
            throw new IndexOutOfBoundsException("copyInto: " + n + " values of a tensor of shape " + shape
                    + " do not fit in an array of " + dst.length + " at index " + at + "; " + fix);
        }
        Tensor c = contiguousNoGrad();
        c.backend().download(c.buffer, c.offset, n, dst, at);
    }

    /** The values rounded to int (for index tensors and class targets). */
    public int[] toIntArray() {
        float[] f = toArray();
        int[] r = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            r[i] = Math.round(f[i]);
        }
        return r;
    }

    /** The single value of a one-element tensor ({@code tensor.item()}). */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("a Tensor with " + numel() + " elements (shape " + shape
                    + ") cannot be converted to a scalar: reduce it first, e.g. with sum() or mean()");
        }
        return backend().download(buffer, offset, 1)[0];
    }

    /** One value by index, e.g. {@code get(0, 3)}; for tests and small debugging. */
    public float get(int... index) {
        if (index.length != dim()) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a " + dim()
                    + "-dimensional tensor of shape " + shape);
        }
        int pos = offset;
        for (int i = 0; i < index.length; i++) {
            int ix = index[i] < 0 ? index[i] + shape.dim(i) : index[i];
            if (ix < 0 || ix >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + index[i] + " is out of bounds for dimension " + i
                        + " with size " + shape.dim(i));
            }
            pos += ix * strides[i];
        }
        return backend().download(buffer, pos, 1)[0];
    }

    // ==== autograd ============================================================================================

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as needing gradients ({@code requires_grad_()}); returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf tensors; this one was "
                    + "made by " + gradFn.name() + ". Use detach() to get a tensor without grad");
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, or null before the first backward ({@code tensor.grad}). */
    public Tensor grad() {
        gradSeen = grad != null;
        return grad;
    }

    /**
     * The gradient for the engine's own use within a step (the autograd engine adding into it, an optimizer's
     * update, the trainer's gradient statistics), or null. Unlike {@link #grad()} it does not hand the tensor out,
     * so {@link #releaseGrad()} may reuse its memory: a caller must not keep it past the step.
     */
    public Tensor gradForUpdate() {
        return grad;
    }

    /**
     * Sets grad to null ({@code zero_grad(set_to_none=True)} for this tensor). A grad no caller has seen (never
     * returned by {@link #grad()}, not set by {@link #setGrad}) that owns its storage gives the storage back to its
     * backend, so the next backward writes the new gradient into the same, still cached, memory instead of a fresh
     * array, and nothing has to zero it first — what PyTorch's caching allocator does when the last reference to
     * the old grad goes. A grad a caller has seen is only dropped: the caller may still be reading it.
     */
    public void releaseGrad() {
        Tensor g = grad;
        grad = null;
        if (g != null && !gradSeen && g.gradFn == null && g.spansWholeBuffer()) {
            g.buffer.backend().recycle(g.buffer);
        }
        gradSeen = false;
    }

    public void setGrad(Tensor g) {
        if (g != null && !g.shape.equals(shape)) {
            throw new IllegalArgumentException("assigned grad has shape " + g.shape + " but the tensor has shape "
                    + shape);
        }
        grad = g;
        gradSeen = g != null;
    }

    /** The function that made this tensor ({@code grad_fn}), or null for leaves and tensors without grad. */
    public Function gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The node that adds gradients into this leaf (one per tensor, like PyTorch's AccumulateGrad). */
    public AccumulateGrad gradAccumulator() {
        if (accumulator == null) {
            accumulator = new AccumulateGrad(this);
        }
        return accumulator;
    }

    /** Adds {@code g} into {@link #grad()}, owning a fresh buffer so gradients are never aliased. */
    public void accumulateGrad(Tensor g) {
        if (!g.shape.equals(shape)) {
            g = g.sumToShape(shape);
        }
        if (grad == null) {
            grad = g.copy();
        } else {
            grad.addInPlace(g, 1f);
        }
    }

    /**
     * Like {@link #accumulateGrad} for a gradient nothing else references (the backward pass knows when): a
     * fresh contiguous buffer becomes {@code grad} as it is instead of being copied.
     */
    public void accumulateOwnedGrad(Tensor g) {
        if (grad == null && g.shape.equals(shape) && g.gradFn == null && g.spansWholeBuffer()) {
            grad = g;
        } else {
            accumulateGrad(g);
        }
    }

    /** Backward from a scalar: gradients of this value reach every leaf that requires grad. */
    public void backward() {
        backward(false);
    }

    /** Backward from a scalar; {@code retainGraph} keeps the graph for another backward. */
    public void backward(boolean retainGraph) {
        if (numel() != 1) {
            throw new IllegalStateException("grad can be implicitly created only for scalar outputs, but this tensor "
                    + "has shape " + shape + ": call backward(gradient) with a gradient of that shape, or reduce "
                    + "it first (sum() or mean())");
        }
        Autograd.backward(this, onesLike(this), retainGraph);
    }

    /** Backward with an explicit upstream gradient of this tensor's shape ({@code tensor.backward(gradient)}). */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        if (!gradient.shape.equals(shape)) {
            throw new IllegalArgumentException("backward: gradient has shape " + gradient.shape
                    + " but the tensor has shape " + shape + "; pass a gradient of the same shape");
        }
        Autograd.backward(this, gradient, retainGraph);
    }

    /** A tensor sharing storage with this one but outside the graph ({@code tensor.detach()}). */
    public Tensor detach() {
        return new Tensor(buffer, shape, strides, offset);
    }

    /** The values without grad tracking, for manual updates ({@code tensor.data}): {@code p.data().sub_(...)}. */
    public Tensor data() {
        return detach();
    }

    private static boolean needsGrad(Tensor a) {
        return a.requiresGrad && GradMode.isEnabled();
    }

    private static boolean needsGrad(Tensor a, Tensor b) {
        return (a.requiresGrad || b.requiresGrad) && GradMode.isEnabled();
    }

    /** Records {@code fn} as the origin of this (new) tensor; used by every differentiable op. */
    public Tensor withGradFn(Function fn) {
        this.gradFn = fn;
        this.requiresGrad = true;
        return this;
    }

    /**
     * Attaches a backward rule to {@code out} if any input needs grad; returns {@code out}. This is how ops in
     * other packages ({@code Functional}) join the graph.
     */
    public static Tensor record(Tensor out, String name, Function.Rule rule, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                return out.withGradFn(new Function(name, rule, inputs));
            }
        }
        return out;
    }

    // ==== layout and views ====================================================================================

    /** This tensor if it is contiguous from offset 0, else a contiguous copy (recorded for autograd). */
    public Tensor contiguous() {
        if (isContiguous() && offset == 0) {
            return this;
        }
        Tensor out = contiguousNoGrad();
        return needsGrad(this) ? out.withGradFn(new Function("CloneBackward0", g -> new Tensor[] {g}, this)) : out;
    }

    private Tensor contiguousNoGrad() {
        if (isContiguous() && offset == 0) {
            return this;
        }
        Buffer b = backend().allocate(numel());
        backend().copyStrided(buffer, offset, shape.toArray(), strides, b);
        return fromBuffer(b, shape);
    }

    /** A contiguous copy that owns its buffer ({@code tensor.clone()}). */
    public Tensor copy() {
        Buffer b = backend().allocate(numel());
        backend().copyStrided(buffer, offset, shape.toArray(), strides, b);
        return fromBuffer(b, shape);
    }

    /** A copy that stays in the graph ({@code tensor.clone()}). */
    public Tensor cloneTensor() {
        Tensor out = copy();
        return needsGrad(this) ? out.withGradFn(new Function("CloneBackward0", g -> new Tensor[] {g}, this)) : out;
    }

    /**
     * Same data, new shape, no copy ({@code tensor.view}); one dimension may be -1. Needs a contiguous tensor:
     * use {@link #reshape} otherwise.
     */
    public Tensor view(int... newShape) {
        return viewAs(newShape, "ViewBackward0");
    }

    private Tensor viewAs(int[] newShape, String gradFnName) {
        Shape s = inferShape(newShape);
        if (!isContiguous()) {
            throw new IllegalStateException("view size is not compatible with input tensor's size and stride (shape "
                    + shape + ", strides " + Arrays.toString(strides) + "): use reshape(...) instead, which copies");
        }
        Tensor out = new Tensor(buffer, s, s.contiguousStrides(), offset);
        Shape in = shape;
        return needsGrad(this) ? out.withGradFn(new Function(gradFnName, g -> new Tensor[] {g.reshape(in.toArray())},
                this)) : out;
    }

    /** Like {@link #view} but copies when the layout requires it ({@code tensor.reshape}). */
    public Tensor reshape(int... newShape) {
        if (isContiguous()) {
            return viewAs(newShape, "ReshapeAliasBackward0");
        }
        return contiguous().view(newShape);
    }

    private Shape inferShape(int[] newShape) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred (-1) in shape "
                            + Arrays.toString(newShape));
                }
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + newShape[i] + " in "
                        + Arrays.toString(newShape));
            } else {
                known *= newShape[i];
            }
        }
        int[] s = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0) {
                throw new IllegalArgumentException("shape '" + Arrays.toString(newShape)
                        + "' is invalid for input of size " + numel() + " (shape " + shape + ")");
            }
            s[infer] = (int) (numel() / known);
        } else if (known != numel()) {
            throw new IllegalArgumentException("shape '" + Arrays.toString(newShape) + "' is invalid for input of size "
                    + numel() + " (shape " + shape + "): the new shape must hold exactly " + numel() + " elements");
        }
        return Shape.of(s);
    }

    /** Flattens dimensions start..end into one ({@code torch.flatten(x, start, end)}). */
    public Tensor flatten(int startDim, int endDim) {
        if (dim() == 0) {
            return reshape(1);
        }
        int s = shape.normalizeDim(startDim), e = shape.normalizeDim(endDim);
        if (s > e) {
            throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim);
        }
        int[] dims = shape.toArray();
        int[] ns = new int[dims.length - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) {
            ns[j++] = dims[i];
        }
        int prod = 1;
        for (int i = s; i <= e; i++) {
            prod *= dims[i];
        }
        ns[j++] = prod;
        for (int i = e + 1; i < dims.length; i++) {
            ns[j++] = dims[i];
        }
        return reshape(ns);
    }

    /** All dimensions into one. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Swaps two dimensions without copying ({@code tensor.transpose(d0, d1)}). */
    public Tensor transpose(int dim0, int dim1) {
        int a = shape.normalizeDim(dim0), b = shape.normalizeDim(dim1);
        int[] dims = shape.toArray();
        int[] st = strides.clone();
        int t = dims[a];
        dims[a] = dims[b];
        dims[b] = t;
        t = st[a];
        st[a] = st[b];
        st[b] = t;
        Tensor out = new Tensor(buffer, Shape.of(dims), st, offset);
        return needsGrad(this) ? out.withGradFn(new Function("TransposeBackward0",
                g -> new Tensor[] {g.transpose(a, b)}, this)) : out;
    }

    /** Transpose of a matrix ({@code tensor.t()}); 0-D and 1-D tensors are returned as they are. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but this one has shape "
                    + shape + ": use transpose(d0, d1)");
        }
        if (dim() < 2) {
            return this;
        }
        Tensor out = new Tensor(buffer, Shape.of(shape.dim(1), shape.dim(0)), new int[] {strides[1], strides[0]},
                offset);
        return needsGrad(this) ? out.withGradFn(new Function("TBackward0", g -> new Tensor[] {g.t()}, this)) : out;
    }

    /** Reorders dimensions without copying ({@code tensor.permute}). */
    public Tensor permute(int... order) {
        if (order.length != dim()) {
            throw new IllegalArgumentException("permute: got " + order.length + " dimensions "
                    + Arrays.toString(order) + " for a tensor of shape " + shape);
        }
        int[] dims = new int[order.length], st = new int[order.length], inverse = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = shape.normalizeDim(order[i]);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dimension " + d + " repeats in " + Arrays.toString(order));
            }
            seen[d] = true;
            dims[i] = shape.dim(d);
            st[i] = strides[d];
            inverse[d] = i;
        }
        Tensor out = new Tensor(buffer, Shape.of(dims), st, offset);
        return needsGrad(this) ? out.withGradFn(new Function("PermuteBackward0",
                g -> new Tensor[] {g.permute(inverse)}, this)) : out;
    }

    /** Inserts a dimension of size 1 ({@code tensor.unsqueeze(d)}). */
    public Tensor unsqueeze(int d) {
        int r = dim();
        int nd = d < 0 ? d + r + 1 : d;
        if (nd < 0 || nd > r) {
            throw new IllegalArgumentException("unsqueeze: dimension " + d + " out of range [" + (-r - 1) + ", " + r
                    + "] for shape " + shape);
        }
        int[] dims = new int[r + 1], st = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == nd) {
                dims[i] = 1;
                st[i] = j < r ? strides[j] * shape.dim(j) : 1;
            } else {
                dims[i] = shape.dim(j);
                st[i] = strides[j++];
            }
        }
        Tensor out = new Tensor(buffer, Shape.of(dims), st, offset);
        return needsGrad(this) ? out.withGradFn(new Function("UnsqueezeBackward0",
                g -> new Tensor[] {g.squeeze(nd)}, this)) : out;
    }

    /** Removes dimension {@code d} if it has size 1 ({@code tensor.squeeze(d)}). */
    public Tensor squeeze(int d) {
        int nd = shape.normalizeDim(d);
        if (shape.dim(nd) != 1) {
            return this;
        }
        return dropDims(nd, "SqueezeBackward1");
    }

    /** Removes every dimension of size 1 ({@code tensor.squeeze()}). */
    public Tensor squeeze() {
        return dropDims(-1, "SqueezeBackward0");
    }

    private Tensor dropDims(int only, String name) {
        int r = dim();
        int keep = 0;
        for (int i = 0; i < r; i++) {
            if (!(shape.dim(i) == 1 && (only < 0 || i == only))) {
                keep++;
            }
        }
        int[] dims = new int[keep], st = new int[keep];
        for (int i = 0, j = 0; i < r; i++) {
            if (!(shape.dim(i) == 1 && (only < 0 || i == only))) {
                dims[j] = shape.dim(i);
                st[j++] = strides[i];
            }
        }
        Tensor out = new Tensor(buffer, Shape.of(dims), st, offset);
        Shape in = shape;
        return needsGrad(this) ? out.withGradFn(new Function(name, g -> new Tensor[] {g.reshape(in.toArray())}, this))
                : out;
    }

    /** A broadcast view with size-1 dimensions repeated, no copy ({@code tensor.expand}); -1 keeps a size. */
    public Tensor expand(int... sizes) {
        if (sizes.length < dim()) {
            throw new IllegalArgumentException("expand: the number of sizes " + Arrays.toString(sizes)
                    + " must be at least the tensor's dimensions " + shape);
        }
        int[] target = sizes.clone();
        int shift = sizes.length - dim();
        for (int i = 0; i < dim(); i++) {
            if (target[i + shift] == -1) {
                target[i + shift] = shape.dim(i);
            } else if (shape.dim(i) != 1 && shape.dim(i) != target[i + shift]) {
                throw new IllegalArgumentException("expand: the expanded size " + target[i + shift]
                        + " must match the existing size " + shape.dim(i) + " at dimension " + (i + shift)
                        + " (shape " + shape + ")");
            }
        }
        Shape ts = Shape.of(target);
        Tensor out = new Tensor(buffer, ts, shape.broadcastStrides(strides, ts), offset);
        Shape in = shape;
        return needsGrad(this) ? out.withGradFn(new Function("ExpandBackward0",
                g -> new Tensor[] {g.sumToShape(in)}, this)) : out;
    }

    /** Sums a broadcast gradient back down to {@code target} (the adjoint of broadcasting). */
    public Tensor sumToShape(Shape target) {
        if (shape.equals(target)) {
            return this;
        }
        Tensor t = this;
        int lead = dim() - target.rank();
        for (int i = 0; i < lead; i++) {
            t = t.sum(0, false);
        }
        for (int d = 0; d < target.rank(); d++) {
            if (target.dim(d) == 1 && t.shape.dim(d) != 1) {
                t = t.sum(d, true);
            }
        }
        return t;
    }

    /**
     * The slice {@code start .. start+length-1} of dimension {@code dim}, sharing storage ({@code tensor.narrow}).
     * Its gradient flows back into that slice of the input; the rest of the input gets zero.
     */
    public Tensor narrow(int dim, int start, int length) {
        int d = shape.normalizeDim(dim);
        if (start < 0 || length < 0 || start + length > shape.dim(d)) {
            throw new IllegalArgumentException("narrow: start " + start + " + length " + length + " exceeds dimension "
                    + dim + " of size " + shape.dim(d) + " (shape " + shape + ")");
        }
        Tensor out = new Tensor(buffer, shape.with(d, length), strides.clone(), offset + start * strides[d]);
        if (!needsGrad(this)) {
            return out;
        }
        Shape in = shape;
        Backend be = backend();
        return out.withGradFn(new Function("NarrowBackward0", g -> {
            // pad the slice's gradient with zeros on both sides, back to the input's size
            Tensor before = fromBuffer(be.allocate(in.with(d, start).numel()), in.with(d, start));
            int rest = in.dim(d) - start - length;
            Tensor after = fromBuffer(be.allocate(in.with(d, rest).numel()), in.with(d, rest));
            return new Tensor[] {cat(d, before, g, after)};
        }, this));
    }

    /**
     * Joins tensors along {@code dim} ({@code torch.cat(tensors, dim)}); every other dimension must match. Each
     * input's gradient is its {@link #narrow} slice of the output's gradient.
     */
    public static Tensor cat(int dim, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("cat expects at least one tensor");
        }
        Shape first = tensors[0].shape;
        int d = first.normalizeDim(dim);
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Shape s = tensors[i].shape;
            boolean fits = s.rank() == first.rank();
            for (int k = 0; fits && k < s.rank(); k++) {
                fits = k == d || s.dim(k) == first.dim(k);
            }
            if (!fits) {
                throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + dim
                        + ", but tensor " + i + " has shape " + s + " and tensor 0 has shape " + first);
            }
            if (tensors[i].backend() != tensors[0].backend()) {
                throw new IllegalArgumentException("cat: tensor " + i + " is on " + tensors[i].backend().name()
                        + " but tensor 0 is on " + tensors[0].backend().name() + ": move them to one device first");
            }
            total += s.dim(d);
        }
        Shape outShape = first.with(d, total);
        int outer = first.outer(d), inner = first.inner(d);
        // assembled on the host: the backend contract has no copy into an offset yet, and cat is rare (DAG merges)
        float[] out = new float[outShape.numel()];
        int[] starts = new int[tensors.length];
        for (int i = 0, at = 0; i < tensors.length; i++) {
            Tensor t = tensors[i].contiguousNoGrad();
            int len = t.shape.dim(d), block = len * inner;
            float[] src = t.backend().download(t.buffer, 0, t.numel());
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * block, out, (o * total + at) * inner, block);
            }
            starts[i] = at;
            at += len;
        }
        Tensor result = fromBuffer(tensors[0].backend().upload(out), outShape);
        return record(result, "CatBackward0", g -> {
            Tensor[] grads = new Tensor[tensors.length];
            for (int i = 0; i < tensors.length; i++) {
                int len = tensors[i].shape.dim(d);
                grads[i] = tensors[i].requiresGrad ? g.narrow(d, starts[i], len).contiguous() : null;
            }
            return grads;
        }, tensors);
    }

    // ==== element-wise ========================================================================================

    private Tensor unaryOp(UnaryOp op, float s) {
        Tensor x = contiguousNoGrad();
        Buffer out = backend().empty(numel());
        backend().unary(op, x.buffer, s, out, numel());
        return fromBuffer(out, shape);
    }

    private Tensor binaryOp(BinaryOp op, Tensor other) {
        if (other.backend() != backend()) {
            Backend be = commonBackend(this, other);
            return detach().to(be).binaryOp(op, other.detach().to(be));
        }
        Shape out = Shape.broadcast(shape, other.shape);
        Tensor a = offset == 0 ? this : contiguousNoGrad();
        Tensor b = other.offset == 0 ? other : other.contiguousNoGrad();
        Buffer ob = backend().empty(out.numel());
        backend().binary(op, a.buffer, a.shape.broadcastStrides(a.strides, out), b.buffer,
                b.shape.broadcastStrides(b.strides, out), ob, out.toArray());
        return fromBuffer(ob, out);
    }

    public Tensor add(Tensor other) {
        Tensor out = binaryOp(BinaryOp.ADD, other);
        if (!needsGrad(this, other)) {
            return out;
        }
        Shape sa = shape, sb = other.shape;
        return out.withGradFn(new Function("AddBackward0", g -> new Tensor[] {g.sumToShape(sa), g.sumToShape(sb)},
                this, other));
    }

    public Tensor add(float s) {
        Tensor out = unaryOp(UnaryOp.ADD_SCALAR, s);
        return needsGrad(this) ? out.withGradFn(new Function("AddBackward0", g -> new Tensor[] {g}, this)) : out;
    }

    public Tensor sub(Tensor other) {
        Tensor out = binaryOp(BinaryOp.SUB, other);
        if (!needsGrad(this, other)) {
            return out;
        }
        Shape sa = shape, sb = other.shape;
        return out.withGradFn(new Function("SubBackward0",
                g -> new Tensor[] {g.sumToShape(sa), g.neg().sumToShape(sb)}, this, other));
    }

    public Tensor sub(float s) {
        Tensor out = unaryOp(UnaryOp.ADD_SCALAR, -s);
        return needsGrad(this) ? out.withGradFn(new Function("SubBackward0", g -> new Tensor[] {g}, this)) : out;
    }

    public Tensor mul(Tensor other) {
        Tensor out = binaryOp(BinaryOp.MUL, other);
        if (!needsGrad(this, other)) {
            return out;
        }
        Tensor a = this, b = other;
        return out.withGradFn(new Function("MulBackward0", g -> new Tensor[] {
            a.requiresGrad ? g.mul(b).sumToShape(a.shape) : null,
            b.requiresGrad ? g.mul(a).sumToShape(b.shape) : null}, this, other));
    }

    public Tensor mul(float s) {
        Tensor out = unaryOp(UnaryOp.MUL_SCALAR, s);
        return needsGrad(this) ? out.withGradFn(new Function("MulBackward0", g -> new Tensor[] {g.mul(s)}, this))
                : out;
    }

    public Tensor div(Tensor other) {
        Tensor out = binaryOp(BinaryOp.DIV, other);
        if (!needsGrad(this, other)) {
            return out;
        }
        Tensor a = this, b = other;
        return out.withGradFn(new Function("DivBackward0", g -> new Tensor[] {
            a.requiresGrad ? g.div(b).sumToShape(a.shape) : null,
            b.requiresGrad ? g.mul(a).div(b.mul(b)).neg().sumToShape(b.shape) : null}, this, other));
    }

    public Tensor div(float s) {
        Tensor out = unaryOp(UnaryOp.MUL_SCALAR, 1f / s);
        return needsGrad(this) ? out.withGradFn(new Function("DivBackward0", g -> new Tensor[] {g.div(s)}, this))
                : out;
    }

    public Tensor neg() {
        Tensor out = unaryOp(UnaryOp.NEG, 0f);
        return needsGrad(this) ? out.withGradFn(new Function("NegBackward0", g -> new Tensor[] {g.neg()}, this))
                : out;
    }

    /** this ^ exponent, element-wise. */
    public Tensor pow(float exponent) {
        Tensor out = unaryOp(UnaryOp.POW_SCALAR, exponent);
        if (!needsGrad(this)) {
            return out;
        }
        Tensor x = this;
        return out.withGradFn(new Function("PowBackward0",
                g -> new Tensor[] {exponent == 0f ? zerosLike(x) : g.mul(x.pow(exponent - 1f)).mul(exponent)}, this));
    }

    /** this ^ exponent with a tensor exponent (broadcasting). */
    public Tensor pow(Tensor exponent) {
        Tensor out = binaryOp(BinaryOp.POW, exponent);
        if (!needsGrad(this, exponent)) {
            return out;
        }
        Tensor a = this, b = exponent;
        return out.withGradFn(new Function("PowBackward1", g -> new Tensor[] {
            a.requiresGrad ? g.mul(b).mul(a.pow(b.sub(1f))).sumToShape(a.shape) : null,
            b.requiresGrad ? g.mul(out).mul(a.log()).sumToShape(b.shape) : null}, this, exponent));
    }

    public Tensor exp() {
        Tensor out = unaryOp(UnaryOp.EXP, 0f);
        return needsGrad(this) ? out.withGradFn(new Function("ExpBackward0", g -> new Tensor[] {g.mul(out)}, this))
                : out;
    }

    public Tensor log() {
        Tensor out = unaryOp(UnaryOp.LOG, 0f);
        Tensor x = this;
        return needsGrad(this) ? out.withGradFn(new Function("LogBackward0", g -> new Tensor[] {g.div(x)}, this))
                : out;
    }

    public Tensor sqrt() {
        Tensor out = unaryOp(UnaryOp.SQRT, 0f);
        return needsGrad(this) ? out.withGradFn(new Function("SqrtBackward0",
                g -> new Tensor[] {g.div(out.mul(2f))}, this)) : out;
    }

    public Tensor abs() {
        Tensor out = unaryOp(UnaryOp.ABS, 0f);
        Tensor x = this;
        return needsGrad(this) ? out.withGradFn(new Function("AbsBackward0",
                g -> new Tensor[] {g.mul(x.unaryOp(UnaryOp.GT_SCALAR, 0f).mul(2f).sub(1f)
                        .mul(x.unaryOp(UnaryOp.ABS, 0f).unaryOp(UnaryOp.GT_SCALAR, 0f)))}, this)) : out;
    }

    public Tensor sigmoid() {
        Tensor out = unaryOp(UnaryOp.SIGMOID, 0f);
        return needsGrad(this) ? out.withGradFn(new Function("SigmoidBackward0",
                g -> new Tensor[] {g.binaryOp(BinaryOp.SIGMOID_BACKWARD, out)}, this)) : out;
    }

    public Tensor tanh() {
        Tensor out = unaryOp(UnaryOp.TANH, 0f);
        return needsGrad(this) ? out.withGradFn(new Function("TanhBackward0",
                g -> new Tensor[] {g.binaryOp(BinaryOp.TANH_BACKWARD, out)}, this)) : out;
    }

    public Tensor relu() {
        Tensor out = unaryOp(UnaryOp.RELU, 0f);
        return needsGrad(this) ? out.withGradFn(new Function("ReluBackward0",
                g -> new Tensor[] {g.binaryOp(BinaryOp.RELU_BACKWARD, out)}, this)) : out;
    }

    /**
     * This gradient where {@code reluOutput} > 0, else 0 ({@code threshold_backward}): the gradient before a ReLU
     * from the one after it and the ReLU's output. No autograd record.
     */
    public Tensor reluBackward(Tensor reluOutput) {
        return binaryOp(BinaryOp.RELU_BACKWARD, reluOutput);
    }

    /** x if x > 0 else slope·x ({@code F.leaky_relu}). */
    public Tensor leakyRelu(float negativeSlope) {
        Tensor out = unaryOp(UnaryOp.LEAKY_RELU, negativeSlope);
        Tensor x = this;
        return needsGrad(this) ? out.withGradFn(new Function("LeakyReluBackward0", g -> new Tensor[] {
            g.mul(x.unaryOp(UnaryOp.GT_SCALAR, 0f).mul(1f - negativeSlope).add(negativeSlope))}, this)) : out;
    }

    /** 1 where this > value, else 0 (no gradient). */
    public Tensor gt(float value) {
        return unaryOp(UnaryOp.GT_SCALAR, value);
    }

    /** 1 where equal, else 0 (no gradient), with broadcasting. */
    public Tensor eq(Tensor other) {
        return binaryOp(BinaryOp.EQ, other);
    }

    /** Element-wise maximum with broadcasting (no gradient). */
    public Tensor maximum(Tensor other) {
        return binaryOp(BinaryOp.MAX, other);
    }

    // ==== reductions ==========================================================================================

    /** Sum of all elements, a 0-D tensor. */
    public Tensor sum() {
        Tensor x = contiguousNoGrad();
        Tensor out = isOnCpu() ? scalarOn(backend(), (float) backend().sumAll(x.buffer, numel()))
                : x.sumOnDevice(1f);
        Shape in = shape;
        return needsGrad(this) ? out.withGradFn(new Function("SumBackward0",
                g -> new Tensor[] {g.expand(in.toArray()).contiguousNoGrad()}, this)) : out;
    }

    private boolean isOnCpu() {
        return backend() == CpuBackend.INSTANCE;
    }

    /**
     * The scaled sum of this contiguous tensor as a 0-D tensor on its device: a loss stays there until
     * {@code item()} reads it, and its backward starts there (the CPU sums in double on the host instead).
     */
    private Tensor sumOnDevice(float scale) {
        Buffer ob = backend().empty(1);
        backend().sumAxis(buffer, 1, numel(), 1, scale, ob);
        return fromBuffer(ob, Shape.scalar());
    }

    /** Sum over one dimension ({@code tensor.sum(dim, keepdim)}). */
    public Tensor sum(int dim, boolean keepdim) {
        return reduceSum(dim, keepdim, false);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        Tensor x = contiguousNoGrad();
        int n = numel();
        Tensor out = isOnCpu() ? scalarOn(backend(), (float) (backend().sumAll(x.buffer, n) / n))
                : x.sumOnDevice(1f / n);
        Shape in = shape;
        return needsGrad(this) ? out.withGradFn(new Function("MeanBackward0",
                g -> new Tensor[] {g.div((float) n).expand(in.toArray()).contiguousNoGrad()}, this)) : out;
    }

    /** Mean over one dimension ({@code tensor.mean(dim, keepdim)}). */
    public Tensor mean(int dim, boolean keepdim) {
        return reduceSum(dim, keepdim, true);
    }

    private Tensor reduceSum(int dim, boolean keepdim, boolean mean) {
        int d = shape.normalizeDim(dim);
        int outer = shape.outer(d), len = shape.dim(d), inner = shape.inner(d);
        Tensor x = contiguousNoGrad();
        Shape kept = shape.with(d, 1);
        Buffer ob = backend().allocate(outer * inner);
        backend().sumAxis(x.buffer, outer, len, inner, mean ? 1f / len : 1f, ob);
        Tensor out = fromBuffer(ob, keepdim ? kept : shape.without(d));
        if (!needsGrad(this)) {
            return out;
        }
        Shape in = shape;
        return out.withGradFn(new Function(mean ? "MeanBackward1" : "SumBackward1", g -> {
            Tensor gk = g.reshape(kept.toArray());
            if (mean) {
                gk = gk.div((float) len);
            }
            return new Tensor[] {gk.expand(in.toArray()).contiguousNoGrad()};
        }, this));
    }

    /** Values and indices of a max over one dimension ({@code torch.max(x, dim)}). */
    public record MaxResult(Tensor values, Tensor indices) {
    }

    /** Maximum over a dimension with the index of the (first) maximum ({@code tensor.max(dim, keepdim)}). */
    public MaxResult max(int dim, boolean keepdim) {
        int d = shape.normalizeDim(dim);
        int outer = shape.outer(d), len = shape.dim(d), inner = shape.inner(d);
        if (len == 0) {
            throw new IllegalArgumentException("max(): cannot reduce over dimension " + dim + " of size 0 in "
                    + shape);
        }
        Tensor x = contiguousNoGrad();
        Shape kept = shape.with(d, 1);
        Shape outShape = keepdim ? kept : shape.without(d);
        Buffer vb = backend().allocate(outer * inner), ib = backend().allocate(outer * inner);
        backend().maxAxis(x.buffer, outer, len, inner, vb, ib);
        Tensor values = fromBuffer(vb, outShape), indices = fromBuffer(ib, outShape);
        if (needsGrad(this)) {
            Shape in = shape;
            values.withGradFn(new Function("MaxBackward0", g -> {
                // one-hot of the winning index along d, times the upstream gradient
                int[] iotaShape = new int[in.rank()];
                Arrays.fill(iotaShape, 1);
                iotaShape[d] = len;
                Tensor iota = arange(len).reshape(iotaShape);
                Tensor mask = iota.eq(indices.reshape(kept.toArray()));
                return new Tensor[] {mask.mul(g.reshape(kept.toArray()))};
            }, this));
        }
        return new MaxResult(values, indices);
    }

    /** Largest element, a 0-D tensor. */
    public Tensor max() {
        MaxResult m;
        try (io.deepcanvas.engine.autograd.NoGrad ignored = GradMode.noGrad()) {
            m = reshape(-1).max(0, false);
        }
        Tensor out = m.values();
        if (!needsGrad(this)) {
            return out;
        }
        Shape in = shape;
        return out.withGradFn(new Function("MaxBackward1", g -> {
            Tensor mask = arange(in.numel()).eq(m.indices()).reshape(in.toArray());
            return new Tensor[] {mask.mul(g)};
        }, this));
    }

    /** Index of the maximum along {@code dim} ({@code tensor.argmax(dim)}). */
    public Tensor argmax(int dim) {
        return max(dim, false).indices();
    }

    /** Index of the maximum of the flattened tensor. */
    public Tensor argmax() {
        return reshape(-1).argmax(0);
    }

    /** Softmax over {@code dim} ({@code torch.softmax}). */
    public Tensor softmax(int dim) {
        return softmaxOp(dim, false);
    }

    /** Log of softmax over {@code dim}, computed stably ({@code torch.log_softmax}). */
    public Tensor logSoftmax(int dim) {
        return softmaxOp(dim, true);
    }

    private Tensor softmaxOp(int dim, boolean log) {
        int d = shape.normalizeDim(dim);
        int outer = shape.outer(d), len = shape.dim(d), inner = shape.inner(d);
        Tensor x = contiguousNoGrad();
        Buffer ob = backend().allocate(numel());
        backend().softmax(x.buffer, outer, len, inner, log, ob);
        Tensor out = fromBuffer(ob, shape);
        if (!needsGrad(this)) {
            return out;
        }
        return out.withGradFn(new Function(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", g -> {
            Tensor gc = g.contiguousNoGrad();
            Buffer gb = backend().allocate(numel());
            backend().softmaxBackward(out.buffer, gc.buffer, outer, len, inner, log, gb);
            return new Tensor[] {fromBuffer(gb, out.shape)};
        }, this));
    }

    // ==== matrix products =====================================================================================

    /** Matrix product of two 2-D tensors ({@code torch.mm}). */
    public Tensor mm(Tensor other) {
        if (dim() != 2 || other.dim() != 2) {
            throw new IllegalArgumentException("mm expects two 2-D matrices but got shapes " + shape + " and "
                    + other.shape + ": use matmul for batched or vector products");
        }
        int m = size(0), k = size(1), n = other.size(1);
        if (other.size(0) != k) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and "
                    + other.size(0) + "x" + n + "): the columns of the first (" + k
                    + ") must equal the rows of the second (" + other.size(0) + ")"
                    + (other.size(1) == k ? "; did you mean to transpose the second, other.t()?" : ""));
        }
        Tensor a = matrixOperand(this), b = matrixOperand(other);
        Buffer cb = backend().empty(m * n);
        backend().gemm(1, !isRowMajor(a), !isRowMajor(b), m, n, k, a.buffer, 0, b.buffer, 0, cb, false);
        Tensor out = fromBuffer(cb, Shape.of(m, n));
        if (!needsGrad(this, other)) {
            return out;
        }
        Tensor x = this, y = other;
        return out.withGradFn(new Function("MmBackward0", g -> new Tensor[] {
            x.requiresGrad ? g.mm(y.t()) : null,
            y.requiresGrad ? x.t().mm(g) : null}, this, other));
    }

    /**
     * {@code x·weightᵀ + bias}, then max(0, ·) when {@code relu}, in one backend call ({@link Backend#linear}):
     * the bias and the ReLU are applied to each part of the product as it is finished. x [m, k], weight [n, k],
     * bias [n] or null. Records nothing for autograd: {@code F.linear} records the backward.
     */
    public static Tensor linearProduct(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        if (x.dim() != 2 || weight.dim() != 2 || weight.size(1) != x.size(1) || (bias != null && (bias.dim() != 1
                || bias.size(0) != weight.size(0)))) {
            throw new IllegalArgumentException("linearProduct: x " + x.shape + ", weight " + weight.shape + ", bias "
                    + (bias == null ? "none" : bias.shape) + ": x must be [m, k], weight [n, k] and bias [n]");
        }
        // the layer's device decides: a CPU batch goes to the weights, not the weights to the batch
        x = x.to(weight.backend());
        bias = bias == null ? null : bias.to(weight.backend());
        int m = x.size(0), k = x.size(1), n = weight.size(0);
        Tensor a = matrixOperand(x), b = matrixOperand(weight.t());
        Buffer biasBuffer = null;
        if (bias != null) {
            biasBuffer = bias.offset == 0 && bias.isContiguous() ? bias.buffer : bias.contiguousNoGrad().buffer;
        }
        Buffer cb = x.backend().empty(m * n);
        x.backend().linear(!isRowMajor(a), !isRowMajor(b), m, n, k, a.buffer, b.buffer, biasBuffer, relu, cb);
        return fromBuffer(cb, Shape.of(m, n));
    }

    /** A matrix operand the GEMM can read in place: row-major or a transposed row-major matrix, offset 0. */
    private static Tensor matrixOperand(Tensor t) {
        if (t.offset == 0 && (isRowMajor(t) || isColumnMajor(t))) {
            return t;
        }
        return t.contiguousNoGrad();
    }

    /**
     * Whether {@link #addMatmul_} can write into this tensor: a 2-D tensor, contiguous from the start of a buffer
     * it spans whole, with no autograd history.
     */
    public boolean acceptsMatmulInPlace() {
        return dim() == 2 && spansWholeBuffer() && gradFn == null && !requiresGrad;
    }

    /**
     * {@code this += a · b} in place ({@code addmm_} with alpha = beta = 1), recording nothing for autograd. The
     * backward of a Linear layer uses it to add a weight gradient straight into the weight's existing grad — the
     * in-place add PyTorch's AccumulateGrad does — instead of writing the product to a new buffer and adding that
     * (for the ConvNet's 3136×1000 layer, 12.5 MB written and read back per step).
     */
    public void addMatmul_(Tensor a, Tensor b) {
        if (!acceptsMatmulInPlace()) {
            throw new IllegalStateException("addMatmul_ needs a plain 2-D tensor that owns its buffer, got shape "
                    + shape + (isContiguous() ? "" : " (not contiguous)") + (offset == 0 ? "" : " at offset " + offset)
                    + (gradFn == null && !requiresGrad ? "" : " with autograd history")
                    + ": use add_(a.mm(b)) instead");
        }
        if (a.dim() != 2 || b.dim() != 2 || a.size(0) != size(0) || b.size(1) != size(1) || a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("addMatmul_: " + a.shape + " · " + b.shape + " cannot be added to "
                    + shape + ": a must be [" + size(0) + ", k] and b [k, " + size(1) + "]");
        }
        Tensor am = matrixOperand(a), bm = matrixOperand(b);
        backend().gemm(1, !isRowMajor(am), !isRowMajor(bm), size(0), size(1), a.size(1), am.buffer, 0, bm.buffer, 0,
                buffer, true);
    }

    private static boolean isRowMajor(Tensor t) {
        return t.strides[1] == 1 && (t.strides[0] == t.shape.dim(1) || t.shape.dim(0) == 1);
    }

    private static boolean isColumnMajor(Tensor t) {
        return t.strides[0] == 1 && (t.strides[1] == t.shape.dim(0) || t.shape.dim(1) == 1) && !isRowMajor(t);
    }

    /** Batched matrix product of [b, m, k] and [b, k, n] ({@code torch.bmm}). */
    public Tensor bmm(Tensor other) {
        if (dim() != 3 || other.dim() != 3) {
            throw new IllegalArgumentException("bmm expects two 3-D tensors but got shapes " + shape + " and "
                    + other.shape);
        }
        int batch = size(0), m = size(1), k = size(2), n = other.size(2);
        if (other.size(0) != batch || other.size(1) != k) {
            throw new IllegalArgumentException("bmm: shapes " + shape + " and " + other.shape + " cannot be multiplied: "
                    + "batch sizes must match and the columns of the first (" + k
                    + ") must equal the rows of the second (" + other.size(1) + ")");
        }
        Tensor a = contiguousNoGrad(), b = other.contiguousNoGrad();
        Buffer cb = backend().allocate(batch * m * n);
        backend().gemm(batch, false, false, m, n, k, a.buffer, m * k, b.buffer, k * n, cb, false);
        Tensor out = fromBuffer(cb, Shape.of(batch, m, n));
        if (!needsGrad(this, other)) {
            return out;
        }
        Tensor x = this, y = other;
        return out.withGradFn(new Function("BmmBackward0", g -> new Tensor[] {
            x.requiresGrad ? g.bmm(y.transpose(1, 2).contiguousNoGrad()) : null,
            y.requiresGrad ? x.transpose(1, 2).contiguousNoGrad().bmm(g) : null}, this, other));
    }

    /**
     * Matrix product with PyTorch's {@code torch.matmul} rules: 1-D operands are treated as vectors, 2-D as
     * matrices, and leading dimensions of higher-rank operands broadcast as a batch.
     */
    public Tensor matmul(Tensor other) {
        if (dim() == 0 || other.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes " + shape
                    + " and " + other.shape);
        }
        if (dim() == 1 && other.dim() == 1) {
            if (size(0) != other.size(0)) {
                throw new IllegalArgumentException("matmul: vectors of different lengths " + shape + " and "
                        + other.shape);
            }
            return unsqueeze(0).mm(other.unsqueeze(1)).reshape();
        }
        if (dim() == 1) {
            return unsqueeze(0).matmul(other).squeeze(-2);
        }
        if (other.dim() == 1) {
            return matmul(other.unsqueeze(1)).squeeze(-1);
        }
        if (dim() == 2 && other.dim() == 2) {
            return mm(other);
        }
        int m = size(-2), k = size(-1), n = other.size(-1);
        if (other.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + shape + " and " + other.shape
                    + " cannot be multiplied (" + m + "x" + k + " and " + other.size(-2) + "x" + n + ")");
        }
        if (other.dim() == 2) {
            // fold the batch into the rows: one large GEMM instead of many small ones
            int[] outShape = shape.toArray();
            outShape[outShape.length - 1] = n;
            return reshape(-1, k).mm(other).reshape(outShape);
        }
        Shape batchA = Shape.of(Arrays.copyOf(size(), dim() - 2));
        Shape batchB = Shape.of(Arrays.copyOf(other.size(), other.dim() - 2));
        Shape batch = Shape.broadcast(batchA, batchB);
        int[] ea = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        ea[batch.rank()] = m;
        ea[batch.rank() + 1] = k;
        int[] eb = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        eb[batch.rank()] = k;
        eb[batch.rank() + 1] = n;
        int[] outShape = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        outShape[batch.rank()] = m;
        outShape[batch.rank() + 1] = n;
        return expand(ea).reshape(-1, m, k).bmm(other.expand(eb).reshape(-1, k, n)).reshape(outShape);
    }

    // ==== in-place updates (optimizers, manual SGD, initialization) ===========================================

    private void checkInPlace(String op) {
        if (GradMode.isEnabled() && requiresGrad) {
            throw new IllegalStateException("a leaf tensor that requires grad is being used in an in-place operation ("
                    + op + "): wrap the update in a no-grad scope (GradMode.noGrad()) or update data() instead");
        }
        if (!isContiguous() || offset != 0) {
            throw new IllegalStateException(op + " needs a contiguous tensor; this view has shape " + shape
                    + " and strides " + Arrays.toString(strides) + ": call contiguous() first");
        }
    }

    private void addInPlace(Tensor other, float alpha) {
        other = other.to(backend());
        Tensor o = alpha == 1f ? other : other.mul(alpha);
        Tensor src = o.offset == 0 ? o : o.contiguousNoGrad();
        backend().binary(BinaryOp.ADD, buffer, strides, src.buffer, src.shape.broadcastStrides(src.strides, shape),
                buffer, shape.toArray());
    }

    private void checkBroadcastsTo(Tensor other, String op) {
        if (!Shape.broadcast(shape, other.shape).equals(shape)) {
            throw new IllegalArgumentException(op + ": a tensor of shape " + other.shape
                    + " cannot be broadcast into the in-place target of shape " + shape);
        }
    }

    /** this += other ({@code tensor.add_}). */
    public Tensor add_(Tensor other) {
        checkInPlace("add_");
        checkBroadcastsTo(other, "add_");
        addInPlace(other, 1f);
        return this;
    }

    /** this += alpha · other ({@code tensor.add_(other, alpha=...)}). */
    public Tensor add_(Tensor other, float alpha) {
        checkInPlace("add_");
        checkBroadcastsTo(other, "add_");
        addInPlace(other, alpha);
        return this;
    }

    public Tensor add_(float s) {
        checkInPlace("add_");
        backend().unary(UnaryOp.ADD_SCALAR, buffer, s, buffer, numel());
        return this;
    }

    /** this −= other ({@code tensor.sub_}). */
    public Tensor sub_(Tensor other) {
        checkInPlace("sub_");
        checkBroadcastsTo(other, "sub_");
        addInPlace(other, -1f);
        return this;
    }

    public Tensor sub_(float s) {
        return add_(-s);
    }

    public Tensor mul_(float s) {
        checkInPlace("mul_");
        backend().unary(UnaryOp.MUL_SCALAR, buffer, s, buffer, numel());
        return this;
    }

    public Tensor mul_(Tensor other) {
        checkInPlace("mul_");
        checkBroadcastsTo(other, "mul_");
        other = other.detach().to(backend());
        Tensor src = other.offset == 0 ? other : other.contiguousNoGrad();
        backend().binary(BinaryOp.MUL, buffer, strides, src.buffer, src.shape.broadcastStrides(src.strides, shape),
                buffer, shape.toArray());
        return this;
    }

    public Tensor zero_() {
        return fill_(0f);
    }

    public Tensor fill_(float value) {
        checkInPlace("fill_");
        backend().fill(buffer, numel(), value);
        return this;
    }

    /** Copies values from {@code src} (broadcast to this shape) ({@code tensor.copy_}). */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        checkBroadcastsTo(src, "copy_");
        src = src.detach().to(backend());
        Tensor s = src.offset == 0 ? src : src.contiguousNoGrad();
        Tensor expanded = new Tensor(s.buffer, shape, s.shape.broadcastStrides(s.strides, shape), 0);
        backend().copyStrided(expanded.buffer, 0, shape.toArray(), expanded.strides, buffer);
        return this;
    }

    /** Fills with uniform values in [lo, hi) from the default generator ({@code tensor.uniform_}). */
    public Tensor uniform_(float lo, float hi) {
        checkInPlace("uniform_");
        float[] d = new float[numel()];
        Generator.defaultGenerator().fillUniform(d, lo, hi);
        return copy_(wrap(d, shape.toArray()));
    }

    /** Fills with normal values ({@code tensor.normal_}). */
    public Tensor normal_(float mean, float std) {
        checkInPlace("normal_");
        float[] d = new float[numel()];
        Generator.defaultGenerator().fillNormal(d, mean, std);
        return copy_(wrap(d, shape.toArray()));
    }

    // ==== printing ============================================================================================

    /** Prints like PyTorch: {@code tensor([[1.0000, 2.0000]], grad_fn=<AddBackward0>)}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
