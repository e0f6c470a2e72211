package io.deepcanvas.engine.backend;

/** Element-wise operations of one tensor and an optional scalar {@code s}. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, SIGMOID, TANH, RELU, ABS,
    /** x + s */
    ADD_SCALAR,
    /** x * s */
    MUL_SCALAR,
    /** x ^ s */
    POW_SCALAR,
    /** s ^ x is not needed; s / x for reciprocal-like ops. */
    RDIV_SCALAR,
    /** x > 0 ? x : s·x */
    LEAKY_RELU,
    /** 1 where x > s, else 0 */
    GT_SCALAR,
    /** all elements set to s (ignores x) */
    SET
}
