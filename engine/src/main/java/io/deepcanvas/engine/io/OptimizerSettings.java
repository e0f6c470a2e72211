package io.deepcanvas.engine.io;

import io.deepcanvas.engine.nn.Repr;
import java.util.List;

/**
 * Which optimizer trains the network and its hyperparameters, with PyTorch's names and defaults
 * ({@code torch.optim.SGD(params, lr=0.01, momentum=0.9)}). Field names in the project file are PyTorch's
 * keyword arguments ({@code weight_decay}, {@code betas}); only values that differ from the default are written.
 */
public sealed interface OptimizerSettings {
    /** The optimizer names a project file may use, as PyTorch spells them. */
    List<String> TYPES = List.of("SGD", "Adam", "RMSprop");

    /** {@code SGD}, {@code Adam} or {@code RMSprop}. */
    String type();

    /** Learning rate, always > 0. */
    double lr();

    /** The PyTorch keyword arguments this optimizer accepts besides {@code lr}, in file order. */
    List<String> parameterNames();

    /**
     * {@code SGD(lr=0.01, momentum=0.9)}: the optimizer with the learning rate {@code lr} (the project's, or one
     * given on the command line) and the settings that differ from PyTorch's defaults, for progress lines.
     */
    default String describe(double lr) {
        StringBuilder sb = new StringBuilder(type()).append("(lr=").append(Repr.py(lr));
        if (this instanceof SGD s) {
            option(sb, "momentum", s.momentum(), 0);
            option(sb, "dampening", s.dampening(), 0);
            option(sb, "weight_decay", s.weightDecay(), 0);
            if (s.nesterov()) {
                sb.append(", nesterov=True");
            }
        } else if (this instanceof Adam a) {
            if (a.beta1() != Adam.DEFAULT_BETA1 || a.beta2() != Adam.DEFAULT_BETA2) {
                sb.append(", betas=(").append(Repr.py(a.beta1())).append(", ").append(Repr.py(a.beta2())).append(')');
            }
            option(sb, "eps", a.eps(), Adam.DEFAULT_EPS);
            option(sb, "weight_decay", a.weightDecay(), 0);
            if (a.amsgrad()) {
                sb.append(", amsgrad=True");
            }
        } else if (this instanceof RMSprop r) {
            option(sb, "alpha", r.alpha(), 0.99);
            option(sb, "eps", r.eps(), 1e-8);
            option(sb, "weight_decay", r.weightDecay(), 0);
            option(sb, "momentum", r.momentum(), 0);
            if (r.centered()) {
                sb.append(", centered=True");
            }
        }
        return sb.append(')').toString();
    }

    /** {@link #describe(double)} with the optimizer's own learning rate: {@code Adam(lr=0.001)}. */
    default String describe() {
        return describe(lr());
    }

    private static void option(StringBuilder sb, String name, double value, double pytorchDefault) {
        if (value != pytorchDefault) {
            sb.append(", ").append(name).append('=').append(Repr.py(value));
        }
    }

    /** {@code torch.optim.SGD}: momentum, dampening, weight decay and Nesterov momentum. */
    record SGD(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
            implements OptimizerSettings {
        public SGD {
            checkLr(lr, 0.01);
            checkAtLeastZero("momentum", momentum, "0.9");
            checkRange("dampening", dampening, 0, 1, "0");
            checkAtLeastZero("weight_decay", weightDecay, "0");
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new InvalidSettingException("nesterov", "nesterov momentum needs momentum > 0 and dampening 0, "
                        + "got momentum " + momentum + " and dampening " + dampening
                        + ": set momentum (e.g. 0.9) and dampening 0, or nesterov false");
            }
        }

        public SGD(double lr, double momentum) {
            this(lr, momentum, 0, 0, false);
        }

        @Override
        public String type() {
            return "SGD";
        }

        @Override
        public List<String> parameterNames() {
            return List.of("momentum", "dampening", "weight_decay", "nesterov");
        }
    }

    /** {@code torch.optim.Adam}: betas (0.9, 0.999), eps 1e-8, weight decay, AMSGrad. */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements OptimizerSettings {
        public static final double DEFAULT_BETA1 = 0.9;
        public static final double DEFAULT_BETA2 = 0.999;
        public static final double DEFAULT_EPS = 1e-8;

        public Adam {
            checkLr(lr, 0.001);
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new InvalidSettingException("betas", "betas must both lie in [0, 1), got [" + beta1 + ", "
                        + beta2 + "]: use PyTorch's default [0.9, 0.999]");
            }
            checkAtLeastZero("eps", eps, "1e-8");
            checkAtLeastZero("weight_decay", weightDecay, "0");
        }

        public Adam(double lr) {
            this(lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0, false);
        }

        @Override
        public String type() {
            return "Adam";
        }

        @Override
        public List<String> parameterNames() {
            return List.of("betas", "eps", "weight_decay", "amsgrad");
        }
    }

    /** {@code torch.optim.RMSprop}: alpha 0.99, eps 1e-8, weight decay, momentum, centered. */
    record RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
            implements OptimizerSettings {
        public static final double DEFAULT_ALPHA = 0.99;
        public static final double DEFAULT_EPS = 1e-8;

        public RMSprop {
            checkLr(lr, 0.01);
            checkAtLeastZero("alpha", alpha, "0.99");
            checkAtLeastZero("eps", eps, "1e-8");
            checkAtLeastZero("weight_decay", weightDecay, "0");
            checkAtLeastZero("momentum", momentum, "0");
        }

        public RMSprop(double lr) {
            this(lr, DEFAULT_ALPHA, DEFAULT_EPS, 0, 0, false);
        }

        @Override
        public String type() {
            return "RMSprop";
        }

        @Override
        public List<String> parameterNames() {
            return List.of("momentum", "alpha", "eps", "weight_decay", "centered");
        }
    }

    private static void checkLr(double lr, double example) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new InvalidSettingException("lr", "lr (learning rate) must be a positive number, got " + lr
                    + ": use a small value such as " + example);
        }
    }

    private static void checkAtLeastZero(String name, double v, String example) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidSettingException(name, name + " must be a number >= 0, got " + v + ": use e.g. "
                    + example);
        }
    }

    private static void checkRange(String name, double v, double lo, double hi, String example) {
        if (!(v >= lo && v <= hi)) {
            throw new InvalidSettingException(name, name + " must lie in [" + lo + ", " + hi + "], got " + v
                    + ": use e.g. " + example);
        }
    }
}
