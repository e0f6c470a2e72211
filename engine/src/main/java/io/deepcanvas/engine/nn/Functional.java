package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.backend.Backend;
import io.deepcanvas.engine.backend.Buffer;
import io.deepcanvas.engine.backend.Conv2dGeometry;
import io.deepcanvas.engine.backend.Pool2dGeometry;
import io.deepcanvas.engine.tensor.Generator;
import io.deepcanvas.engine.tensor.Shape;
import io.deepcanvas.engine.tensor.Tensor;

/**
 * Stateless neural-network operations ({@code torch.nn.functional}). The layers in this package delegate here;
 * convolution, pooling, linear and the NLL loss are primitives with their own backend kernels and backward rules,
 * the rest are composed from tensor ops.
 */
public final class Functional {
    private Functional() {
    }

    // ---- linear -----------------------------------------------------------------------------------------------

    /** y = x·Wᵀ + b with W [out, in] ({@code F.linear}); x may have any number of leading dimensions. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, false);
    }

    /**
     * {@code relu(linear(x, weight, bias))} with the ReLU applied as the product is written: what a Sequential runs
     * for a Linear followed by a ReLU. The same values and gradients as the two ops, with one pass over the output
     * and one activation buffer fewer (the pre-activation is never stored: the ReLU's backward needs only its
     * output).
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, true);
    }

    private static Tensor linear(Tensor input, Tensor weight, Tensor bias, boolean relu) {
        // the layer's device decides: a CPU batch goes to the weights (a no-op when both are on one device)
        Tensor x = input.to(weight.device());
        int in = weight.size(1);
        if (x.dim() == 0 || x.size(-1) != in) {
            throw new IllegalArgumentException("Linear expects " + in + " input features but receives "
                    + (x.dim() == 0 ? "a scalar" : x.size(-1) + " (input shape " + x.shape() + ")")
                    + (x.dim() > 2 ? ": insert Flatten before it" : ": set in_features to " + (x.dim() == 0 ? "?" : x.size(-1))));
        }
        if (x.dim() != 2) {
            int[] outShape = x.size();
            outShape[outShape.length - 1] = weight.size(0);
            return linear(x.reshape(-1, in), weight, bias, relu).reshape(outShape);
        }
        Tensor out = Tensor.linearProduct(x, weight, bias, relu);
        if (!relu) {
            return Tensor.record(out, bias != null ? "AddmmBackward0" : "MmBackward0",
                    g -> linearGradients(g, x, weight, bias), bias, x, weight);
        }
        return Tensor.record(out, "LinearReluBackward", g -> {
            Tensor beforeRelu = g.reluBackward(out);
            Tensor[] grads = linearGradients(beforeRelu, x, weight, bias);
            // nothing returned shares its memory (a sum, products), so the next step can have it
            beforeRelu.buffer().backend().recycle(beforeRelu.buffer());
            return grads;
        }, bias, x, weight);
    }

    /** The gradients of bias, x and weight from the gradient g of x·Wᵀ + b. */
    private static Tensor[] linearGradients(Tensor g, Tensor x, Tensor weight, Tensor bias) {
        return new Tensor[] {
            bias != null && bias.requiresGrad() ? g.sum(0, false) : null,
            x.requiresGrad() ? g.mm(weight) : null,
            weight.requiresGrad() ? weightGrad(g, x, weight) : null};
    }

    /**
     * gᵀ·x, the gradient of a Linear weight. When the weight is a leaf whose grad is already there (kept by
     * {@code zero_grad(set_to_none=False)}, or from an earlier backward), the product is added straight into that
     * grad and null returned, so the backward pass has nothing left to add. After {@code zero_grad()} the product
     * is written to a new buffer (the old grad's memory, recycled) that becomes the grad as it is.
     */
    private static Tensor weightGrad(Tensor g, Tensor x, Tensor weight) {
        Tensor grad = weight.gradForUpdate();
        if (weight.isLeaf() && grad != null && grad.acceptsMatmulInPlace() && grad.backend() == g.backend()) {
            grad.addMatmul_(g.t(), x);
            return null;
        }
        return g.t().mm(x);
    }

    // ---- convolution ------------------------------------------------------------------------------------------

