package io.deepcanvas.engine.backend.cpu;

import io.deepcanvas.engine.backend.BinaryOp;
import io.deepcanvas.engine.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise loops: the operation is chosen once per row, never per element. */
final class Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Elementwise() {
    }

    /** Sum of x[off, off+len): float lanes within the run (short runs: one plane), a double at the end. */
    static double sum(float[] x, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + S.length() <= len; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += x[off + i];
        }
        return s;
    }

    static void unary(UnaryOp op, float[] x, float s, float[] out, int from, int to) {
        int i = from;
        switch (op) {
            case NEG -> {
                for (; i < to; i++) out[i] = -x[i];
            }
            case EXP -> {
                for (; i < to; i++) out[i] = (float) Math.exp(x[i]);
            }
            case LOG -> {
                for (; i < to; i++) out[i] = (float) Math.log(x[i]);
            }
            case SQRT -> {
                for (; i < to; i++) out[i] = (float) Math.sqrt(x[i]);
            }
            case SIGMOID -> {
                for (; i < to; i++) out[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
            }
            case TANH -> {
                for (; i < to; i++) out[i] = (float) Math.tanh(x[i]);
            }
            case ABS -> {
                for (; i < to; i++) out[i] = Math.abs(x[i]);
            }
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i + S.length() <= to; i += S.length()) {
                    FloatVector.fromArray(S, x, i).max(zero).intoArray(out, i);
                }
                // Math.max keeps NaN like PyTorch's relu and turns -0 into 0, lane for lane as the vector max
                for (; i < to; i++) out[i] = Math.max(x[i], 0f);
            }
            case LEAKY_RELU -> {
                for (; i < to; i++) out[i] = x[i] > 0f ? x[i] : x[i] * s;
            }
            case ADD_SCALAR -> {
                for (; i + S.length() <= to; i += S.length()) {
                    FloatVector.fromArray(S, x, i).add(s).intoArray(out, i);
                }
                for (; i < to; i++) out[i] = x[i] + s;
            }
            case MUL_SCALAR -> {
                for (; i + S.length() <= to; i += S.length()) {
                    FloatVector.fromArray(S, x, i).mul(s).intoArray(out, i);
                }
                for (; i < to; i++) out[i] = x[i] * s;
            }
            case POW_SCALAR -> {
                if (s == 2f) {
                    for (; i < to; i++) out[i] = x[i] * x[i];
                } else {
                    for (; i < to; i++) out[i] = (float) Math.pow(x[i], s);
                }
            }
            case RDIV_SCALAR -> {
                for (; i < to; i++) out[i] = s / x[i];
            }
            case GT_SCALAR -> {
                for (; i < to; i++) out[i] = x[i] > s ? 1f : 0f;
            }
            case SET -> java.util.Arrays.fill(out, from, to, s);
        }
    }

    /** out[o + j] = op(a[ao + j·sa], b[bo + j·sb]) for j in [0, len). */
    static void binaryRow(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] out, int oo,
                          int len) {
        if (sa == 1 && sb == 1 && vectorizable(op)) {
            vectorRow(op, a, ao, b, bo, out, oo, len);
            return;
        }
        switch (op) {
            case ADD -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] + b[bo + j * sb];
            }
            case SUB -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] - b[bo + j * sb];
            }
            case MUL -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] * b[bo + j * sb];
            }
            case DIV -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] / b[bo + j * sb];
            }
            case POW -> {
                for (int j = 0; j < len; j++) out[oo + j] = (float) Math.pow(a[ao + j * sa], b[bo + j * sb]);
            }
            case MAX -> {
                for (int j = 0; j < len; j++) out[oo + j] = Math.max(a[ao + j * sa], b[bo + j * sb]);
            }
            case MIN -> {
                for (int j = 0; j < len; j++) out[oo + j] = Math.min(a[ao + j * sa], b[bo + j * sb]);
            }
            case RELU_BACKWARD -> {
                for (int j = 0; j < len; j++) out[oo + j] = b[bo + j * sb] > 0f ? a[ao + j * sa] : 0f;
            }
            case TANH_BACKWARD -> {
                for (int j = 0; j < len; j++) {
                    float y = b[bo + j * sb];
                    out[oo + j] = a[ao + j * sa] * (1f - y * y);
                }
            }
            case SIGMOID_BACKWARD -> {
                for (int j = 0; j < len; j++) {
                    float y = b[bo + j * sb];
                    out[oo + j] = a[ao + j * sa] * y * (1f - y);
                }
            }
            case EQ -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j * sa] == b[bo + j * sb] ? 1f : 0f;
            }
        }
    }

    private static boolean vectorizable(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV
                || op == BinaryOp.RELU_BACKWARD;
    }

    private static void vectorRow(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        int j = 0;
        int vl = S.length();
        FloatVector zero = FloatVector.zero(S);
        for (; j + vl <= len; j += vl) {
            FloatVector x = FloatVector.fromArray(S, a, ao + j);
            FloatVector y = FloatVector.fromArray(S, b, bo + j);
            FloatVector r = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case RELU_BACKWARD -> x.blend(zero, y.compare(VectorOperators.LE, 0f));
                default -> throw new IllegalStateException(op.name());
            };
            r.intoArray(out, oo + j);
        }
        if (j < len) {
            binaryRowScalar(op, a, ao + j, b, bo + j, out, oo + j, len - j);
        }
    }

    private static void binaryRowScalar(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo,
                                        int len) {
        switch (op) {
            case ADD -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j] + b[bo + j];
            }
            case SUB -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j] - b[bo + j];
            }
            case MUL -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j] * b[bo + j];
            }
            case DIV -> {
                for (int j = 0; j < len; j++) out[oo + j] = a[ao + j] / b[bo + j];
            }
            case RELU_BACKWARD -> {
                for (int j = 0; j < len; j++) out[oo + j] = b[bo + j] > 0f ? a[ao + j] : 0f;
            }
            default -> throw new IllegalStateException(op.name());
        }
    }
}
