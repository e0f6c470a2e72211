package io.deepcanvas.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision row-major matrix multiply with the Vector API: C[m,n] (+)= op(A)[m,k] · op(B)[k,n].
 *
 * <p>Organised like BLIS/GotoBLAS: op(B) is packed once into column panels NR = 2 vectors wide (zero-padded, so
 * the kernel never has a scalar tail), each block of KC steps of k of op(A) into row panels MR = 12 rows tall, and
 * a 12×2-vector micro-kernel keeps 24 accumulators in registers while streaming both panels contiguously. A packed
 * B micro-panel (KC × NR) stays in L1 while every A panel of the block (MC × KC, in L2) passes over it. Packing
 * also absorbs the transposes, so all four op combinations run the same kernel. Edge tiles are computed whole on
 * the zero padding and only their valid part is written back. With 16 vector registers (AVX2,
 * {@link VectorRegisters}) each tile is computed as two 6×2-vector halves — 12 accumulators, two loads of B and a
 * broadcast fill 15 of the 16 — from A packed row by row ({@link #ROW_PANELS}). A product whose A has many steps
 * of k holding one value in all rows of a panel (MNIST's background) sums those steps once per panel
 * ({@link #skipsConstantSteps}).
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int MR = 12;
    static final int NR = 2 * VL;
    /**
     * Most depth of one packed block: a KC × NR panel of B (32 KB with AVX-512) fits a 48 KB L1 beside the A rows.
     * (288, which takes k = 784 in three blocks instead of four, measured no different in alternation; nor did 128,
     * 192, 384 or 800.)
     */
    private static final int KC = 256;
    /**
     * With 16 vector registers (AVX2) a packed A panel holds its MR rows one after another, each KC floats apart
     * whatever the block's depth, instead of MR values per step of k: packing a row is one contiguous copy, and the
     * kernel's six broadcasts are one index plus constant displacements (row · KC · 4 bytes), no dearer than
     * interleaved ones. Interleaving cost ~1.5 cycles a value: the dense network's first layer at batch 1000 packed
     * its A in 360–410 us on one thread, now 150–165 (reading A from L3 is most of what is left). AVX-512's 12-row
     * kernel keeps the interleaved layout, which its gathers pack fast.
     */
    private static final boolean ROW_PANELS = VectorRegisters.FEW;
    /**
     * Steps of k where all MR rows of an A panel hold the same value are computed once for the panel
     * ({@link #packSkipping}): MNIST's black background is one value after normalisation, and in a 12-row panel of
     * its images half the steps of the first dense layer are such steps. With row panels (AVX2) or vectors of 12
     * lanes or more (AVX-512), the layouts it packs; {@code -Ddeepcanvas.constantSteps=false} turns it off (for
     * measuring it).
     */
    private static final boolean CONSTANT_STEPS = (ROW_PANELS || VL >= MR)
            && Boolean.parseBoolean(System.getProperty("deepcanvas.constantSteps", "true"));
    /**
     * Fewest multiply-adds for which a product looks for constant steps: the dense network's first layer at batch
     * 1000 has 401M. LeNet-5's test pass (its first layer with 48M) saved nothing measurable and paid, in the first
     * epoch's test pass, for the kernels' first, uncompiled calls: its whole first epoch 5.13 → 5.34 s.
     */
    private static final long SKIPPING_MIN_WORK = 1L << 27;
    /** Floats per step in a panel packed by {@link #packSkipping}: MR values, B's offset for the step, 3 unused. */
    private static final int STEP = MR + 4;
    /**
     * With row panels, floats of one 6-row half of a panel packed by {@link #packSkipping}: its rows KC apart, then
     * a row of B's offsets, so a half reads all of it at constant displacements from one index.
     */
    private static final int SKIPPING_HALF = (MR / 2 + 1) * KC;
    /** From this many rows of A a parallel product splits its rows (below, its column panels: see multiply). */
    private static final int ROW_SPLIT_MIN_ROWS = 512;
    /** Rows of A packed per block (a multiple of MR): MC × KC floats (96 KB) stay in L2. */
    private static final int MC = 96;
    /** Below this depth, with a C of more than {@link #CACHED_C} floats, tiles are computed in 6-row halves. */
    private static final int SHORT_DEPTH = 48;
    /** Floats of C that stay in cache (4 MB: the two cores' L2 of 2 MB each, here); a larger C misses on its stores. */
    private static final long CACHED_C = 1L << 20;
    /** Up to this many rows of A, full panels of an untransposed B are read in place rather than packed. */
    private static final int DIRECT_B_MAX_ROWS = 64;
    /**
     * Fewest weights (n·k) for which a small batch times transposed weights takes the tile kernels of
     * {@link ImplicitGemm#smallTimesTransposed}. Below, the dot products of {@link Dot} cost about as much (2 cores,
     * batch 64: LeNet-5's 400→120 layer 54 against 75 us, its 120→84 layer 43 against 21; the dense network's
     * 784→512 layer 333–365 against 302–313 us), and LeNet-5 then needs no 6×4-vector tile kernel at all: that
     * kernel is the biggest compile of its run (~0.2 s of C2 and ~0.08 s of C1 while the warm-up waits).
     */
    private static final long SMALL_TIMES_TRANSPOSED_MIN_WEIGHTS = 1L << 16;

    private Gemm() {
    }

    /**
     * The depth of each block of k: k cut into equal blocks of at most KC (1000 = 4 × 250, not 3 × 256 + 232), so
     * no block is a short one that passes over all of C for a few steps of k.
     */
    static int blockDepth(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /**
     * What is done to C once its sums are complete: a bias added per column (a Linear layer's), then max(0, ·)
     * when {@code relu}. Applied to each part of C right after its last block of k, while that part is in cache,
     * instead of in passes over all of C afterwards (for the dense network at batch 1000, 2 MB out to L3 and back
     * twice per layer).
     */
    record Epilogue(float[] bias, boolean relu) {
        /** Rows [r0, r1), columns [j0, j1) of C. Three loops, not one with branches: see {@link #kernel}. */
        void apply(float[] c, int cOff, int ldc, int r0, int r1, int j0, int j1) {
            FloatVector zero = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                int o = cOff + r * ldc, j = j0;
                if (bias != null && relu) {
                    for (; j <= j1 - VL; j += VL) {
                        FloatVector.fromArray(S, c, o + j).add(FloatVector.fromArray(S, bias, j))
                                .lanewise(VectorOperators.MAX, zero).intoArray(c, o + j);
                    }
                    for (; j < j1; j++) {
                        c[o + j] = Math.max(0f, c[o + j] + bias[j]);
                    }
                } else if (bias != null) {
                    for (; j <= j1 - VL; j += VL) {
                        FloatVector.fromArray(S, c, o + j).add(FloatVector.fromArray(S, bias, j)).intoArray(c, o + j);
                    }
                    for (; j < j1; j++) {
                        c[o + j] += bias[j];
                    }
                } else {
                    for (; j <= j1 - VL; j += VL) {
                        FloatVector.fromArray(S, c, o + j).lanewise(VectorOperators.MAX, zero).intoArray(c, o + j);
                    }
                    for (; j < j1; j++) {
                        c[o + j] = Math.max(0f, c[o + j]);
                    }
                }
            }
        }
    }

    /**
     * C = op(A)·op(B) (+ C when accumulate). {@code parallel} lets the call split its tiles over the cores;
     * callers that already run per-thread work pass false.
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                         boolean accumulate, boolean parallel) {
        multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, parallel, null);
    }

    /** As above, then {@code last} (null for nothing) applied to C. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                         boolean accumulate, boolean parallel, Epilogue last) {
        multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, parallel, last, SKIPPING_MIN_WORK);
    }

    /** As above, looking for constant steps from {@code skippingMinWork} multiply-adds (the warm-up's: any). */
    private static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                 boolean accumulate, boolean parallel, Epilogue last, long skippingMinWork) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            if (last != null) {
                last.apply(c, cOff, n, 0, m, 0, n);
            }
            return;
        }
        long work = 2L * m * n * k;
        if (transB && !transA && m <= 2 * ImplicitGemm.NR && n >= 64 && k >= 64
                && (long) n * k >= SMALL_TIMES_TRANSPOSED_MIN_WEIGHTS) {
            // a small batch times a Linear layer's transposed weights (measured at batch 32, 3136→1000: 1.6 → 1.1 ms)
            ImplicitGemm.smallTimesTransposed(m, n, k, a, aOff, b, bOff, c, cOff, accumulate, parallel);
            if (last != null) {
                // at most 2·NR rows: one pass while C is still in cache
                last.apply(c, cOff, n, 0, m, 0, n);
            }
            return;
        }
        boolean split = parallel && work >= Parallel.MIN_PARALLEL_WORK * 8 && Parallel.THREADS > 1;
        if (transB && !transA && k >= 4 * VL && (long) m * n <= 64L * k) {
            // few outputs over a long k (weight gradients, thin layers): dot products of rows, nothing packed
            if (split) {
                // split the larger operand, so each core streams only its share of it
                if (m >= 4 * Parallel.THREADS && m >= n) {
                    int blocks = (m + 3) / 4;
                    Parallel.forRange(blocks, work, (from, to) -> Dot.rows(n, k, a, aOff, b, bOff, c, cOff,
                            accumulate, from * 4, Math.min(m, to * 4), 0, n));
                } else {
                    int blocks = (n + 3) / 4;
                    Parallel.forRange(blocks, work, (from, to) -> Dot.rows(n, k, a, aOff, b, bOff, c, cOff,
                            accumulate, 0, m, from * 4, Math.min(n, to * 4)));
                }
            } else {
                Dot.rows(n, k, a, aOff, b, bOff, c, cOff, accumulate, 0, m, 0, n);
            }
            if (last != null) {
                // few outputs (m·n ≤ 64·k): one pass over C costs little next to the k-long dot products
                last.apply(c, cOff, n, 0, m, 0, n);
            }
            return;
        }
        int nPanels = (n + NR - 1) / NR;
        int mPanels = (m + MR - 1) / MR;
        float[] bp = Scratch.get(Scratch.PACK_B, nPanels * NR * k);
        // With few rows of A, each B panel is used by one or a few row panels only, so packing it costs about as
        // much as the multiply-adds it serves (a Linear layer's input gradient at a small batch copies the whole
        // weight matrix): full panels of an untransposed B are then read in place, NR floats per row of B.
        boolean direct = !transB && m <= DIRECT_B_MAX_ROWS;
        if (split) {
            // (measured: for the batch sizes of training, up to a few hundred rows, splitting columns is 20-45% faster;
            // from about 500 rows up splitting rows is 10-50% faster, however wide: a 1000 × 3136 weight gradient
            // takes 0.9 ms split by rows, 1.4 ms by columns)
            if (nPanels >= Parallel.THREADS && m < ROW_SPLIT_MIN_ROWS) {
                // Columns are split: A is packed once, whole, then the threads claim column panels a few at a
                // time, each packing and multiplying its own. (One equal half per thread, each packing all of A,
                // left the caller waiting 50-100 us per product for the other core, which reads data this core
                // just wrote.)
                int mPad = mPanels * MR;
                int kb = blockDepth(k);
                float[] apAll = Scratch.get(Scratch.PACK_A_ALL, packedBlockOffset(k, kb, mPad));
                Parallel.forRange(mPanels, (long) m * k, (from, to) -> {
                    for (int p0 = 0; p0 < k; p0 += kb) {
                        int kc = Math.min(kb, k - p0);
                        packA(transA, m, k, a, aOff, from * MR, Math.min(m, to * MR), p0, kc, apAll,
                                packedBlockOffset(p0, kb, mPad) + from * panelFloats(kc));
                    }
                });
                Parallel.forRange(nPanels, work, (from, to) -> {
                    packB(transB, direct, n, k, b, bOff, bp, from, to);
                    computePacked(m, n, k, apAll, mPad, b, bOff, direct, bp, c, cOff, accumulate, from, to, last);
                });
            } else {
                boolean skipping = skipsConstantSteps(transA, direct, m, n, k, a, aOff, skippingMinWork);
                Parallel.forRange(nPanels, work / 8, (from, to) -> packB(transB, direct, n, k, b, bOff, bp, from,
                        to));
                Parallel.forRange(mPanels, work, (from, to) -> compute(transA, m, n, k, a, aOff, b, bOff, direct,
                        bp, c, cOff, accumulate, from * MR, Math.min(m, to * MR), 0, nPanels, last, skipping));
            }
        } else {
            boolean skipping = skipsConstantSteps(transA, direct, m, n, k, a, aOff, skippingMinWork);
            packB(transB, direct, n, k, b, bOff, bp, 0, nPanels);
            compute(transA, m, n, k, a, aOff, b, bOff, direct, bp, c, cOff, accumulate, 0, m, 0, nPanels, last,
                    skipping);
        }
    }

    /**
     * Packs column panels [jp0, jp1) of op(B) [k, n]: panel jp holds k rows of NR consecutive columns at
     * {@code bp[(jp·k + p)·NR + c]}, columns past n zero.
     */
    private static void packB(boolean transB, boolean direct, int n, int k, float[] b, int bOff, float[] bp,
                              int jp0, int jp1) {
        if (transB) {
            // B stored [n, k]: column j of op(B) is row j of the storage, the implicit GEMM's transposed packing
            ImplicitGemm.packTransposed(b, bOff, k, k, n, bp, 0, k, jp0, jp1);
            return;
        }
        for (int jp = jp0; jp < jp1; jp++) {
            int j0 = jp * NR, cols = Math.min(NR, n - j0);
            if (direct && cols == NR) {
                continue;
            }
            int dst = jp * k * NR;
            // B stored [k, n]: each step of k is a contiguous run of the panel's columns
            if (cols == NR) {
                for (int p = 0, src = bOff + j0; p < k; p++, src += n, dst += NR) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + VL).intoArray(bp, dst + VL);
                }
                continue;
            }
            for (int p = 0, src = bOff + j0; p < k; p++, src += n, dst += NR) {
                System.arraycopy(b, src, bp, dst, cols);
                for (int cc = cols; cc < NR; cc++) {
                    bp[dst + cc] = 0f;
                }
            }
        }
    }

    /**
     * Packs rows [i0, i1) and steps [p0, p0+kc) of op(A) into MR-row panels, interleaved: {@code ap[apOff +
     * (panel·kc + p)·MR + r]}, rows past i1 zero; or, with {@link #ROW_PANELS}, row after row ({@link #packRows}).
     */
    private static void packA(boolean transA, int m, int k, float[] a, int aOff, int i0, int i1, int p0, int kc,
                              float[] ap, int apOff) {
        if (ROW_PANELS) {
            packRows(transA, m, k, a, aOff, i0, i1, p0, kc, ap, apOff);
            return;
        }
        // gather offsets of the MR rows of an untransposed A, lanes past MR repeating the first rows (null when a
        // vector is narrower than a panel or k too large for int offsets)
        int[] rowsAt = null;
        if (!transA && VL >= MR && (long) MR * k < Integer.MAX_VALUE / 2) {
            rowsAt = new int[VL];
            for (int lane = 0; lane < VL; lane++) {
                rowsAt[lane] = lane % MR * k;
            }
        }
        for (int ir = i0, dst = apOff; ir < i1; ir += MR, dst += kc * MR) {
            int rows = Math.min(MR, i1 - ir);
            if (!transA) {
                // A stored [m, k]: walk k once over the panel's rows so the packed writes are sequential
                if (rows == MR) {
                    int s0 = aOff + ir * k + p0, p = 0, d = dst;
                    if (rowsAt != null) {
                        // one gather of the panel's rows per step of k, stored whole: its lanes past MR spill into
                        // the next step's slot, which that step overwrites (a third of the scalar copy's time)
                        for (; p < kc - 1; p++, d += MR) {
                            FloatVector.fromArray(S, a, s0 + p, rowsAt, 0).intoArray(ap, d);
                        }
                    }
                    // the last step (all of them without a gather) copied exactly: past it lies the next panel,
                    // which another thread may be packing
                    for (; p < kc; p++, d += MR) {
                        for (int r = 0, q = s0 + p; r < MR; r++, q += k) {
                            ap[d + r] = a[q];
                        }
                    }
                } else {
                    for (int p = 0, d = dst; p < kc; p++, d += MR) {
                        for (int r = 0; r < MR; r++) {
                            ap[d + r] = r < rows ? a[aOff + (ir + r) * k + p0 + p] : 0f;
                        }
                    }
                }
            } else {
                // A stored [k, m]: each step of k is a contiguous run of the panel's rows
                if (rows == MR) {
                    for (int p = 0, src = aOff + p0 * m + ir, d = dst; p < kc; p++, src += m, d += MR) {
                        System.arraycopy(a, src, ap, d, MR);
                    }
                    continue;
                }
                for (int p = 0, src = aOff + p0 * m + ir, d = dst; p < kc; p++, src += m, d += MR) {
                    System.arraycopy(a, src, ap, d, rows);
                    for (int r = rows; r < MR; r++) {
                        ap[d + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * {@link #packA} into row panels ({@link #ROW_PANELS}): {@code ap[apOff + panel·MR·KC + r·KC + p]}, rows past i1
     * zero.
     */
    private static void packRows(boolean transA, int m, int k, float[] a, int aOff, int i0, int i1, int p0, int kc,
                                 float[] ap, int apOff) {
        for (int ir = i0, dst = apOff; ir < i1; ir += MR, dst += MR * KC) {
            int rows = Math.min(MR, i1 - ir);
            if (!transA) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(a, aOff + (ir + r) * k + p0, ap, dst + r * KC, kc);
                }
            } else {
                // A stored [k, m]: each step of k holds the panel's rows side by side, read once
                for (int p = 0, src = aOff + p0 * m + ir; p < kc; p++, src += m) {
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r * KC + p] = a[src + r];
                    }
                }
            }
            for (int r = rows; r < MR; r++) {
                java.util.Arrays.fill(ap, dst + r * KC, dst + r * KC + kc, 0f);
            }
        }
    }

    /**
     * Packs rows [i0, i1) and steps [p0, p0+kc) of an untransposed A for {@link #kernelSkipping} (or, with AVX2,
     * {@link #kernelSkippingHalf}), each full panel in a slot of {@link #skippingSlot} floats: from the front the
     * steps whose MR values are not all equal, each with the offset of its row in the packed B panel (the float
     * holding the int's bits) — interleaved, STEP floats a step, or with row panels row by row ({@link #copyRun});
     * from the back the steps whose MR values are all equal (MNIST's background, a ReLU's zeros), each as its value
     * and that offset. counts[2q] and counts[2q + 1] receive panel q's numbers of each. A last panel of fewer rows is
     * packed as {@link #packA} does (its counts unused).
     */
    private static void packSkipping(int k, float[] a, int aOff, int i0, int i1, int p0, int kc, float[] ap,
                                     int[] counts) {
        int slot = skippingSlot(kc);
        // interleaved panels (AVX-512): gather offsets of the MR rows, lanes past MR repeating the first rows (so
        // "all lanes equal" is "all rows")
        int[] rowsAt = ROW_PANELS ? null : new int[VL];
        for (int lane = 0; rowsAt != null && lane < VL; lane++) {
            rowsAt[lane] = lane % MR * k;
        }
        for (int ir = i0, q = 0; ir < i1; ir += MR, q++) {
            int dst = q * slot;
            if (i1 - ir < MR) {
                // (packA reads m only for a transposed A)
                packA(false, 0, k, a, aOff, ir, i1, p0, kc, ap, dst);
                continue;
            }
            int s0 = aOff + ir * k + p0;
            if (s0 + (MR - 1) * k + kc > a.length || dst + slot > ap.length) {
                throw new IndexOutOfBoundsException("GEMM: A panel at row " + ir + " (steps " + p0 + ".." + (p0 + kc)
                        + " of " + k + ") reaches past A's " + a.length + " floats or the packing slot at " + dst
                        + " of " + ap.length + ": a bug in Gemm's blocking");
            }
            if (ROW_PANELS) {
                packSkippingRows(k, a, s0, kc, ap, dst, slot, counts, q);
            } else {
                packSkippingInterleaved(a, s0, rowsAt, kc, ap, dst, slot, counts, q);
            }
        }
    }

    /**
     * One full panel for {@link #packSkipping} with row panels (AVX2): the constant steps found VL at a time, each
     * row's VL values compared with row 0's (a scan step by step, leaving at the first differing row, mispredicted
     * its exit), the varying ones copied a run of consecutive steps at a time ({@link #copyRun}).
     */
    private static void packSkippingRows(int k, float[] a, int s0, int kc, float[] ap, int dst, int slot,
                                         int[] counts, int q) {
        int varying = 0, constant = 0;
        for (int p = 0, runStart = 0; p < kc; ) {
            long same = 1;
            int steps = 1;
            if (p + VL <= kc) {
                FloatVector first = FloatVector.fromArray(S, a, s0 + p);
                VectorMask<Float> equal = S.maskAll(true);
                for (int r = 1, src = s0 + p + k; r < MR; r++, src += k) {
                    equal = equal.and(FloatVector.fromArray(S, a, src).compare(VectorOperators.EQ, first));
                }
                same = equal.toLong();
                steps = VL;
            } else {
                for (int r = 1; r < MR; r++) {
                    same &= a[s0 + r * k + p] == a[s0 + p] ? 1 : 0;
                }
            }
            for (int u = 0; u < steps; u++, p++) {
                if ((same >>> u & 1) != 0) {
                    copyRun(a, s0, k, runStart, p, ap, dst, varying);
                    varying += p - runStart;
                    runStart = p + 1;
                    putConstant(ap, dst + slot, constant++, a[s0 + p], p);
                }
            }
            if (p == kc) {
                copyRun(a, s0, k, runStart, p, ap, dst, varying);
                varying += p - runStart;
            }
        }
        counts[2 * q] = varying;
        counts[2 * q + 1] = constant;
    }

    /** One full panel for {@link #packSkipping}, interleaved (AVX-512): one gather of the MR rows a step. */
    private static void packSkippingInterleaved(float[] a, int s0, int[] rowsAt, int kc, float[] ap, int dst,
                                                int slot, int[] counts, int q) {
        int varying = 0, constant = 0;
        for (int p = 0; p < kc; p++) {
            FloatVector g = FloatVector.fromArray(S, a, s0 + p, rowsAt, 0);
            float first = a[s0 + p];
            if (g.compare(VectorOperators.EQ, first).allTrue()) {
                putConstant(ap, dst + slot, constant++, first, p);
            } else {
                int at = dst + STEP * varying++;
                g.intoArray(ap, at);
                ap[at + MR] = Float.intBitsToFloat(p * NR);
            }
        }
        counts[2 * q] = varying;
        counts[2 * q + 1] = constant;
    }

    /** The constant step number {@code index} of a panel whose slot ends at {@code slotEnd}: step p, value v. */
    private static void putConstant(float[] ap, int slotEnd, int index, float v, int p) {
        int at = slotEnd - 2 * (index + 1);
        ap[at] = v;
        ap[at + 1] = Float.intBitsToFloat(p * NR);
    }

    /**
     * The constant steps of a panel packed by {@link #packSkipping} times the B panel: their values times B's rows,
     * summed into the two vectors {@code sums[0, NR)} — what every row of the tile starts from. Four partial sums,
     * so the chain of latency does not serialise the steps. Its own method, as the kernels have one path each: a
     * vector kernel with several paths may be compiled, depending on the profile it saw, with the vectors of one
     * path boxed (as {@link #kernel} was once; a skipping kernel with its sums inside ran 5× slower for the life of
     * one process).
     */
    private static void constantSums(int constant, float[] ap, int ao, int slot, float[] bp, int bo, float[] sums) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00;
        FloatVector s31 = s00;
        int t = ao + slot - 2 * constant, tEnd = ao + slot;
        if (t < ao || tEnd > ap.length) {
            throw new IndexOutOfBoundsException("GEMM: " + constant + " constant steps of the panel at " + ao
                    + " (slot " + slot + ") reach past the packed " + ap.length + " floats: a bug in Gemm's blocking");
        }
        for (; t <= tEnd - 8; t += 8) {
            int q0 = bo + Float.floatToRawIntBits(ap[t + 1]);
            FloatVector x0 = FloatVector.broadcast(S, ap[t + 0]);
            s00 = x0.fma(FloatVector.fromArray(S, bp, q0), s00);
            s01 = x0.fma(FloatVector.fromArray(S, bp, q0 + VL), s01);
            int q1 = bo + Float.floatToRawIntBits(ap[t + 3]);
            FloatVector x1 = FloatVector.broadcast(S, ap[t + 2]);
            s10 = x1.fma(FloatVector.fromArray(S, bp, q1), s10);
            s11 = x1.fma(FloatVector.fromArray(S, bp, q1 + VL), s11);
            int q2 = bo + Float.floatToRawIntBits(ap[t + 5]);
            FloatVector x2 = FloatVector.broadcast(S, ap[t + 4]);
            s20 = x2.fma(FloatVector.fromArray(S, bp, q2), s20);
            s21 = x2.fma(FloatVector.fromArray(S, bp, q2 + VL), s21);
            int q3 = bo + Float.floatToRawIntBits(ap[t + 7]);
            FloatVector x3 = FloatVector.broadcast(S, ap[t + 6]);
            s30 = x3.fma(FloatVector.fromArray(S, bp, q3), s30);
            s31 = x3.fma(FloatVector.fromArray(S, bp, q3 + VL), s31);
        }
        for (; t < tEnd; t += 2) {
            int q = bo + Float.floatToRawIntBits(ap[t + 1]);
            FloatVector x = FloatVector.broadcast(S, ap[t]);
            s00 = x.fma(FloatVector.fromArray(S, bp, q), s00);
            s01 = x.fma(FloatVector.fromArray(S, bp, q + VL), s01);
        }
        s00.add(s10).add(s20.add(s30)).intoArray(sums, 0);
        s01.add(s11).add(s21.add(s31)).intoArray(sums, VL);
    }

    /**
     * A full tile from a panel packed by {@link #packSkipping}: C[co..] = sums (each row) + the varying steps, 12
     * rows of ldc. {@link #kernel}'s loop with B's row read at the offset stored beside A's values — one pointer for
     * both, which runs level with the dense kernel (with a separate array of offsets the loop ran 20% slower); a
     * copy, not a shared helper, as a helper taking vectors boxes them when C2 does not inline it. The same products
     * as the dense kernel, summed in another order.
     */
    private static void kernelSkipping(int varying, float[] ap, int ao, float[] sums, float[] bp, int bo, float[] c,
                                       int co, int ldc) {
        int end = ao + STEP * varying;
        if (ao < 0 || end > ap.length) {
            throw new IndexOutOfBoundsException("GEMM: skipping panel at " + ao + " with " + varying
                    + " varying steps reaches past the packed " + ap.length + " floats: a bug in Gemm's blocking");
        }
        FloatVector i0 = FloatVector.fromArray(S, sums, 0), i1 = FloatVector.fromArray(S, sums, VL);
        // accumulator cRJ: row R of the tile (0-9, a, b), vector J
        FloatVector c00 = i0, c01 = i1;
        FloatVector c10 = i0, c11 = i1;
        FloatVector c20 = i0, c21 = i1;
        FloatVector c30 = i0, c31 = i1;
        FloatVector c40 = i0, c41 = i1;
        FloatVector c50 = i0, c51 = i1;
        FloatVector c60 = i0, c61 = i1;
        FloatVector c70 = i0, c71 = i1;
        FloatVector c80 = i0, c81 = i1;
        FloatVector c90 = i0, c91 = i1;
        FloatVector ca0 = i0, ca1 = i1;
        FloatVector cb0 = i0, cb1 = i1;
        for (; ao < end; ao += STEP) {
            int q = bo + Float.floatToRawIntBits(ap[ao + MR]);
            FloatVector b0 = FloatVector.fromArray(S, bp, q);
            FloatVector b1 = FloatVector.fromArray(S, bp, q + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(S, ap[ao + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, ap[ao + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(S, ap[ao + 10]);
            ca0 = x.fma(b0, ca0);
            ca1 = x.fma(b1, ca1);
            x = FloatVector.broadcast(S, ap[ao + 11]);
            cb0 = x.fma(b0, cb0);
            cb1 = x.fma(b1, cb1);
        }
        {
            int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc, o6 = o5 + ldc;
            int o7 = o6 + ldc, o8 = o7 + ldc, o9 = o8 + ldc, o10 = o9 + ldc, o11 = o10 + ldc;
            c00.intoArray(c, co);
            c01.intoArray(c, co + VL);
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
            c60.intoArray(c, o6);
            c61.intoArray(c, o6 + VL);
            c70.intoArray(c, o7);
            c71.intoArray(c, o7 + VL);
            c80.intoArray(c, o8);
            c81.intoArray(c, o8 + VL);
            c90.intoArray(c, o9);
            c91.intoArray(c, o9 + VL);
            ca0.intoArray(c, o10);
            ca1.intoArray(c, o10 + VL);
            cb0.intoArray(c, o11);
            cb1.intoArray(c, o11 + VL);
        }
    }

    /**
     * Copies steps [from, to) of a full panel's 12 rows (row r at {@code a[s0 + r·k]}) to a row panel packed for
     * {@link #kernelSkippingHalf} from its step {@code at}: each half ({@link #SKIPPING_HALF}) its six rows, then B's
     * offsets for the steps.
     */
    private static void copyRun(float[] a, int s0, int k, int from, int to, float[] ap, int dst, int at) {
        if (to <= from) {
            return;
        }
        for (int r = 0; r < MR; r++) {
            int row = dst + r / (MR / 2) * SKIPPING_HALF + r % (MR / 2) * KC;
            System.arraycopy(a, s0 + r * k + from, ap, row + at, to - from);
        }
        for (int p = from, i = at; p < to; p++, i++) {
            float offset = Float.intBitsToFloat(p * NR);
            ap[dst + MR / 2 * KC + i] = offset;
            ap[dst + SKIPPING_HALF + MR / 2 * KC + i] = offset;
        }
    }

    /**
     * Floats of one panel's slot for {@link #packSkipping}: interleaved, STEP a step; with row panels, its two halves
     * and room for kc constant pairs after them. Either holds a short last panel packed as {@link #packA} does.
     */
    private static int skippingSlot(int kc) {
        return ROW_PANELS ? 2 * SKIPPING_HALF + 2 * KC : Math.max(STEP * kc, panelFloats(kc));
    }

    /**
     * Six rows of a row panel packed by {@link #packSkipping} times the B panel, with AVX2's 16 registers: the half
     * starting at {@code ao} ({@link #SKIPPING_HALF}), C[co..] = sums + the varying steps — the loop of
     * {@link #kernelRows} with B's row read at the offset stored below A's rows.
     */
    private static void kernelSkippingHalf(int varying, float[] ap, int ao, float[] sums, float[] bp, int bo,
                                           float[] c, int co, int ldc) {
        int end = ao + varying;
        if (ao < 0 || end + MR / 2 * KC > ap.length) {
            throw new IndexOutOfBoundsException("GEMM: skipping row panel at " + ao + " with " + varying
                    + " varying steps reaches past the packed " + ap.length + " floats: a bug in Gemm's blocking");
        }
        FloatVector i0 = FloatVector.fromArray(S, sums, 0), i1 = FloatVector.fromArray(S, sums, VL);
        FloatVector c00 = i0, c01 = i1;
        FloatVector c10 = i0, c11 = i1;
        FloatVector c20 = i0, c21 = i1;
        FloatVector c30 = i0, c31 = i1;
        FloatVector c40 = i0, c41 = i1;
        FloatVector c50 = i0, c51 = i1;
        for (; ao < end; ao++) {
            int q = bo + Float.floatToRawIntBits(ap[ao + MR / 2 * KC]);
            FloatVector b0 = FloatVector.fromArray(S, bp, q);
            FloatVector b1 = FloatVector.fromArray(S, bp, q + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1 * KC]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2 * KC]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3 * KC]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4 * KC]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5 * KC]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + VL);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + VL);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + VL);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + VL);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + VL);
    }

    /** Floats of one packed A panel of a block kc deep. */
    private static int panelFloats(int kc) {
        return ROW_PANELS ? MR * KC : MR * kc;
    }

    /**
     * Where the block of k starting at p0 begins in A packed whole (m padded to mPad rows, blocks kb deep); with
     * p0 = k, the floats all the blocks take (row panels round a short last block up to a whole one).
     */
    private static int packedBlockOffset(int p0, int kb, int mPad) {
        return ROW_PANELS ? (p0 + kb - 1) / kb * mPad * KC : p0 * mPad;
    }

    /**
     * Runs the constant-step path ({@link #packSkipping}, {@link #constantSums} and this instruction set's skipping
     * kernel) on a small product until C2 has compiled it, on the calling thread: the app's launch warm-up runs it
     * ({@code Warmup}), as its inference phases run on noise, where no product takes the path. (Not the run's
     * warm-up: on 2 cores its ~0.3 s of interpreted and C1 vector code costs what the first test pass on MNIST
     * saves by finding the kernels compiled — measured level.)
     */
    static void warmUpConstantSteps() {
        if (!CONSTANT_STEPS) {
            return;
        }
        // a whole column panel and an edge one; every other step constant, as MNIST's background is at least
        int m = ROW_SPLIT_MIN_ROWS, n = NR + VL, k = 64;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                a[i * k + p] = p % 2 == 0 ? -0.4242f : (i * 31 + p * 7) % 13 * 0.1f;
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = i % 11 * 0.1f - 0.5f;
        }
        for (int r = 0; r < 300; r++) {
            multiply(false, r % 2 == 0, m, n, k, a, 0, b, 0, c, 0, r % 4 == 1, false, null, 0);
        }
    }

    /**
     * Whether this product packs A with {@link #packSkipping}: with an untransposed A and a packed B, when at least
     * a quarter of the steps of its first panel (rows 0 to 11, the first block of k) hold one value in all twelve
     * rows, and the product has rows enough to be split by rows (inference at batch 1000, a test pass) and at
     * least {@code minWork} multiply-adds ({@link #SKIPPING_MIN_WORK}). Decided once per product from its data alone,
     * so every panel is summed the same way whatever the split over threads (bit for bit the same results from run
     * to run). With fewer such steps the wider packed steps cost more than they save (random data: 3–14% slower
     * with AVX-512).
     */
    private static boolean skipsConstantSteps(boolean transA, boolean direct, int m, int n, int k, float[] a,
                                              int aOff, long minWork) {
        int kc = blockDepth(k);
        // from ROW_SPLIT_MIN_ROWS only, where one thread and several both run compute(): the same sums either way
        if (!CONSTANT_STEPS || transA || direct || m < ROW_SPLIT_MIN_ROWS || storeBound(m, n, kc)
                || (long) m * n * k < minWork) {
            return false;
        }
        int constant = 0;
        for (int p = 0; p < kc; p++) {
            float first = a[aOff + p];
            int r = 1;
            while (r < MR && a[aOff + r * k + p] == first) {
                r++;
            }
            constant += r == MR ? 1 : 0;
        }
        return 4 * constant >= kc;
    }

    /** Computes rows [r0, r1) and column panels [jp0, jp1) of C from the packed B, then applies {@code last}. */
    private static void compute(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                                boolean direct, float[] bp, float[] c, int cOff, boolean accumulate, int r0, int r1,
                                int jp0, int jp1, Epilogue last, boolean skipping) {
        if (r0 >= r1 || jp0 >= jp1) {
            return;
        }
        int kb = blockDepth(k);
        float[] ap = Scratch.get(Scratch.PACK_A, MC / MR * (skipping ? skippingSlot(kb) : panelFloats(kb)));
        float[] tile = Scratch.get(Scratch.TILE, MR * NR);
        int[] counts = skipping ? new int[2 * (MC / MR)] : null;
        float[] sums = skipping ? new float[NR] : null;
        for (int p0 = 0; p0 < k; p0 += kb) {
            int kc = Math.min(kb, k - p0);
            boolean add = accumulate || p0 > 0, halves = storeBound(m, n, kc);
            int slot = skipping ? skippingSlot(kc) : panelFloats(kc);
            for (int i0 = r0; i0 < r1; i0 += MC) {
                int i1 = Math.min(r1, i0 + MC);
                if (skipping) {
                    packSkipping(k, a, aOff, i0, i1, p0, kc, ap, counts);
                } else {
                    packA(transA, m, k, a, aOff, i0, i1, p0, kc, ap, 0);
                }
                for (int jp = jp0; jp < jp1; jp++) {
                    int j = jp * NR, cols = Math.min(NR, n - j);
                    boolean inPlace = direct && cols == NR;
                    float[] bs = inPlace ? b : bp;
                    int bo = inPlace ? bOff + p0 * n + j : (jp * k + p0) * NR, ldb = inPlace ? n : NR;
                    for (int ir = i0, ao = 0, q = 0; ir < i1; ir += MR, ao += slot, q++) {
                        int rows = Math.min(MR, i1 - ir);
                        if (skipping && rows == MR) {
                            // the constant steps' sums, then the varying steps from them: one store path per
                            // kernel (straight into C for a whole tile that sets it, else through the tile buffer)
                            int co = cOff + ir * n + j, varying = counts[2 * q], constant = counts[2 * q + 1];
                            if (constant > 0) {
                                constantSums(constant, ap, ao, slot, bs, bo, sums);
                            } else {
                                java.util.Arrays.fill(sums, 0f);
                            }
                            boolean straight = cols == NR && !add;
                            float[] out = straight ? c : tile;
                            int o = straight ? co : 0, ld = straight ? n : NR;
                            if (ROW_PANELS) {
                                // 16 registers: two 6-row halves, as kernelRows
                                kernelSkippingHalf(varying, ap, ao, sums, bs, bo, out, o, ld);
                                kernelSkippingHalf(varying, ap, ao + SKIPPING_HALF, sums, bs, bo, out,
                                        o + MR / 2 * ld, ld);
                            } else {
                                kernelSkipping(varying, ap, ao, sums, bs, bo, out, o, ld);
                            }
                            if (!straight) {
                                storeTile(tile, c, co, n, add, rows, cols);
                            }
                            continue;
                        }
                        kernel(kc, ap, ao, bs, bo, ldb, c, cOff + ir * n + j, n, add, rows, cols, tile, halves);
                    }
                }
                if (last != null && p0 + kc == k) {
                    // these MC rows are complete and still in L2
                    last.apply(c, cOff, n, i0, i1, jp0 * NR, Math.min(n, jp1 * NR));
                }
            }
        }
    }

    /**
     * Column panels [jp0, jp1) of C, all rows, from A packed whole ({@code ap[p0·mPad + (panel·kc + p)·MR + r]}
     * for the block of k starting at p0) and the packed B.
     */
    private static void computePacked(int m, int n, int k, float[] ap, int mPad, float[] b, int bOff, boolean direct,
                                      float[] bp, float[] c, int cOff, boolean accumulate, int jp0, int jp1,
                                      Epilogue last) {
        float[] tile = Scratch.get(Scratch.TILE, MR * NR);
        int kb = blockDepth(k);
        for (int jp = jp0; jp < jp1; jp++) {
            int j = jp * NR, cols = Math.min(NR, n - j);
            boolean inPlace = direct && cols == NR;
            float[] bs = inPlace ? b : bp;
            int ldb = inPlace ? n : NR;
            for (int p0 = 0; p0 < k; p0 += kb) {
                int kc = Math.min(kb, k - p0);
                boolean add = accumulate || p0 > 0, halves = storeBound(m, n, kc);
                int bo = inPlace ? bOff + p0 * n + j : (jp * k + p0) * NR;
                for (int ir = 0, ao = packedBlockOffset(p0, kb, mPad); ir < m; ir += MR, ao += panelFloats(kc)) {
                    kernel(kc, ap, ao, bs, bo, ldb, c, cOff + ir * n + j, n, add, Math.min(MR, m - ir), cols, tile,
                            halves);
                }
            }
            if (last != null) {
                // this column panel is complete: m × NR floats, still in cache
                last.apply(c, cOff, n, 0, m, j, j + cols);
            }
        }
    }

    /**
     * The 12×2-vector micro-kernel: C tile (+)= Apanel · Bpanel over kc steps, 24 accumulators in registers (of
     * AVX-512's 32). Each step loads two vectors of B and broadcasts twelve values of A for 24 multiply-adds:
     * measured 215 GFLOP/s per core in L1 against 180 for a 6×2 tile (8 loads per 12 multiply-adds) and 170 for
     * 6×4 (whose 64-wide B block no longer fits L1 at KC). A full tile that sets C is written straight to it; an
     * edge tile, or one added to C, goes through {@code tile} (only an edge tile's rows × cols corner is written).
     */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co, int ldc,
                               boolean add, int rows, int cols, float[] tile, boolean halves) {
        if (ROW_PANELS) {
            // 16 registers: the tile in two 6-row halves (the whole tile would spill), an edge tile's through the
            // tile buffer
            if (rows == MR && cols == NR) {
                kernelRows(kc, ap, ao, bp, bo, ldb, c, co, ldc, add);
                kernelRows(kc, ap, ao + MR / 2 * KC, bp, bo, ldb, c, co + MR / 2 * ldc, ldc, add);
                return;
            }
            kernelRows(kc, ap, ao, bp, bo, ldb, tile, 0, NR, false);
            if (rows > MR / 2) {
                kernelRows(kc, ap, ao + MR / 2 * KC, bp, bo, ldb, tile, MR / 2 * NR, NR, false);
            }
            storeTile(tile, c, co, ldc, add, rows, cols);
        } else if (rows == MR && cols == NR && halves) {
            kernelHalf(kc, ap, ao, bp, bo, ldb, c, co, ldc, add);
            kernelHalf(kc, ap, ao + MR / 2, bp, bo, ldb, c, co + MR / 2 * ldc, ldc, add);
        } else if (rows == MR && cols == NR && !add) {
            kernel(kc, ap, ao, bp, bo, ldb, c, co, ldc);
        } else {
            // adding to C, or an edge tile: through the tile buffer (L1), so the kernel has one store path. With a
            // second, adding path of its own, the 24-accumulator kernel was at C2's inlining node limit: in some JVM
            // runs (those whose profile had seen both paths when it compiled) its last stores were left as calls
            // that box their vectors, and dense inference ran 20% slower for the life of the process.
            kernel(kc, ap, ao, bp, bo, ldb, tile, 0, NR);
            storeTile(tile, c, co, ldc, add, rows, cols);
        }
    }

    /** The full tile: C[co..] = the product, 12 rows of ldc. */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co, int ldc) {
        // accumulator cRJ: row R of the tile (0-9, a, b), vector J. One zero() shared: 24 separate calls make the
        // method too big for C1 (see ImplicitGemm.kernelWide)
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        FloatVector ca0 = c00, ca1 = c00;
        FloatVector cb0 = c00, cb1 = c00;
        int end = ao + kc * MR;
        if (end > ap.length || bo + (kc - 1) * ldb + NR > bp.length) {
            throw new IndexOutOfBoundsException("GEMM kernel: packed panels out of range (A " + ao + ".." + end + " of "
                    + ap.length + ", B " + bo + " + " + kc + " rows of " + ldb + " of " + bp.length + ")");
        }
        // pointer-style bounds let C2 drop the per-load range checks (about 15% faster than a counted loop)
        for (; ao < end; ao += MR, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(S, ap[ao + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(S, ap[ao + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(S, ap[ao + 10]);
            ca0 = x.fma(b0, ca0);
            ca1 = x.fma(b1, ca1);
            x = FloatVector.broadcast(S, ap[ao + 11]);
            cb0 = x.fma(b0, cb0);
            cb1 = x.fma(b1, cb1);
        }
        // stores written out: a helper taking vectors is not always inlined, and then boxes every vector
        {
            int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc, o6 = o5 + ldc;
            int o7 = o6 + ldc, o8 = o7 + ldc, o9 = o8 + ldc, o10 = o9 + ldc, o11 = o10 + ldc;
            c00.intoArray(c, co);
            c01.intoArray(c, co + VL);
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
            c60.intoArray(c, o6);
            c61.intoArray(c, o6 + VL);
            c70.intoArray(c, o7);
            c71.intoArray(c, o7 + VL);
            c80.intoArray(c, o8);
            c81.intoArray(c, o8 + VL);
            c90.intoArray(c, o9);
            c91.intoArray(c, o9 + VL);
            ca0.intoArray(c, o10);
            ca1.intoArray(c, o10 + VL);
            cb0.intoArray(c, o11);
            cb1.intoArray(c, o11 + VL);
        }
    }

    /**
     * Whether a block of k is too short for a whole tile (with AVX2's 16 registers a whole tile never fits, and
     * every tile is computed in halves): C's stores then outweigh the multiply-adds, and with C
     * out of cache (a weight gradient of 1000 × 3136 at batch 32: 12.5 MB) a tile's 24 store misses at once stall
     * the core (more than its line fill buffers); two 6-row halves do not (0.90 vs 1.03 ms). With C in cache, or
     * k = 48 and more, whole tiles are faster.
     */
    private static boolean storeBound(int m, int n, int kc) {
        return kc < SHORT_DEPTH && (long) m * n > CACHED_C;
    }

    /**
     * Rows [0, 6) of a 12-row panel starting at {@code ao} (pass ao + 6 for the others) times the B panel: half
     * of a tile, for the products {@link #storeBound} picks.
     */
    private static void kernelHalf(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co,
                                   int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        int end = ao + kc * MR;
        if (end - MR + 6 > ap.length || bo + (kc - 1) * ldb + NR > bp.length) {
            throw new IndexOutOfBoundsException("GEMM kernel: packed panels out of range (A " + ao + ".." + end + " of "
                    + ap.length + ", B " + bo + " + " + kc + " rows of " + ldb + " of " + bp.length + ")");
        }
        for (; ao < end; ao += MR, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + VL)).intoArray(c, co + VL);
            c10.add(FloatVector.fromArray(S, c, o1)).intoArray(c, o1);
            c11.add(FloatVector.fromArray(S, c, o1 + VL)).intoArray(c, o1 + VL);
            c20.add(FloatVector.fromArray(S, c, o2)).intoArray(c, o2);
            c21.add(FloatVector.fromArray(S, c, o2 + VL)).intoArray(c, o2 + VL);
            c30.add(FloatVector.fromArray(S, c, o3)).intoArray(c, o3);
            c31.add(FloatVector.fromArray(S, c, o3 + VL)).intoArray(c, o3 + VL);
            c40.add(FloatVector.fromArray(S, c, o4)).intoArray(c, o4);
            c41.add(FloatVector.fromArray(S, c, o4 + VL)).intoArray(c, o4 + VL);
            c50.add(FloatVector.fromArray(S, c, o5)).intoArray(c, o5);
            c51.add(FloatVector.fromArray(S, c, o5 + VL)).intoArray(c, o5 + VL);
            return;
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + VL);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + VL);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + VL);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + VL);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + VL);
    }

    /**
     * Six rows of a row panel ({@link #ROW_PANELS}; rows 0–5 from {@code ao}, pass ao + 6·KC for the others) times
     * the B panel: 12 accumulators, two loads of B and six broadcasts a step, with AVX2's 16 registers. (The same
     * loop as {@link #kernelHalf} but for where A's rows lie. Folding the two, AVX-512's store-bound products packed
     * in row panels too, ran a 1000 × 3136 weight gradient at batch 32 15% slower: 1.17 against 1.02 ms, medians
     * of 37 alternations.)
     */
    private static void kernelRows(int kc, float[] ap, int ao, float[] bp, int bo, int ldb, float[] c, int co,
                                   int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        int end = ao + kc;
        if (ao < 0 || end + (MR / 2 - 1) * KC > ap.length || bo + (kc - 1) * ldb + NR > bp.length) {
            throw new IndexOutOfBoundsException("GEMM kernel: packed row panel out of range (A " + ao + ".." + end
                    + " + 5 rows of " + KC + " of " + ap.length + ", B " + bo + " + " + kc + " rows of " + ldb
                    + " of " + bp.length + ")");
        }
        for (; ao < end; ao++, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + KC]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2 * KC]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3 * KC]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4 * KC]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5 * KC]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + VL)).intoArray(c, co + VL);
            c10.add(FloatVector.fromArray(S, c, o1)).intoArray(c, o1);
            c11.add(FloatVector.fromArray(S, c, o1 + VL)).intoArray(c, o1 + VL);
            c20.add(FloatVector.fromArray(S, c, o2)).intoArray(c, o2);
            c21.add(FloatVector.fromArray(S, c, o2 + VL)).intoArray(c, o2 + VL);
            c30.add(FloatVector.fromArray(S, c, o3)).intoArray(c, o3);
            c31.add(FloatVector.fromArray(S, c, o3 + VL)).intoArray(c, o3 + VL);
            c40.add(FloatVector.fromArray(S, c, o4)).intoArray(c, o4);
            c41.add(FloatVector.fromArray(S, c, o4 + VL)).intoArray(c, o4 + VL);
            c50.add(FloatVector.fromArray(S, c, o5)).intoArray(c, o5);
            c51.add(FloatVector.fromArray(S, c, o5 + VL)).intoArray(c, o5 + VL);
            return;
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + VL);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + VL);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + VL);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + VL);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + VL);
    }

    /** C[co..] (+)= the rows × cols corner of a tile computed into {@code tile} (rows NR apart). */
    static void storeTile(float[] tile, float[] c, int co, int ldc, boolean add, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = co + r * ldc, t = r * NR;
            if (add && cols == NR) {
                // a whole row, as for every tile added to C: two vectors
                FloatVector.fromArray(S, tile, t).add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                FloatVector.fromArray(S, tile, t + VL).add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            } else if (add) {
                for (int j = 0; j < cols; j++) {
                    c[o + j] += tile[t + j];
                }
            } else {
                System.arraycopy(tile, t, c, o, cols);
            }
        }
    }
}
