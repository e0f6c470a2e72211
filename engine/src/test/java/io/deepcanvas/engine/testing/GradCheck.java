package io.deepcanvas.engine.testing;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;

/**
 * Finite-difference gradient check (like {@code torch.autograd.gradcheck}, in float32): the analytic gradient of
 * L = sum(f(inputs) · R), R fixed and random, must match central differences of L for every input element.
 */
public final class GradCheck {
    private GradCheck() {
    }

    public static void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(what, 1e-2f, 2e-2, f, inputs);
    }

    public static void check(String what, float eps, double tol, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.requiresGrad(true);
        }
        Tensor out = f.apply(inputs);
        Tensor.manualSeed(1234);
        Tensor r = Tensor.randn(out.size());
        out.backward(r);
        for (int k = 0; k < inputs.length; k++) {
            Tensor in = inputs[k];
            Assertions.assertNotNull(in.grad(), what + ": no gradient for input " + k);
            float[] analytic = in.grad().toArray();
            float[] values = in.toArray();
            for (int i = 0; i < values.length; i++) {
                double plus = objective(f, inputs, k, values, i, values[i] + eps, r);
                double minus = objective(f, inputs, k, values, i, values[i] - eps, r);
                double numeric = (plus - minus) / (2 * eps);
                double allowed = tol * (1 + Math.abs(numeric));
                if (Math.abs(numeric - analytic[i]) > allowed) {
                    Assertions.fail(what + ": d/d input" + k + "[" + i + "] analytic " + analytic[i] + " vs numeric "
                            + numeric);
                }
            }
        }
    }

    private static double objective(Function<Tensor[], Tensor> f, Tensor[] inputs, int k, float[] values, int i,
                                    float v, Tensor r) {
        float[] changed = values.clone();
        changed[i] = v;
        Tensor[] args = inputs.clone();
        args[k] = Tensor.fromArray(changed, inputs[k].size());
        try (NoGrad ignored = GradMode.noGrad()) {
            float[] o = f.apply(args).toArray();
            float[] w = r.toArray();
            double s = 0;
            for (int j = 0; j < o.length; j++) {
                s += (double) o[j] * w[j];
            }
            return s;
        }
    }
}
