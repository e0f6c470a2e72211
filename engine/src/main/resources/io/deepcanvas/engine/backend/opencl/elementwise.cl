// Element-wise kernels. The operation is a kernel argument (the ordinal of UnaryOp / BinaryOp): every work-item
// takes the same branch, so the switch costs no divergence, and one kernel object serves every op.

// Java's Math.max / Math.min: a NaN operand gives NaN (fmax would return the other operand).
float java_max(float a, float b) { return (isnan(a) || isnan(b)) ? NAN : fmax(a, b); }
float java_min(float a, float b) { return (isnan(a) || isnan(b)) ? NAN : fmin(a, b); }

// UnaryOp: NEG EXP LOG SQRT SIGMOID TANH RELU ABS ADD_SCALAR MUL_SCALAR POW_SCALAR RDIV_SCALAR LEAKY_RELU
//          GT_SCALAR SET
float unary_op(const int op, const float x, const float s) {
    switch (op) {
        case 0: return -x;
        case 1: return exp(x);
        case 2: return log(x);
        case 3: return sqrt(x);
        case 4: return 1.0f / (1.0f + exp(-x));
        case 5: return tanh(x);
        case 6: return java_max(x, 0.0f);
        case 7: return fabs(x);
        case 8: return x + s;
        case 9: return x * s;
        case 10: return s == 2.0f ? x * x : pow(x, s);
        case 11: return s / x;
        case 12: return x > 0.0f ? x : x * s;
        case 13: return x > s ? 1.0f : 0.0f;
        default: return s;
    }
}

__kernel void unary(const int op, __global const float* x, const float s, __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = unary_op(op, x[i], s);
}

// BinaryOp: ADD SUB MUL DIV POW MAX MIN RELU_BACKWARD TANH_BACKWARD SIGMOID_BACKWARD EQ
float binary_op(const int op, const float a, const float b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return a / b;
        case 4: return pow(a, b);
        case 5: return java_max(a, b);
        case 6: return java_min(a, b);
        case 7: return b > 0.0f ? a : 0.0f;
        case 8: return a * (1.0f - b * b);
        case 9: return a * b * (1.0f - b);
        default: return a == b ? 1.0f : 0.0f;
    }
}

// Both operands laid out like the output: no index arithmetic.
__kernel void binary_flat(const int op, __global const float* a, __global const float* b, __global float* out,
                          const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = binary_op(op, a[i], b[i]);
}

// Broadcasting: each operand is read through its own strides (0 on a broadcast dimension).
__kernel void binary_strided(const int op, __global const float* a, const int8 aStrides, __global const float* b,
                             const int8 bStrides, __global float* out, const int8 shape, const int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = binary_op(op, a[strided_offset(i, shape, aStrides)], b[strided_offset(i, shape, bStrides)]);
    }
}
