package io.deepcanvas.engine.backend;

/** Element-wise operations of two tensors with broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    /** a · (b > 0): the gradient of relu, given upstream a and the relu output (or input) b. */
    RELU_BACKWARD,
    /** a · (1 − b²): the gradient of tanh given its output b. */
    TANH_BACKWARD,
    /** a · b · (1 − b): the gradient of sigmoid given its output b. */
    SIGMOID_BACKWARD,
    /** 1 where a == b, else 0. */
    EQ
}
