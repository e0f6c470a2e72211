// Reductions over the middle dimension of [outer, len, inner], softmax and the NLL loss.

#define REDUCE_GROUP 64

// A tree sum of `v` over the work-group (size REDUCE_GROUP); the result is valid in work-item 0.
float group_sum(float v, __local float* scratch) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = REDUCE_GROUP / 2; s > 0; s >>= 1) {
        if (l < s) scratch[l] += scratch[l + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return scratch[0];
}

// inner == 1: one work-group per row, so a long row (a whole-tensor sum, a loss) is spread over the group.
__kernel void sum_rows(__global const float* x, const int len, const float scale, __global float* out) {
    __local float scratch[REDUCE_GROUP];
    int row = get_group_id(0);
    __global const float* p = x + (long) row * len;
    float acc = 0.0f;
    for (int i = get_local_id(0); i < len; i += REDUCE_GROUP) acc += p[i];
    float s = group_sum(acc, scratch);
    if (get_local_id(0) == 0) out[row] = s * scale;
}

// inner > 1: one work-item per output, walking down its column (consecutive items read consecutive addresses).
__kernel void sum_columns(__global const float* x, const int outer, const int len, const int inner,
                          const float scale, __global float* out) {
    int i = get_global_id(0);
    if (i >= outer * inner) return;
    int o = i / inner, j = i % inner;
    __global const float* p = x + (long) o * len * inner + j;
    float acc = 0.0f;
    for (int k = 0; k < len; k++) acc += p[k * inner];
    out[i] = acc * scale;
}

// Maximum and the index of its first occurrence; a NaN wins and ends the scan, as on the CPU.
__kernel void max_axis(__global const float* x, const int outer, const int len, const int inner,
                       __global float* out, __global float* indices) {
    int i = get_global_id(0);
    if (i >= outer * inner) return;
    int o = i / inner, j = i % inner;
    __global const float* p = x + (long) o * len * inner + j;
    float best = p[0];
    int bi = 0;
    for (int k = 1; k < len && !isnan(best); k++) {
        float v = p[k * inner];
        if (v > best || isnan(v)) { best = v; bi = k; }
    }
    out[i] = best;
    indices[i] = (float) bi;
}

__kernel void softmax(__global const float* x, const int outer, const int len, const int inner, const int log_,
                      __global float* out) {
    int i = get_global_id(0);
    if (i >= outer * inner) return;
    int o = i / inner, j = i % inner;
    long base = (long) o * len * inner + j;
    float m = -INFINITY;
    for (int k = 0; k < len; k++) m = fmax(m, x[base + k * inner]);
    float sum = 0.0f;
    for (int k = 0; k < len; k++) sum += exp(x[base + k * inner] - m);
    if (log_) {
        float lse = m + log(sum);
        for (int k = 0; k < len; k++) out[base + k * inner] = x[base + k * inner] - lse;
    } else {
        float inv = 1.0f / sum;
        for (int k = 0; k < len; k++) out[base + k * inner] = exp(x[base + k * inner] - m) * inv;
    }
}

__kernel void softmax_backward(__global const float* y, __global const float* g, const int outer, const int len,
                               const int inner, const int log_, __global float* out) {
    int i = get_global_id(0);
    if (i >= outer * inner) return;
    int o = i / inner, j = i % inner;
    long base = (long) o * len * inner + j;
    float s = 0.0f;
    for (int k = 0; k < len; k++) {
        long q = base + k * inner;
        s += log_ ? g[q] : g[q] * y[q];
    }
    for (int k = 0; k < len; k++) {
        long q = base + k * inner;
        out[q] = log_ ? g[q] - exp(y[q]) * s : y[q] * (g[q] - s);
    }
}

__kernel void nll_loss(__global const float* logProbs, __global const float* target, const int n, const int c,
                       __global float* out) {
    int i = get_global_id(0);
    if (i < n) out[i] = -logProbs[i * c + (int) target[i]];
}

// Writes every element of grad [n, c]: the scattered value at the target class, zero elsewhere (no separate fill).
__kernel void nll_loss_backward(__global const float* gradOut, const float scale, const int scalarGrad,
                                __global const float* target, const int n, const int c, __global float* grad) {
    int i = get_global_id(0);
    if (i >= n * c) return;
    int row = i / c, k = i % c;
    grad[i] = k == (int) target[row] ? -gradOut[scalarGrad ? 0 : row] * scale : 0.0f;
}