    /**
     * 2-D convolution over [batch, channels, height, width] ({@code F.conv2d}); {@code bias} may be null.
     * Arrays are {height, width} pairs.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                int[] dilation, int groups) {
        // the layer's device decides: a CPU batch goes to the weights (a no-op when both are on one device)
        Tensor x = input.to(weight.device());
        Conv2dGeometry g = convGeometry(x.shape(), weight.shape(), stride, padding, dilation, groups);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != g.outC())) {
            throw new IllegalArgumentException("Conv2d bias must have shape [" + g.outC() + "] but has " + bias.shape());
        }
        Tensor xc = x.contiguous().detach(), wc = weight.contiguous().detach();
        Tensor bc = bias == null ? null : bias.contiguous().detach();
        Backend be = x.backend();
        Buffer ob = be.empty(g.n() * g.outC() * g.outH() * g.outW());
        be.conv2d(xc.buffer(), wc.buffer(), bc == null ? null : bc.buffer(), ob, g);
        Tensor out = Tensor.fromBuffer(ob, Shape.of(g.n(), g.outC(), g.outH(), g.outW()));
        return Tensor.record(out, "ConvolutionBackward0", gOut -> {
            Tensor go = gOut.contiguous();
            Buffer gx = x.requiresGrad() ? be.empty(x.numel()) : null;
            Buffer gw = weight.requiresGrad() ? be.allocate(weight.numel()) : null;
            Buffer gb = bias != null && bias.requiresGrad() ? be.allocate(g.outC()) : null;
            be.conv2dBackward(xc.buffer(), wc.buffer(), go.buffer(), gx, gw, gb, g);
            return new Tensor[] {
                gx == null ? null : Tensor.fromBuffer(gx, x.shape()),
                gw == null ? null : Tensor.fromBuffer(gw, weight.shape()),
                gb == null ? null : Tensor.fromBuffer(gb, bias.shape())};
        }, x, weight, bias);
    }

    /** Validates a convolution and returns its sizes; every message names the shapes and the fix. */
    public static Conv2dGeometry convGeometry(Shape x, Shape w, int[] stride, int[] padding, int[] dilation,
                                              int groups) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("Conv2d expects a 4-D input [batch, channels, height, width] but got "
                    + "shape " + x + (x.rank() == 3 ? ": add a batch dimension with unsqueeze(0)" : ""));
        }
        if (w.rank() != 4) {
            throw new IllegalArgumentException("Conv2d weight must be 4-D [out_channels, in_channels/groups, kH, kW] "
                    + "but has shape " + w);
        }
        checkPositive("Conv2d stride", stride);
        checkPositive("Conv2d dilation", dilation);
        if (padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException("Conv2d padding must be >= 0, got (" + padding[0] + ", " + padding[1]
                    + ")");
        }
        if (groups < 1 || x.dim(1) % groups != 0 || w.dim(0) % groups != 0) {
            throw new IllegalArgumentException("Conv2d groups=" + groups + " must divide both in_channels ("
                    + x.dim(1) + ") and out_channels (" + w.dim(0) + ")");
        }
        if (w.dim(1) * groups != x.dim(1)) {
            throw new IllegalArgumentException("Conv2d with weight of shape " + w + " and groups=" + groups
                    + " expects input with " + w.dim(1) * groups + " channels, but got " + x.dim(1)
                    + " channels (input shape " + x + "): set in_channels to " + x.dim(1));
        }
        Conv2dGeometry g = new Conv2dGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups);
        if (g.outH() <= 0 || g.outW() <= 0) {
            int effH = dilation[0] * (w.dim(2) - 1) + 1, effW = dilation[1] * (w.dim(3) - 1) + 1;
            throw new IllegalArgumentException("Conv2d kernel " + effH + "x" + effW + " is larger than the padded input "
                    + (x.dim(2) + 2 * padding[0]) + "x" + (x.dim(3) + 2 * padding[1]) + " (input shape " + x
                    + "): use a smaller kernel_size, add padding, or remove a pooling layer before it");
        }
        return g;
    }

    private static void checkPositive(String what, int[] pair) {
        if (pair[0] < 1 || pair[1] < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got (" + pair[0] + ", " + pair[1] + ")");
        }
    }

    // ---- pooling ----------------------------------------------------------------------------------------------

    /** Max pooling over [batch, channels, h, w] or [channels, h, w] ({@code F.max_pool2d}). */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        Pool2dGeometry g = poolGeometry("MaxPool2d", x.shape(), kernel, stride, padding, ceilMode);
        Tensor xc = x.contiguous().detach();
        Backend be = x.backend();
        int outN = g.planes() * g.outH() * g.outW();
        Buffer ob = be.empty(outN), ib = be.empty(outN);
        be.maxPool2d(xc.buffer(), ob, ib, g);
        Tensor out = Tensor.fromBuffer(ob, x.shape().with(-2, g.outH()).with(-1, g.outW()));
        Tensor recorded = Tensor.record(out, "MaxPool2DWithIndicesBackward0", gOut -> {
            Buffer gx = be.empty(x.numel());
            be.maxPool2dBackward(gOut.contiguous().buffer(), ib, gx, g);
            return new Tensor[] {Tensor.fromBuffer(gx, x.shape())};
        }, x);
        // the indices serve the backward only
        Intermediates.recycleAfterBackward(recorded, ib);
        return recorded;
    }

    /** Average pooling, padding counted in the divisor ({@code F.avg_pool2d} with count_include_pad=True). */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        Pool2dGeometry g = poolGeometry("AvgPool2d", x.shape(), kernel, stride, padding, ceilMode);
        Tensor xc = x.contiguous().detach();
        Backend be = x.backend();
        Buffer ob = be.allocate(g.planes() * g.outH() * g.outW());
        be.avgPool2d(xc.buffer(), ob, g);
        Tensor out = Tensor.fromBuffer(ob, x.shape().with(-2, g.outH()).with(-1, g.outW()));
        return Tensor.record(out, "AvgPool2DBackward0", gOut -> {
            Buffer gx = be.empty(x.numel());
            be.avgPool2dBackward(gOut.contiguous().buffer(), gx, g);
            return new Tensor[] {Tensor.fromBuffer(gx, x.shape())};
        }, x);
    }

    /** Validates a pooling window and returns its sizes. */
    public static Pool2dGeometry poolGeometry(String layer, Shape x, int[] kernel, int[] stride, int[] padding,
                                              boolean ceilMode) {
        if (x.rank() != 4 && x.rank() != 3) {
            throw new IllegalArgumentException(layer + " expects a 3-D [channels, h, w] or 4-D [batch, channels, h, w]"
                    + " input but got shape " + x);
        }
        checkPositive(layer + " kernel_size", kernel);
        checkPositive(layer + " stride", stride);
        if (padding[0] < 0 || padding[1] < 0 || padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
            throw new IllegalArgumentException(layer + " padding (" + padding[0] + ", " + padding[1]
                    + ") must be >= 0 and at most half the kernel size (" + kernel[0] + ", " + kernel[1] + ")");
        }
        int planes = x.rank() == 4 ? x.dim(0) * x.dim(1) : x.dim(0);
        Pool2dGeometry g = new Pool2dGeometry(planes, x.dim(-2), x.dim(-1), kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1], ceilMode);
        if (g.outH() <= 0 || g.outW() <= 0) {
            throw new IllegalArgumentException(layer + " kernel " + kernel[0] + "x" + kernel[1]
                    + " is larger than its input " + x.dim(-2) + "x" + x.dim(-1) + " (shape " + x
                    + "): use a smaller kernel_size or remove an earlier pooling layer");
        }
        return g;
    }

    // ---- losses -----------------------------------------------------------------------------------------------

    /**
     * Negative log-likelihood of [n, classes] log-probabilities at integer class targets [n] ({@code F.nll_loss}).
     */
    public static Tensor nllLoss(Tensor logProbs, Tensor target, Reduction reduction) {
        if (logProbs.dim() != 2) {
            throw new IllegalArgumentException("NLLLoss expects input of shape [batch, classes] but got "
                    + logProbs.shape() + (logProbs.dim() == 1 ? ": add a batch dimension with unsqueeze(0)"
                    : ": flatten the extra dimensions first"));
        }
        int n = logProbs.size(0), c = logProbs.size(1);
        if (target.dim() != 1 || target.size(0) != n) {
            throw new IllegalArgumentException("NLLLoss: target must have shape [" + n + "] (one class index per "
                    + "sample) but has shape " + target.shape());
        }
        float[] t = target.toArray();
        for (int i = 0; i < n; i++) {
            if (t[i] != Math.rint(t[i]) || t[i] < 0 || t[i] >= c) {
                throw new IllegalArgumentException("Target " + t[i] + " (sample " + i + ") is out of bounds: with "
                        + c + " classes, class indices must be whole numbers in [0, " + (c - 1) + "]");
            }
        }
        Tensor lp = logProbs.contiguous().detach(), tc = target.detach().to(logProbs.device()).contiguous();
        Backend be = logProbs.backend();
        Buffer per = be.allocate(n);
        be.nllLoss(lp.buffer(), tc.buffer(), n, c, per);
        Tensor perSample = Tensor.fromBuffer(per, Shape.of(n));
        Tensor out = switch (reduction) {
            case NONE -> perSample;
            case SUM -> perSample.sum();
            case MEAN -> perSample.sum().div((float) n);
        };
        float scale = reduction == Reduction.MEAN ? 1f / n : 1f;
        // out was computed from detached inputs, so it has no history of its own to replace
        return Tensor.record(out, "NllLossBackward0", g -> {
            Buffer gb = be.allocate(n * c);
            be.nllLossBackward(g.contiguous().buffer(), scale, reduction != Reduction.NONE, tc.buffer(), n, c, gb);
            return new Tensor[] {Tensor.fromBuffer(gb, logProbs.shape()), null};
        }, logProbs, target);
    }

    /** log_softmax over classes followed by NLL ({@code F.cross_entropy}). */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("CrossEntropyLoss expects logits of shape [batch, classes] but got "
                    + logits.shape() + (logits.dim() > 2 ? ": insert Flatten and a Linear layer before the loss" : ""));
        }
        return nllLoss(logits.logSoftmax(1), target, reduction);
    }

    /**
     * Class indices as one-hot rows ({@code F.one_hot(labels, classes).float()}): [batch] → [batch, classes], on the
     * labels' device.
     */
    public static Tensor oneHot(Tensor labels, int classes) {
        if (labels.dim() != 1) {
            throw new IllegalArgumentException("one_hot expects class indices of shape [batch] but got "
                    + labels.shape());
        }
        int[] index = labels.toIntArray();
        float[] rows = new float[index.length * classes];
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= classes) {
                throw new IllegalArgumentException("label " + index[i] + " is outside the model's " + classes
                        + " classes (0 to " + (classes - 1) + "): give the last layer one output per class");
            }
            rows[i * classes + index[i]] = 1f;
        }
        return Tensor.fromArray(rows, index.length, classes).to(labels.device());
    }

    /** Mean (or summed) squared error ({@code F.mse_loss}). */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException("MSELoss: input shape " + input.shape() + " and target shape "
                    + target.shape() + " differ; they must match (reshape the target, e.g. target.view("
                    + input.shape().toString().replace("[", "").replace("]", "") + "))");
        }
        Tensor d = input.sub(target);
        Tensor sq = d.mul(d);
        return switch (reduction) {
            case NONE -> sq;
            case SUM -> sq.sum();
            case MEAN -> sq.mean();
        };
    }

    // ---- regularisation ---------------------------------------------------------------------------------------

    /** Zeroes each element with probability p and scales the rest by 1/(1−p) while training ({@code F.dropout}). */
    public static Tensor dropout(Tensor x, float p, boolean training) {
        if (p < 0f || p > 1f) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        if (p == 1f) {
            return x.mul(0f);
        }
        float[] mask = new float[x.numel()];
        Generator.defaultGenerator().fillDropoutMask(mask, p, 1f / (1f - p));
        return x.mul(Tensor.wrap(mask, x.size()));
    }

    /**
     * Batch normalisation over every dimension but the channels (dim 1) ({@code F.batch_norm}). In training the
     * batch statistics normalise and the running statistics move by {@code momentum} (variance unbiased, as
     * PyTorch); in evaluation the running statistics normalise.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("BatchNorm expects input [batch, channels, ...] but got shape "
                    + x.shape());
        }
        int c = x.size(1);
        if (runningMean != null && runningMean.numel() != c) {
            throw new IllegalArgumentException("BatchNorm over " + runningMean.numel() + " features got input with "
                    + c + " channels (shape " + x.shape() + "): set num_features to " + c);
        }
        int[] bshape = new int[x.dim()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor y;
        if (training) {
            int count = x.numel() / c;
            if (count <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input "
                        + "size " + x.shape() + ": use a batch larger than 1 or call eval()");
            }
            // channels first, everything else flattened: statistics are row reductions
            Tensor xt = x.transpose(0, 1).reshape(c, -1);
            Tensor mean = xt.mean(1, true);
            Tensor centered = xt.sub(mean);
            Tensor var = centered.mul(centered).mean(1, true);
            Tensor xhat = centered.div(var.add(eps).sqrt());
            int[] tshape = x.size();
            tshape[0] = c;
            tshape[1] = x.size(0);
            y = xhat.reshape(tshape).transpose(0, 1);
            if (runningMean != null) {
                try (NoGrad ignored = GradMode.noGrad()) {
                    runningMean.mul_(1f - momentum).add_(mean.detach().reshape(c), momentum);
                    runningVar.mul_(1f - momentum).add_(var.detach().reshape(c), momentum * count / (count - 1f));
                }
            }
        } else {
            y = x.sub(runningMean.reshape(bshape)).div(runningVar.reshape(bshape).add(eps).sqrt());
        }
        if (weight != null) {
            y = y.mul(weight.reshape(bshape));
        }
        if (bias != null) {
            y = y.add(bias.reshape(bshape));
        }
        return y.contiguous();
    }
}
