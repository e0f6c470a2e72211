// Memory primitives: fill and the strided gather behind contiguous(), copy_() and every view that must be copied.
// Shapes and strides travel as int8 vectors (rank <= 8, leading dimensions padded with size 1), so a copy is one
// enqueue with no argument buffer to upload first.

__kernel void fill(__global float* out, const int n, const float value) {
    int i = get_global_id(0);
    if (i < n) out[i] = value;
}

// Offset of the element with row-major linear index i of `shape`, read through `strides`.
int strided_offset(int i, const int8 shape, const int8 strides) {
    int off = 0;
    int q;
    q = i % shape.s7; off += q * strides.s7; i /= shape.s7;
    q = i % shape.s6; off += q * strides.s6; i /= shape.s6;
    q = i % shape.s5; off += q * strides.s5; i /= shape.s5;
    q = i % shape.s4; off += q * strides.s4; i /= shape.s4;
    q = i % shape.s3; off += q * strides.s3; i /= shape.s3;
    q = i % shape.s2; off += q * strides.s2; i /= shape.s2;
    q = i % shape.s1; off += q * strides.s1; i /= shape.s1;
    off += i * strides.s0;
    return off;
}

__kernel void copy_strided(__global const float* src, const int offset, const int8 shape, const int8 strides,
                           __global float* dst, const int n) {
    int i = get_global_id(0);
    if (i < n) dst[i] = src[offset + strided_offset(i, shape, strides)];
}
