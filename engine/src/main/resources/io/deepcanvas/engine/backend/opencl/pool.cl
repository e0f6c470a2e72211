// Max and average pooling over [planes, inH, inW]. The geometry travels as one int16:
//   s0 planes, s1 inH, s2 inW, s3 kH, s4 kW, s5 strideH, s6 strideW, s7 padH, s8 padW, s9 outH, sa outW.
// The backward passes gather (one work-item per input element, visiting the windows that cover it), so every
// element of gx is written and no atomics are needed.

__kernel void max_pool_forward(__global const float* x, __global float* out, __global float* indices,
                               const int16 g) {
    int i = get_global_id(0);
    if (i >= g.s0 * g.s9 * g.sa) return;
    int ow = i % g.sa, t = i / g.sa;
    int oh = t % g.s9; int pl = t / g.s9;
    int h0 = oh * g.s5 - g.s7, w0 = ow * g.s6 - g.s8;
    int h1 = min(h0 + g.s3, g.s1), w1 = min(w0 + g.s4, g.s2);
    h0 = max(h0, 0);
    w0 = max(w0, 0);
    __global const float* p = x + (long) pl * g.s1 * g.s2;
    float best = -INFINITY;
    int bi = h0 * g.s2 + w0;
    for (int h = h0; h < h1; h++) {
        for (int w = w0; w < w1; w++) {
            float v = p[h * g.s2 + w];
            if (v > best || isnan(v)) {
                best = v;
                bi = h * g.s2 + w;
                if (isnan(v)) { h = h1; break; }
            }
        }
    }
    out[i] = best;
    indices[i] = (float) bi;
}

// The output rows (or columns) whose window covers input position `pos`: [*first, *last].
void covering(int pos, int pad, int k, int stride, int outSize, int* first, int* last) {
    int top = pos + pad;
    *first = top - k + 1 <= 0 ? 0 : (top - k + 1 + stride - 1) / stride;
    *last = min(top / stride, outSize - 1);
}

__kernel void max_pool_backward(__global const float* gOut, __global const float* indices, __global float* gx,
                                const int16 g) {
    int i = get_global_id(0);
    if (i >= g.s0 * g.s1 * g.s2) return;
    int iw = i % g.s2, t = i / g.s2;
    int ih = t % g.s1; int pl = t / g.s1;
    int here = ih * g.s2 + iw;
    int ohA, ohB, owA, owB;
    covering(ih, g.s7, g.s3, g.s5, g.s9, &ohA, &ohB);
    covering(iw, g.s8, g.s4, g.s6, g.sa, &owA, &owB);
    long o = (long) pl * g.s9 * g.sa;
    float acc = 0.0f;
    for (int oh = ohA; oh <= ohB; oh++) {
        for (int ow = owA; ow <= owB; ow++) {
            long q = o + oh * g.sa + ow;
            if ((int) indices[q] == here) acc += gOut[q];
        }
    }
    gx[i] = acc;
}

// Padding counts in the divisor (count_include_pad=True), the window clipped to the padded input as PyTorch does.
int avg_divisor(int oh, int ow, const int16 g) {
    int h0 = oh * g.s5 - g.s7, w0 = ow * g.s6 - g.s8;
    int h1 = min(h0 + g.s3, g.s1 + g.s7), w1 = min(w0 + g.s4, g.s2 + g.s8);
    return (h1 - h0) * (w1 - w0);
}

__kernel void avg_pool_forward(__global const float* x, __global float* out, const int16 g) {
    int i = get_global_id(0);
    if (i >= g.s0 * g.s9 * g.sa) return;
    int ow = i % g.sa, t = i / g.sa;
    int oh = t % g.s9; int pl = t / g.s9;
    int h0 = oh * g.s5 - g.s7, w0 = ow * g.s6 - g.s8;
    int h1 = min(h0 + g.s3, g.s1), w1 = min(w0 + g.s4, g.s2);
    h0 = max(h0, 0);
    w0 = max(w0, 0);
    __global const float* p = x + (long) pl * g.s1 * g.s2;
    float s = 0.0f;
    for (int h = h0; h < h1; h++) {
        for (int w = w0; w < w1; w++) s += p[h * g.s2 + w];
    }
    out[i] = s / avg_divisor(oh, ow, g);
}

__kernel void avg_pool_backward(__global const float* gOut, __global float* gx, const int16 g) {
    int i = get_global_id(0);
    if (i >= g.s0 * g.s1 * g.s2) return;
    int iw = i % g.s2, t = i / g.s2;
    int ih = t % g.s1; int pl = t / g.s1;
    int ohA, ohB, owA, owB;
    covering(ih, g.s7, g.s3, g.s5, g.s9, &ohA, &ohB);
    covering(iw, g.s8, g.s4, g.s6, g.sa, &owA, &owB);
    long o = (long) pl * g.s9 * g.sa;
    float acc = 0.0f;
    for (int oh = ohA; oh <= ohB; oh++) {
        for (int ow = owA; ow <= owB; ow++) acc += gOut[o + oh * g.sa + ow] / avg_divisor(oh, ow, g);
    }
    gx[i] = acc;
}
