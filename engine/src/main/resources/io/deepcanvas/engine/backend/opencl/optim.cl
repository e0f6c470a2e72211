// Fused optimizer updates: one pass over a parameter, its gradient and its state, PyTorch's rules exactly
// (the same float operations in the same order as the CPU backend).

__kernel void sgd_step(__global float* p, __global const float* grad, __global float* buf, const int hasBuf,
                       const int n, const float lr, const float momentum, const float dampening,
                       const float weightDecay, const int nesterov, const int firstStep) {
    int i = get_global_id(0);
    if (i >= n) return;
    float d = grad[i];
    if (weightDecay != 0.0f) d += weightDecay * p[i];
    if (hasBuf) {
        float b = firstStep ? d : momentum * buf[i] + (1.0f - dampening) * d;
        buf[i] = b;
        d = nesterov ? d + momentum * b : b;
    }
    p[i] -= lr * d;
}

__kernel void adam_step(__global float* p, __global const float* grad, __global float* m, __global float* v,
                        __global float* vmax, const int amsgrad, const int n, const float stepSize,
                        const float beta1, const float beta2, const float eps, const float weightDecay,
                        const float bc2) {
    int i = get_global_id(0);
    if (i >= n) return;
    float d = grad[i];
    if (weightDecay != 0.0f) d += weightDecay * p[i];
    float mi = m[i] * beta1 + d * (1.0f - beta1);
    float vi = v[i] * beta2 + (1.0f - beta2) * d * d;
    m[i] = mi;
    v[i] = vi;
    float vUse = vi;
    if (amsgrad) {
        vUse = fmax(vmax[i], vi);
        vmax[i] = vUse;
    }
    float denom = sqrt(vUse) / bc2 + eps;
    p[i] -= stepSize * (mi / denom);
}
