// Direct 2-D convolution (cross-correlation, as PyTorch) and its gradients. The geometry travels as one int16:
//   s0 n, s1 inC, s2 inH, s3 inW, s4 outC, s5 kH, s6 kW, s7 strideH, s8 strideW, s9 padH, sa padW,
//   sb dilH, sc dilW, sd groups, se outH, sf outW.
// Forward and the input gradient give one work-item per output element (a gather: no atomics); the weight and
// bias gradients give one work-group per weight (or channel), which reduces over images and pixels.

__kernel void conv2d_forward(__global const float* x, __global const float* w, __global const float* bias,
                             const int hasBias, __global float* out, const int16 g) {
    const int total = g.s0 * g.s4 * g.se * g.sf;
    int i = get_global_id(0);
    if (i >= total) return;
    int ow = i % g.sf, t = i / g.sf;
    int oh = t % g.se; t /= g.se;
    int oc = t % g.s4; int b = t / g.s4;
    int gic = g.s1 / g.sd, goc = g.s4 / g.sd;
    int ic0 = (oc / goc) * gic;
    float acc = hasBias ? bias[oc] : 0.0f;
    int ih0 = oh * g.s7 - g.s9, iw0 = ow * g.s8 - g.sa;
    for (int c = 0; c < gic; c++) {
        __global const float* xp = x + ((long) b * g.s1 + ic0 + c) * g.s2 * g.s3;
        __global const float* wp = w + ((long) oc * gic + c) * g.s5 * g.s6;
        for (int kh = 0; kh < g.s5; kh++) {
            int ih = ih0 + kh * g.sb;
            if (ih < 0 || ih >= g.s2) continue;
            for (int kw = 0; kw < g.s6; kw++) {
                int iw = iw0 + kw * g.sc;
                if (iw < 0 || iw >= g.s3) continue;
                acc += xp[ih * g.s3 + iw] * wp[kh * g.s6 + kw];
            }
        }
    }
    out[i] = acc;
}

__kernel void conv2d_backward_input(__global const float* w, __global const float* gOut, __global float* gx,
                                    const int16 g) {
    const int total = g.s0 * g.s1 * g.s2 * g.s3;
    int i = get_global_id(0);
    if (i >= total) return;
    int iw = i % g.s3, t = i / g.s3;
    int ih = t % g.s2; t /= g.s2;
    int ic = t % g.s1; int b = t / g.s1;
    int gic = g.s1 / g.sd, goc = g.s4 / g.sd;
    int grp = ic / gic, icl = ic - grp * gic;
    float acc = 0.0f;
    for (int kh = 0; kh < g.s5; kh++) {
        int th = ih + g.s9 - kh * g.sb;
        if (th < 0 || th % g.s7 != 0) continue;
        int oh = th / g.s7;
        if (oh >= g.se) continue;
        for (int kw = 0; kw < g.s6; kw++) {
            int tw = iw + g.sa - kw * g.sc;
            if (tw < 0 || tw % g.s8 != 0) continue;
            int ow = tw / g.s8;
            if (ow >= g.sf) continue;
            for (int ocl = 0; ocl < goc; ocl++) {
                int oc = grp * goc + ocl;
                acc += gOut[(((long) b * g.s4 + oc) * g.se + oh) * g.sf + ow]
                        * w[(((long) oc * gic + icl) * g.s5 + kh) * g.s6 + kw];
            }
        }
    }
    gx[i] = acc;
}

// One work-group of REDUCE_GROUP per weight element (oc, icl, kh, kw).
__kernel void conv2d_backward_weight(__global const float* x, __global const float* gOut, __global float* gw,
                                     const int16 g) {
    __local float scratch[REDUCE_GROUP];
    int wi = get_group_id(0);
    int kw = wi % g.s6, t = wi / g.s6;
    int kh = t % g.s5; t /= g.s5;
    int gic = g.s1 / g.sd, goc = g.s4 / g.sd;
    int icl = t % gic; int oc = t / gic;
    int ic = (oc / goc) * gic + icl;
    int plane = g.se * g.sf, count = g.s0 * plane;
    float acc = 0.0f;
    for (int r = get_local_id(0); r < count; r += REDUCE_GROUP) {
        int b = r / plane, q = r % plane;
        int oh = q / g.sf, ow = q % g.sf;
        int ih = oh * g.s7 - g.s9 + kh * g.sb, iw = ow * g.s8 - g.sa + kw * g.sc;
        if (ih >= 0 && ih < g.s2 && iw >= 0 && iw < g.s3) {
            acc += gOut[((long) b * g.s4 + oc) * plane + q] * x[(((long) b * g.s1 + ic) * g.s2 + ih) * g.s3 + iw];
        }
    }
    float s = group_sum(acc, scratch);
    if (get_local_id(0) == 0) gw[wi] = s;
}

// One work-group per output channel: the sum of its gradient over images and pixels.
__kernel void conv2d_backward_bias(__global const float* gOut, __global float* gb, const int16 g) {
    __local float scratch[REDUCE_GROUP];
    int oc = get_group_id(0);
    int plane = g.se * g.sf, count = g.s0 * plane;
    float acc = 0.0f;
    for (int r = get_local_id(0); r < count; r += REDUCE_GROUP) {
        int b = r / plane, q = r % plane;
        acc += gOut[((long) b * g.s4 + oc) * plane + q];
    }
    float s = group_sum(acc, scratch);
    if (get_local_id(0) == 0) gb[oc] = s;
}
