// Batched GEMM C[b] = A[b]·B[b] (+ C[b]) with either operand stored transposed, and the epilogue of a Linear layer
// (bias per column, then ReLU) applied while the tile is still in registers: a Linear layer is one enqueue.
// Square 16×16 tiles staged through local memory; sizes that are not multiples of 16 are handled by bounds checks
// on the loads and the store. (A register-blocked variant is the obvious next step on a real GPU.)

#define TS 16

__kernel __attribute__((reqd_work_group_size(TS, TS, 1)))
void gemm(const int transA, const int transB, const int M, const int N, const int K,
          __global const float* A, const int aBatchStride, __global const float* B, const int bBatchStride,
          __global float* C, const int accumulate, __global const float* bias, const int hasBias, const int relu) {
    __local float As[TS][TS + 1];
    __local float Bs[TS][TS + 1];
    const int col = get_global_id(0), row = get_global_id(1), batch = get_global_id(2);
    const int lc = get_local_id(0), lr = get_local_id(1);
    A += (long) batch * aBatchStride;
    B += (long) batch * bBatchStride;
    C += (long) batch * M * N;
    float acc = 0.0f;
    for (int t = 0; t < K; t += TS) {
        // As[lr][lc] = A(row, t + lc); Bs[lr][lc] = B(t + lr, col)
        int ap = t + lc, bp = t + lr;
        As[lr][lc] = (row < M && ap < K) ? (transA ? A[(long) ap * M + row] : A[(long) row * K + ap]) : 0.0f;
        Bs[lr][lc] = (col < N && bp < K) ? (transB ? B[(long) col * K + bp] : B[(long) bp * N + col]) : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TS; p++) acc += As[lr][p] * Bs[p][lc];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < M && col < N) {
        long o = (long) row * N + col;
        if (accumulate) acc += C[o];
        if (hasBias) acc += bias[col];
        if (relu) acc = fmax(acc, 0.0f);
        C[o] = acc;
    }
}
