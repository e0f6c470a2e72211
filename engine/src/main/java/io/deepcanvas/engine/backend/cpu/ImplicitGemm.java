package io.deepcanvas.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A matrix multiply whose left operand is never built: C[r][j] (+)= Σ_k src[rowBase[r] + kOff[k]] · B[k][j].
 *
 * <p>For a stride-1 convolution this is im2col's matrix read in place from a padded image: in the forward pass the
 * rows are output positions and k runs over (input channel, tap) pairs; in the weight gradient the rows are the
 * (input channel, tap) pairs and k runs over output positions. Either way the address is a row's base plus a
 * k's offset, so two small int tables replace a matrix 25× the size of the image, and nothing is packed on the
 * left. The columns j are channels (output channels, or input channels for the input gradient): wide layers have
 * 32 or more, so a 6-row × 2- or 4-vector register tile (or 12 × 2 for two images at once, {@link #multiplyPair};
 * 14 × 2 where 14 rows read consecutive addresses, {@link #kernelRun}; 5 × 2 or 5 × 4 for the five taps along a
 * row of a 5-wide kernel, {@link #kernelRun5}) fills every lane, with no thrown-away columns or tail taps. Rows may
 * each need only a stretch of k ({@link #multiplyRanges}: output rows whose kernel rows reach into the padding).
 *
 * <p>B is packed like {@link Gemm}'s B, in column panels NR = 2 vectors wide: {@code bp[(jp·K + k)·NR + col]},
 * columns past n zero. k is cut into blocks of KC so a block of one panel stays in L1 while every row passes —
 * except for the 14-row run tiles ({@link #kernelRun}), which take all of k in one call and store C once.
 */
final class ImplicitGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int MR = 6;
    static final int NR = 2 * VL;
    /** The species' vector class, a constant to C2 (see {@link #exact}). */
    private static final Class<? extends Vector<Float>> EXACT = S.vectorType();
    /** Steps of k per block: a KC × NR block of B is 16 KB with AVX-512 (two of them for the wide tile). */
    private static final int KC = 128;

    private ImplicitGemm() {
    }

    /** Rows rounded up to whole MR-row tiles: the length a row table needs. */
    static int paddedRows(int rows) {
        return (rows + MR - 1) / MR * MR;
    }

    /** Columns rounded up to whole panels: the row length of C and of B's packing. */
    static int paddedCols(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /**
     * Packs B[k][j] = src[srcOff + j·ld + k] for k in [0, count) into rows [kAt, kAt + count) of the panels of a
     * K-row packing: B is stored transposed (one row of src per column j), as weights [out][in] and gradients
     * [channel][pixel] are. Columns past n are zero.
     */
    static void packTransposed(float[] src, int srcOff, int ld, int count, int n, float[] bp, int kAt, int kTotal) {
        packTransposed(src, srcOff, ld, count, n, bp, kAt, kTotal, 0, (n + NR - 1) / NR);
    }

    /**
     * {@link #packTransposed} for column panels [jp0, jp1) only (a thread's share). Also {@link Gemm}'s packing of
     * a transposed B (a Linear layer's weights), whose panels are the same NR = 2 vectors wide.
     */
    static void packTransposed(float[] src, int srcOff, int ld, int count, int n, float[] bp, int kAt, int kTotal,
                               int jp0, int jp1) {
        // gather offsets of VL consecutive columns (rows of src), for full panels (null when they overflow an int)
        int[] columnsAt = null;
        if ((long) (NR - 1) * ld < Integer.MAX_VALUE / 2) {
            columnsAt = new int[VL];
            for (int lane = 0; lane < VL; lane++) {
                columnsAt[lane] = lane * ld;
            }
        }
        for (int jp = jp0; jp < jp1; jp++) {
            int j0 = jp * NR, cols = Math.min(NR, n - j0);
            int base = (jp * kTotal + kAt) * NR;
            if (cols == NR && columnsAt != null) {
                // a full panel: each step of k is two gathers of VL columns (AVX-512 vgatherdps), written
                // contiguously (a scalar transpose took a quarter of the ConvNet's first layer's weight gradient)
                int s = srcOff + j0 * ld, half = VL * ld;
                for (int p = 0, d = base; p < count; p++, d += NR) {
                    FloatVector.fromArray(S, src, s + p, columnsAt, 0).intoArray(bp, d);
                    FloatVector.fromArray(S, src, s + half + p, columnsAt, 0).intoArray(bp, d + VL);
                }
                continue;
            }
            // blocks of 16 steps keep both the NR read streams and the writes cache friendly
            for (int p0 = 0; p0 < count; p0 += 16) {
                int p1 = Math.min(count, p0 + 16);
                for (int cc = 0; cc < cols; cc++) {
                    int s = srcOff + (j0 + cc) * ld;
                    for (int p = p0, d = base + p0 * NR + cc; p < p1; p++, d += NR) {
                        bp[d] = src[s + p];
                    }
                }
                for (int cc = cols; cc < NR; cc++) {
                    for (int p = p0, d = base + p0 * NR + cc; p < p1; p++, d += NR) {
                        bp[d] = 0f;
                    }
                }
            }
        }
    }

    /**
     * C[r·ldc + j] (+)= Σ_k src[rowBase[r] + kOff[k]] · B[k][j] for rows [0, rows) and columns [0, n), with
     * {@code ldc >= paddedCols(n)}. {@code rowBase} holds paddedRows(rows) entries (the extra ones any valid
     * base: their results are thrown away); {@code kOff} holds kTotal entries and bp kTotal rows per panel.
     */
    static void multiply(float[] src, int[] rowBase, int rows, int[] kOff, int kTotal, float[] bp, int n,
                         float[] c, int ldc, boolean accumulate) {
        multiply(src, rowBase, 0, rows, kOff, kTotal, bp, n, c, ldc, accumulate);
    }

    /**
     * {@link #multiply}, C set, where row r needs only steps [kFrom[r], kTo[r]) of k: the others read zeros (taps
     * in the padding of a convolution's input). Each tile runs over the union of its rows' ranges. Both tables hold
     * paddedRows(rows) entries, each range non-empty.
     */
    static void multiplyRanges(float[] src, int[] rowBase, int rows, int[] kOff, int kTotal, int[] kFrom, int[] kTo,
                               float[] bp, int n, float[] c, int ldc) {
        if (kFrom.length < paddedRows(rows) || kTo.length < paddedRows(rows)) {
            throw new IllegalArgumentException("implicit GEMM: range tables of " + kFrom.length + " and "
                    + kTo.length + " entries for " + rows + " rows; each needs paddedRows(rows) = " + paddedRows(rows));
        }
        multiply(src, rowBase, 0, rows, kOff, kTotal, bp, n, c, 0, ldc, false, kFrom, kTo);
    }

    /** {@link #multiply} for rows [r0, rows) only (r0 a multiple of MR): a thread's share. */
    static void multiply(float[] src, int[] rowBase, int r0, int rows, int[] kOff, int kTotal, float[] bp, int n,
                         float[] c, int ldc, boolean accumulate) {
        multiply(src, rowBase, r0, rows, kOff, kTotal, bp, n, c, 0, ldc, accumulate, null, null);
    }

    /** As above, C starting at {@code cOff}, each row's range of k from kFrom and kTo (null: all of k). */
    private static void multiply(float[] src, int[] rowBase, int r0, int rows, int[] kOff, int kTotal, float[] bp,
                                 int n, float[] c, int cOff, int ldc, boolean accumulate, int[] kFrom, int[] kTo) {
        checkSizes(rowBase, rows, kOff, kTotal, bp, n, c, cOff, ldc);
        float[] tile = Scratch.get(Scratch.TILE, MR * NR);
        int panels = paddedCols(n) / NR;
        // run tiles take all of k in one call and store C once (see kernelRun): only where C is not added to. With
        // 16 vector registers (AVX2) only 6×2 tiles fit: packed tiles over 3+ whole panels (multiplyPacked), else
        // 6-row runs (kernelRun6); no wide or paired tiles
        boolean runs = !accumulate;
        int packedPanels = 0;
        if (runs && VectorRegisters.FEW && n / NR >= MIN_PACKED_PANELS) {
            packedPanels = n / NR;
            multiplyPacked(src, rowBase, r0, rows, kOff, kTotal, bp, packedPanels, c, cOff, ldc, kFrom, kTo, tile);
        }
        for (int k0 = 0; k0 < kTotal; k0 += KC) {
            int kc = Math.min(KC, kTotal - k0);
            int jp = packedPanels;
            // pairs of full panels: 6×4-vector tiles (measured ~10% faster than two 6×2 passes at 64 channels)
            for (; !VectorRegisters.FEW && (jp + 2) * NR <= n; jp += 2) {
                int p1 = jp * kTotal, p2 = (jp + 1) * kTotal;
                int r = r0;
                while (r < rows) {
                    int co = cOff + r * ldc + jp * NR;
                    if (runs && isRun(rowBase, r, rows, RUN)) {
                        if (k0 == 0) {
                            int from = from(kFrom, r, RUN), to = to(kTo, r, RUN, kTotal);
                            kernelRun(src, rowBase[r], kOff, from, to, bp, (p1 + from) * NR, c, co, ldc);
                            kernelRun(src, rowBase[r], kOff, from, to, bp, (p2 + from) * NR, c, co + NR, ldc);
                        }
                        r += RUN;
                        continue;
                    }
                    if (accumulate && isRun(rowBase, r, rows, RUN5)) {
                        // a weight gradient (it adds to C): no row ranges here
                        kernelRun5Wide(src, rowBase[r], kOff, k0, kc, bp, (p1 + k0) * NR, (p2 + k0) * NR, c, co,
                                ldc);
                        r += RUN5;
                        continue;
                    }
                    int count = Math.min(MR, rows - r);
                    int from = from(kFrom, r, count), a = Math.max(k0, from);
                    int b = Math.min(k0 + kc, to(kTo, r, count, kTotal));
                    boolean adds = accumulate || a > from;
                    if (a >= b) {
                        r += MR;
                    } else if (count == MR) {
                        kernelWide(src, rowBase, r, kOff, a, b - a, bp, (p1 + a) * NR, (p2 + a) * NR, c, co, ldc,
                                adds);
                        r += MR;
                    } else {
                        int[] bases = tileBases(rowBase, r);
                        int at = bases == rowBase ? r : 0;
                        kernel(src, bases, at, kOff, a, b - a, bp, (p1 + a) * NR, c, co, ldc, adds, count, NR, tile);
                        kernel(src, bases, at, kOff, a, b - a, bp, (p2 + a) * NR, c, co + NR, ldc, adds, count, NR,
                                tile);
                        r = rows;
                    }
                }
            }
            // a last single or partial panel
            for (; jp < panels; jp++) {
                int p1 = jp * kTotal, bo = (p1 + k0) * NR, cols = Math.min(NR, n - jp * NR);
                for (int r = r0; r < rows; ) {
                    int co = cOff + r * ldc + jp * NR;
                    if (runs && cols == NR && VectorRegisters.FEW && isRun(rowBase, r, rows, MR)) {
                        if (k0 == 0) {
                            int from = from(kFrom, r, MR), to = to(kTo, r, MR, kTotal);
                            kernelRun6(src, rowBase[r], kOff, from, to, bp, (p1 + from) * NR, c, co, ldc);
                        }
                        r += MR;
                    } else if (runs && cols == NR && !VectorRegisters.FEW && isRun(rowBase, r, rows, RUN)) {
                        if (k0 == 0) {
                            int from = from(kFrom, r, RUN), to = to(kTo, r, RUN, kTotal);
                            kernelRun(src, rowBase[r], kOff, from, to, bp, (p1 + from) * NR, c, co, ldc);
                        }
                        r += RUN;
                    } else if (accumulate && cols == NR && VectorRegisters.FEW && isRun(rowBase, r, rows, RUN5)) {
                        // a weight gradient (it adds to C): no row ranges here
                        kernelRun5(src, rowBase[r], kOff, k0, kc, bp, bo, c, co, ldc);
                        r += RUN5;
                    } else {
                        int count = Math.min(MR, rows - r);
                        int from = from(kFrom, r, count), a = Math.max(k0, from);
                        int b = Math.min(k0 + kc, to(kTo, r, count, kTotal));
                        if (a < b) {
                            int[] bases = tileBases(rowBase, r);
                            kernel(src, bases, bases == rowBase ? r : 0, kOff, a, b - a, bp, (p1 + a) * NR, c, co,
                                    ldc, accumulate || a > from, count, cols, tile);
                        }
                        r += MR;
                    }
                }
            }
        }
    }

    /** Fewest whole panels of B for which {@link #multiplyPacked} is used. */
    private static final int MIN_PACKED_PANELS = 3;

    /**
     * Whole panels [0, panels) of C with 16 vector registers (AVX2), C set: each 6-row tile's stretch of k is copied
     * once into a packed panel ({@link #packRows}) that all the panels of B then multiply like a GEMM tile
     * ({@link #kernelPacked}: a pointer walk, no table lookups or per-row range checks). Straddling tiles — a
     * 14-wide output row is 6 + 6 + 2, and the 2 go with the next row's first 4 — ran at ~67 GFLOP/s through
     * {@link #kernel}'s six row bases, 40% of the ConvNet's second layer's forward time; packed they run as fast as
     * the runs, and the runs faster than {@link #kernelRun6}'s lookup per step. The copy pays off over several
     * panels: used from {@link #MIN_PACKED_PANELS} (measured: 4 panels, the ConvNet's forward, 3.6 → 3.3 ms; 2, its
     * input gradient, no change; 1, LeNet-5's second layer, inference 110,000 → 72,000–97,000 images/s).
     */
    private static void multiplyPacked(float[] src, int[] rowBase, int r0, int rows, int[] kOff, int kTotal,
                                       float[] bp, int panels, float[] c, int cOff, int ldc, int[] kFrom,
                                       int[] kTo, float[] tile) {
        float[] ap = Scratch.get(Scratch.PACK_ROWS, MR * kTotal + 2 * VL);
        int maxOff = 0;
        for (int k = 0; k < kTotal; k++) {
            maxOff = Math.max(maxOff, kOff[k]);
        }
        for (int r = r0; r < rows; r += MR) {
            int count = Math.min(MR, rows - r);
            // an empty stretch (from ≥ to) packs nothing and stores zeros, as kernelRun6 does
            int from = from(kFrom, r, count), to = to(kTo, r, count, kTotal);
            packRows(src, rowBase, r, kOff, from, to, maxOff, ap);
            for (int jp = 0; jp < panels; jp++) {
                int co = cOff + r * ldc + jp * NR, bo = (jp * kTotal + from) * NR;
                if (count == MR) {
                    kernelPacked(to - from, ap, bp, bo, c, co, ldc);
                } else {
                    kernelPacked(to - from, ap, bp, bo, tile, 0, NR);
                    Gemm.storeTile(tile, c, co, ldc, false, count, NR);
                }
            }
        }
    }

    /**
     * Copies steps [from, to) of rows [r, r + MR) into {@code ap[(k - from)·MR + i]}. The rows' addresses are one
     * run (consecutive output positions) or two (a tile that straddles output rows): one or two vector copies a
     * step, each storing a whole vector whose lanes past the tile land in the next step's slot, which that step
     * overwrites ({@code ap} has a vector's slack at the end). Other tiles, and any that would read past the
     * source, are copied a value at a time.
     */
    private static void packRows(float[] src, int[] rowBase, int r, int[] kOff, int from, int to, int maxOff,
                                 float[] ap) {
        int b0 = rowBase[r], split = 1;
        while (split < MR && rowBase[r + split] == b0 + split) {
            split++;
        }
        int bs = split < MR ? rowBase[r + split] : b0;
        boolean two = true;
        for (int i = split + 1; i < MR; i++) {
            two &= rowBase[r + i] == bs + i - split;
        }
        boolean inside = b0 >= 0 && bs >= 0 && Math.max(b0, bs) + maxOff + VL <= src.length;
        if (split == MR && inside) {
            for (int k = from, d = 0; k < to; k++, d += MR) {
                FloatVector.fromArray(S, src, b0 + kOff[k]).intoArray(ap, d);
            }
        } else if (two && inside) {
            for (int k = from, d = 0; k < to; k++, d += MR) {
                int o = kOff[k];
                FloatVector.fromArray(S, src, b0 + o).intoArray(ap, d);
                FloatVector.fromArray(S, src, bs + o).intoArray(ap, d + split);
            }
        } else {
            for (int k = from, d = 0; k < to; k++, d += MR) {
                int o = kOff[k];
                for (int i = 0; i < MR; i++) {
                    ap[d + i] = src[rowBase[r + i] + o];
                }
            }
        }
    }

    /**
     * A packed 6-row panel ({@link #packRows}) times one panel of B over {@code len} steps: 6 × 2 vectors, 12
     * accumulators, C set. The loop walks the packed panel by pointer, as {@link Gemm}'s kernel does.
     */
    private static void kernelPacked(int len, float[] ap, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a;
        FloatVector c1a = c0a, c1b = c0a;
        FloatVector c2a = c0a, c2b = c0a;
        FloatVector c3a = c0a, c3b = c0a;
        FloatVector c4a = c0a, c4b = c0a;
        FloatVector c5a = c0a, c5b = c0a;
        int end = len * MR;
        if (end > ap.length || bo + len * NR > bp.length) {
            throw new IndexOutOfBoundsException("implicit GEMM: packed panels out of range (A " + end + " of "
                    + ap.length + ", B " + bo + " + " + len + " rows of " + bp.length + ")");
        }
        for (int a = 0; a < end; a += MR, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, ap[a + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, ap[a + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, ap[a + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, ap[a + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
        }
        exact(c0a).intoArray(c, co);
        exact(c0b).intoArray(c, co + VL);
        exact(c1a).intoArray(c, co + ldc);
        exact(c1b).intoArray(c, co + ldc + VL);
        exact(c2a).intoArray(c, co + 2 * ldc);
        exact(c2b).intoArray(c, co + 2 * ldc + VL);
        exact(c3a).intoArray(c, co + 3 * ldc);
        exact(c3b).intoArray(c, co + 3 * ldc + VL);
        exact(c4a).intoArray(c, co + 4 * ldc);
        exact(c4b).intoArray(c, co + 4 * ldc + VL);
        exact(c5a).intoArray(c, co + 5 * ldc);
        exact(c5b).intoArray(c, co + 5 * ldc + VL);
    }

    /**
     * v with its exact class known to C2 at parse time. Every vector reaches the parser as a plain FloatVector (the
     * Vector API's calls are intrinsified later), so {@code intoArray} finds its species through the receiver's
     * type profile; in some JVM runs (3 of 8, 1 of 16 in two trials of {@link #kernelRun}) that left the species a
     * loaded value ("missing constant" under -XX:+PrintIntrinsics), the stores failed to intrinsify, every vector
     * of the kernel was boxed, and the ConvNet's second layer ran 20× slower for the rest of the process. A cast to
     * the constant class makes the species a constant whatever the profile says (no such compile of kernelRun in
     * 50 runs since).
     */
    private static FloatVector exact(FloatVector v) {
        return (FloatVector) EXACT.cast(v);
    }

    /** The first step of k that rows [r, r + count) need: the least of their kFrom (0 without a table). */
    private static int from(int[] kFrom, int r, int count) {
        if (kFrom == null) {
            return 0;
        }
        int f = kFrom[r];
        for (int i = 1; i < count; i++) {
            f = Math.min(f, kFrom[r + i]);
        }
        return f;
    }

    /** One past the last step of k that rows [r, r + count) need: the most of their kTo (kTotal without a table). */
    private static int to(int[] kTo, int r, int count, int kTotal) {
        if (kTo == null) {
            return kTotal;
        }
        int t = kTo[r];
        for (int i = 1; i < count; i++) {
            t = Math.max(t, kTo[r + i]);
        }
        return t;
    }

    /** Rows per run tile ({@link #kernelRun}): 14 rows × 2 vectors is 28 accumulators, the most that fit. */
    static final int RUN = 14;

    /** Whether rows [r, r + length) lie within [.., rows) and read consecutive addresses: a run tile. */
    private static boolean isRun(int[] rowBase, int r, int rows, int length) {
        if (r + length > rows) {
            return false;
        }
        int b = rowBase[r];
        for (int i = 1; i < length; i++) {
            if (rowBase[r + i] != b + i) {
                return false;
            }
        }
        return true;
    }

    /**
     * The row table for an MR-row tile at r: rowBase itself when it holds MR entries from r; after a run, where r
     * need not be a multiple of MR, the rows left padded with the first one (their results are thrown away).
     */
    private static int[] tileBases(int[] rowBase, int r) {
        if (r + MR <= rowBase.length) {
            return rowBase;
        }
        int[] bases = new int[MR];
        for (int i = 0; i < MR; i++) {
            bases[i] = rowBase[Math.min(r + i, rowBase.length - 1)];
        }
        return bases;
    }

    /**
     * {@link #multiply} (rows [0, rows), no accumulation) for two operands at once: the second lies {@code srcPair}
     * further in src (the same row and k offsets: the next image of a batch) and its product goes {@code cPair}
     * further in c. A layer with one panel of columns (32 channels) then runs 12-row tiles, six rows of each
     * operand, where one operand alone would give 6-row tiles: twice the multiply-adds per load of B. (The ConvNet's
     * second layer, whose input gradient has 32 channels: backward 5.9 → 5.7 ms at batch 32, in alternation.)
     */
    static void multiplyPair(float[] src, int srcPair, int[] rowBase, int rows, int[] kOff, int kTotal, float[] bp,
                             int n, float[] c, int cPair, int ldc) {
        checkSizes(rowBase, rows, kOff, kTotal, bp, n, c, cPair, ldc);
        if (VectorRegisters.FEW) {
            // the 12×2 pair tile would spill with 16 registers: the two products one after the other
            multiply(src, rowBase, rows, kOff, kTotal, bp, n, c, ldc, false);
            int[] shifted = new int[rowBase.length];
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] = rowBase[i] + srcPair;
            }
            multiply(src, shifted, 0, rows, kOff, kTotal, bp, n, c, cPair, ldc, false, null, null);
            return;
        }
        float[] tile = Scratch.get(Scratch.TILE, MR * NR);
        int panels = paddedCols(n) / NR;
        for (int k0 = 0; k0 < kTotal; k0 += KC) {
            int kc = Math.min(KC, kTotal - k0);
            boolean add = k0 > 0;
            for (int jp = 0; jp < panels; jp++) {
                int bo = (jp * kTotal + k0) * NR, cols = Math.min(NR, n - jp * NR);
                for (int r = 0; r < rows; ) {
                    int co = r * ldc + jp * NR, rs = Math.min(MR, rows - r);
                    if (cols == NR && isRun(rowBase, r, rows, RUN)) {
                        if (k0 == 0) {
                            kernelRun(src, rowBase[r], kOff, 0, kTotal, bp, bo, c, co, ldc);
                            kernelRun(src, rowBase[r] + srcPair, kOff, 0, kTotal, bp, bo, c, co + cPair, ldc);
                        }
                        r += RUN;
                        continue;
                    }
                    int[] bases = tileBases(rowBase, r);
                    int at = bases == rowBase ? r : 0;
                    if (rs == MR && cols == NR) {
                        kernelPair(src, srcPair, bases, at, kOff, k0, kc, bp, bo, c, co, co + cPair, ldc, add);
                    } else {
                        kernel(src, bases, at, kOff, k0, kc, bp, bo, c, co, ldc, add, rs, cols, tile);
                        kernelPair2nd(src, srcPair, bases, at, kOff, k0, kc, bp, bo, c, co + cPair, ldc, add, rs,
                                cols, tile);
                    }
                    r += MR;
                }
            }
        }
    }

    /** The second operand's part of an edge tile of {@link #multiplyPair}: its rows' bases shifted by srcPair. */
    private static void kernelPair2nd(float[] src, int srcPair, int[] rowBase, int r, int[] kOff, int k0, int kc,
                                      float[] bp, int bo, float[] c, int co, int ldc, boolean add, int rows, int cols,
                                      float[] tile) {
        int[] shifted = new int[MR];
        for (int i = 0; i < MR; i++) {
            shifted[i] = rowBase[r + i] + srcPair;
        }
        kernel(src, shifted, 0, kOff, k0, kc, bp, bo, c, co, ldc, add, rows, cols, tile);
    }

    /** The tables and buffers cover rows × n × kTotal, C from {@code cFrom} (a pair's second product) on. */
    private static void checkSizes(int[] rowBase, int rows, int[] kOff, int kTotal, float[] bp, int n, float[] c,
                                   int cFrom, int ldc) {
        if (rowBase.length < paddedRows(rows) || kOff.length < kTotal || ldc < paddedCols(n)
                || bp.length < (long) paddedCols(n) * kTotal || c.length < (long) cFrom + (long) rows * ldc) {
            throw new IllegalArgumentException("implicit GEMM: tables or buffers too small for " + rows + " rows, "
                    + n + " columns, " + kTotal + " steps" + (cFrom == 0 ? "" : ", second product at " + cFrom));
        }
    }

    /**
     * C[m,n] (+)= A[m,k] · B[n,k]ᵀ for a small m (a batch of up to 2 panels) and a big B (a Linear layer's
     * weights [out, in]): computed as Cᵀ = B · Aᵀ with B's rows read in place as the rows of the product. The
     * weights stream through once, unpacked (packing them, or the dot products of {@link Dot}, took 1.5× as long at
     * batch 32), while the packed batch stays in L1. Cᵀ is written to scratch and transposed into C.
     */
    static void smallTimesTransposed(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
                                     int cOff, boolean accumulate, boolean parallel) {
        int ldt = paddedCols(m);
        float[] ap = Scratch.get(Scratch.IMPLICIT_B, ldt * k);
        packTransposed(a, aOff, k, k, m, ap, 0, k);
        int[] rowBase = new int[paddedRows(n)];
        for (int j = 0; j < n; j++) {
            rowBase[j] = bOff + j * k;
        }
        java.util.Arrays.fill(rowBase, n, rowBase.length, bOff);
        int[] kOff = identity(k);
        float[] ct = Scratch.get(Scratch.IMPLICIT_C, n * ldt);
        int blocks = rowBase.length / MR;
        long work = 2L * m * n * k;
        if (parallel) {
            Parallel.forRange(blocks, work, (from, to) -> multiply(b, rowBase, from * MR, Math.min(n, to * MR), kOff,
                    k, ap, m, ct, ldt, false));
        } else {
            multiply(b, rowBase, 0, n, kOff, k, ap, m, ct, ldt, false);
        }
        Parallel.RangeBody transpose = (from, to) -> {
            for (int i = from; i < to; i++) {
                int o = cOff + i * n;
                for (int j = 0; j < n; j++) {
                    float v = ct[j * ldt + i];
                    c[o + j] = accumulate ? c[o + j] + v : v;
                }
            }
        };
        if (parallel) {
            // a strided read per element: weighed as 4 units of work, so a batch of 32 × 1000 outputs is split
            Parallel.forRange(m, 4L * m * n, transpose);
        } else {
            transpose.run(0, m);
        }
    }

    /** 0, 1, 2, ...: the k offsets of a row read contiguously; shared, grown on demand, never written after. */
    private static volatile int[] identity = new int[0];

    private static int[] identity(int k) {
        int[] id = identity;
        if (id.length < k) {
            id = new int[Math.max(k, id.length * 2)];
            for (int p = 0; p < id.length; p++) {
                id[p] = p;
            }
            identity = id;
        }
        return id;
    }

    /**
     * A 14-row × 2-vector tile (28 accumulators) over all of k, whose rows read consecutive addresses, base + i: 14
     * positions of one output row in the forward pass, of one input row in the input gradient. One table lookup and
     * one range check per step serve all 14 broadcasts, where the 6-row tiles look up and check each row's base;
     * the spare registers and port slots hold the extra rows. B streams from L2 (its panel is not cut into KC
     * blocks): C is stored once, never loaded, so the method has one store path and no loads of C. The ConvNet's
     * 32→64 layer (batch 32, 2 threads): forward 2.57 → 2.0 ms, input gradient 2.73 → 2.0 ms. Its stores go through
     * {@link #exact}, as kernelRun6's, kernelRun5's and kernelWide's do (not kernelRun5Wide's: see there).
     */
    private static void kernelRun(float[] src, int base, int[] kOff, int k0, int k1, float[] bp, int bo, float[] c,
                                  int co, int ldc) {
        // one zero() shared (see kernelWide)
        FloatVector c0a = FloatVector.zero(S), c0b = c0a;
        FloatVector c1a = c0a, c1b = c0a;
        FloatVector c2a = c0a, c2b = c0a;
        FloatVector c3a = c0a, c3b = c0a;
        FloatVector c4a = c0a, c4b = c0a;
        FloatVector c5a = c0a, c5b = c0a;
        FloatVector c6a = c0a, c6b = c0a;
        FloatVector c7a = c0a, c7b = c0a;
        FloatVector c8a = c0a, c8b = c0a;
        FloatVector c9a = c0a, c9b = c0a;
        FloatVector c10a = c0a, c10b = c0a;
        FloatVector c11a = c0a, c11b = c0a;
        FloatVector c12a = c0a, c12b = c0a;
        FloatVector c13a = c0a, c13b = c0a;
        for (int k = k0; k < k1; k++, bo += NR) {
            int o = base + kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x0 = FloatVector.broadcast(S, src[o]);
            c0a = x0.fma(b0, c0a);
            c0b = x0.fma(b1, c0b);
            FloatVector x1 = FloatVector.broadcast(S, src[o + 1]);
            c1a = x1.fma(b0, c1a);
            c1b = x1.fma(b1, c1b);
            FloatVector x2 = FloatVector.broadcast(S, src[o + 2]);
            c2a = x2.fma(b0, c2a);
            c2b = x2.fma(b1, c2b);
            FloatVector x3 = FloatVector.broadcast(S, src[o + 3]);
            c3a = x3.fma(b0, c3a);
            c3b = x3.fma(b1, c3b);
            FloatVector x4 = FloatVector.broadcast(S, src[o + 4]);
            c4a = x4.fma(b0, c4a);
            c4b = x4.fma(b1, c4b);
            FloatVector x5 = FloatVector.broadcast(S, src[o + 5]);
            c5a = x5.fma(b0, c5a);
            c5b = x5.fma(b1, c5b);
            FloatVector x6 = FloatVector.broadcast(S, src[o + 6]);
            c6a = x6.fma(b0, c6a);
            c6b = x6.fma(b1, c6b);
            FloatVector x7 = FloatVector.broadcast(S, src[o + 7]);
            c7a = x7.fma(b0, c7a);
            c7b = x7.fma(b1, c7b);
            FloatVector x8 = FloatVector.broadcast(S, src[o + 8]);
            c8a = x8.fma(b0, c8a);
            c8b = x8.fma(b1, c8b);
            FloatVector x9 = FloatVector.broadcast(S, src[o + 9]);
            c9a = x9.fma(b0, c9a);
            c9b = x9.fma(b1, c9b);
            FloatVector x10 = FloatVector.broadcast(S, src[o + 10]);
            c10a = x10.fma(b0, c10a);
            c10b = x10.fma(b1, c10b);
            FloatVector x11 = FloatVector.broadcast(S, src[o + 11]);
            c11a = x11.fma(b0, c11a);
            c11b = x11.fma(b1, c11b);
            FloatVector x12 = FloatVector.broadcast(S, src[o + 12]);
            c12a = x12.fma(b0, c12a);
            c12b = x12.fma(b1, c12b);
            FloatVector x13 = FloatVector.broadcast(S, src[o + 13]);
            c13a = x13.fma(b0, c13a);
            c13b = x13.fma(b1, c13b);
        }
        exact(c0a).intoArray(c, co);
        exact(c0b).intoArray(c, co + VL);
        exact(c1a).intoArray(c, co + 1 * ldc);
        exact(c1b).intoArray(c, co + 1 * ldc + VL);
        exact(c2a).intoArray(c, co + 2 * ldc);
        exact(c2b).intoArray(c, co + 2 * ldc + VL);
        exact(c3a).intoArray(c, co + 3 * ldc);
        exact(c3b).intoArray(c, co + 3 * ldc + VL);
        exact(c4a).intoArray(c, co + 4 * ldc);
        exact(c4b).intoArray(c, co + 4 * ldc + VL);
        exact(c5a).intoArray(c, co + 5 * ldc);
        exact(c5b).intoArray(c, co + 5 * ldc + VL);
        exact(c6a).intoArray(c, co + 6 * ldc);
        exact(c6b).intoArray(c, co + 6 * ldc + VL);
        exact(c7a).intoArray(c, co + 7 * ldc);
        exact(c7b).intoArray(c, co + 7 * ldc + VL);
        exact(c8a).intoArray(c, co + 8 * ldc);
        exact(c8b).intoArray(c, co + 8 * ldc + VL);
        exact(c9a).intoArray(c, co + 9 * ldc);
        exact(c9b).intoArray(c, co + 9 * ldc + VL);
        exact(c10a).intoArray(c, co + 10 * ldc);
        exact(c10b).intoArray(c, co + 10 * ldc + VL);
        exact(c11a).intoArray(c, co + 11 * ldc);
        exact(c11b).intoArray(c, co + 11 * ldc + VL);
        exact(c12a).intoArray(c, co + 12 * ldc);
        exact(c12b).intoArray(c, co + 12 * ldc + VL);
        exact(c13a).intoArray(c, co + 13 * ldc);
        exact(c13b).intoArray(c, co + 13 * ldc + VL);
    }

    /**
     * {@link #kernelRun} for 16 vector registers (AVX2): 6 consecutive rows × 2 vectors, 12 accumulators, over all
     * of k. The rows' addresses come from one table lookup per step instead of six, which the 6×2 {@link #kernel}
     * pays with its range checks (about 40% more time per tile, by JFR samples): with AVX2, the ConvNet's
     * inference at batch 1000 went from 3,720 to 4,030 images/s; its training moved within the machine's noise.
     */
    private static void kernelRun6(float[] src, int base, int[] kOff, int k0, int k1, float[] bp, int bo, float[] c,
                                   int co, int ldc) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a;
        FloatVector c1a = c0a, c1b = c0a;
        FloatVector c2a = c0a, c2b = c0a;
        FloatVector c3a = c0a, c3b = c0a;
        FloatVector c4a = c0a, c4b = c0a;
        FloatVector c5a = c0a, c5b = c0a;
        for (int k = k0; k < k1; k++, bo += NR) {
            int o = base + kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, src[o + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, src[o + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, src[o + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, src[o + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(S, src[o + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
        }
        exact(c0a).intoArray(c, co);
        exact(c0b).intoArray(c, co + VL);
        exact(c1a).intoArray(c, co + ldc);
        exact(c1b).intoArray(c, co + ldc + VL);
        exact(c2a).intoArray(c, co + 2 * ldc);
        exact(c2b).intoArray(c, co + 2 * ldc + VL);
        exact(c3a).intoArray(c, co + 3 * ldc);
        exact(c3b).intoArray(c, co + 3 * ldc + VL);
        exact(c4a).intoArray(c, co + 4 * ldc);
        exact(c4b).intoArray(c, co + 4 * ldc + VL);
        exact(c5a).intoArray(c, co + 5 * ldc);
        exact(c5b).intoArray(c, co + 5 * ldc + VL);
    }

    /** Rows per {@link #kernelRun5} tile: the taps along one row of a 5-wide kernel. */
    static final int RUN5 = 5;

    /**
     * 5 consecutive rows × 2 vectors over steps [k0, k0 + kc), added to C, for 16 vector registers (AVX2). A weight
     * gradient's rows are (input channel, tap) pairs, and the five taps along a row of a 5-wide kernel read
     * consecutive addresses, so one table lookup serves five rows and their range checks fold into one; the 6-row
     * {@link #kernel} straddles two such runs in every tile and pays a lookup and a check per row. The ConvNet's
     * second layer (32 × 5 runs of 5): weight gradient 4.5–4.7 → 3.7–3.9 ms at batch 32 (alternating runs).
     * It sums the same steps in the same order as {@link #kernel} with {@code add}: the same results, bit for bit.
     */
    private static void kernelRun5(float[] src, int base, int[] kOff, int k0, int kc, float[] bp, int bo,
                                   float[] c, int co, int ldc) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a;
        FloatVector c1a = c0a, c1b = c0a;
        FloatVector c2a = c0a, c2b = c0a;
        FloatVector c3a = c0a, c3b = c0a;
        FloatVector c4a = c0a, c4b = c0a;
        int end = k0 + kc;
        for (int k = k0; k < end; k++, bo += NR) {
            int o = base + kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(S, src[o + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(S, src[o + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(S, src[o + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(S, src[o + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
        }
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc;
        exact(c0a).add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
        exact(c0b).add(FloatVector.fromArray(S, c, co + VL)).intoArray(c, co + VL);
        exact(c1a).add(FloatVector.fromArray(S, c, o1)).intoArray(c, o1);
        exact(c1b).add(FloatVector.fromArray(S, c, o1 + VL)).intoArray(c, o1 + VL);
        exact(c2a).add(FloatVector.fromArray(S, c, o2)).intoArray(c, o2);
        exact(c2b).add(FloatVector.fromArray(S, c, o2 + VL)).intoArray(c, o2 + VL);
        exact(c3a).add(FloatVector.fromArray(S, c, o3)).intoArray(c, o3);
        exact(c3b).add(FloatVector.fromArray(S, c, o3 + VL)).intoArray(c, o3 + VL);
        exact(c4a).add(FloatVector.fromArray(S, c, o4)).intoArray(c, o4);
        exact(c4b).add(FloatVector.fromArray(S, c, o4 + VL)).intoArray(c, o4 + VL);
    }

    /**
     * {@link #kernelRun5} over two panels (5 rows × 4 vectors, 20 accumulators), for 32 vector registers: a weight
     * gradient with 64 or more channels, whose 6×4 {@link #kernelWide} tiles straddle the 5-tap runs.
     */
    private static void kernelRun5Wide(float[] src, int base, int[] kOff, int k0, int kc, float[] bp, int bo,
                                       int bo2, float[] c, int co, int ldc) {
        FloatVector c0a = FloatVector.zero(S), c0b = c0a, c0c = c0a, c0d = c0a;
        FloatVector c1a = c0a, c1b = c0a, c1c = c0a, c1d = c0a;
        FloatVector c2a = c0a, c2b = c0a, c2c = c0a, c2d = c0a;
        FloatVector c3a = c0a, c3b = c0a, c3c = c0a, c3d = c0a;
        FloatVector c4a = c0a, c4b = c0a, c4c = c0a, c4d = c0a;
        int end = k0 + kc;
        for (int k = k0; k < end; k++, bo += NR, bo2 += NR) {
            int o = base + kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo2);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo2 + VL);
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            c0c = x.fma(b2, c0c);
            c0d = x.fma(b3, c0d);
            x = FloatVector.broadcast(S, src[o + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            c1c = x.fma(b2, c1c);
            c1d = x.fma(b3, c1d);
            x = FloatVector.broadcast(S, src[o + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            c2c = x.fma(b2, c2c);
            c2d = x.fma(b3, c2d);
            x = FloatVector.broadcast(S, src[o + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            c3c = x.fma(b2, c3c);
            c3d = x.fma(b3, c3d);
            x = FloatVector.broadcast(S, src[o + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            c4c = x.fma(b2, c4c);
            c4d = x.fma(b3, c4d);
        }
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc;
        // no exact() casts here: with them the ConvNet's conv2 weight gradient took 2.9-4.4 ms against 2.4-3.2
        // (4 alternating runs); its one store path has not shown the boxed stores of kernelWide
        c0a.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
        c0b.add(FloatVector.fromArray(S, c, co + VL)).intoArray(c, co + VL);
        c0c.add(FloatVector.fromArray(S, c, co + NR)).intoArray(c, co + NR);
        c0d.add(FloatVector.fromArray(S, c, co + NR + VL)).intoArray(c, co + NR + VL);
        c1a.add(FloatVector.fromArray(S, c, o1)).intoArray(c, o1);
        c1b.add(FloatVector.fromArray(S, c, o1 + VL)).intoArray(c, o1 + VL);
        c1c.add(FloatVector.fromArray(S, c, o1 + NR)).intoArray(c, o1 + NR);
        c1d.add(FloatVector.fromArray(S, c, o1 + NR + VL)).intoArray(c, o1 + NR + VL);
        c2a.add(FloatVector.fromArray(S, c, o2)).intoArray(c, o2);
        c2b.add(FloatVector.fromArray(S, c, o2 + VL)).intoArray(c, o2 + VL);
        c2c.add(FloatVector.fromArray(S, c, o2 + NR)).intoArray(c, o2 + NR);
        c2d.add(FloatVector.fromArray(S, c, o2 + NR + VL)).intoArray(c, o2 + NR + VL);
        c3a.add(FloatVector.fromArray(S, c, o3)).intoArray(c, o3);
        c3b.add(FloatVector.fromArray(S, c, o3 + VL)).intoArray(c, o3 + VL);
        c3c.add(FloatVector.fromArray(S, c, o3 + NR)).intoArray(c, o3 + NR);
        c3d.add(FloatVector.fromArray(S, c, o3 + NR + VL)).intoArray(c, o3 + NR + VL);
        c4a.add(FloatVector.fromArray(S, c, o4)).intoArray(c, o4);
        c4b.add(FloatVector.fromArray(S, c, o4 + VL)).intoArray(c, o4 + VL);
        c4c.add(FloatVector.fromArray(S, c, o4 + NR)).intoArray(c, o4 + NR);
        c4d.add(FloatVector.fromArray(S, c, o4 + NR + VL)).intoArray(c, o4 + NR + VL);
    }

    /** A 6×4-vector tile (two full panels, 24 accumulators): each broadcast feeds four multiply-adds. */
    private static void kernelWide(float[] src, int[] rowBase, int r, int[] kOff, int k0, int kc, float[] bp, int bo,
                                   int bo2, float[] c, int co, int ldc, boolean add) {
        // one zero() shared: 24 separate calls make the method too big for C1 ("out of virtual registers"), and
        // a method C1 gives up on was seen never to reach C2 (the whole kernel then ran interpreted)
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int r0 = rowBase[r], r1 = rowBase[r + 1], r2 = rowBase[r + 2];
        int r3 = rowBase[r + 3], r4 = rowBase[r + 4], r5 = rowBase[r + 5];
        int end = k0 + kc;
        for (int k = k0; k < end; k++, bo += NR, bo2 += NR) {
            int o = kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo2);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo2 + VL);
            FloatVector x = FloatVector.broadcast(S, src[r0 + o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, src[r1 + o]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, src[r2 + o]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, src[r3 + o]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, src[r4 + o]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, src[r5 + o]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        // One store path, each vector cast to its exact class first: C2 parses every vector as a plain
        // FloatVector, and a store whose species it took from the type profile (a sum merged with the plain
        // accumulator, or a profile it did not trust) failed to intrinsify in about one JVM run in eight: every
        // vector of the tile boxed, the layer 5-8x slower for the life of the process (seen as the dense network
        // training at 6,000 instead of 27,000 images/s, jstack always in this method; "missing constant" under
        // -XX:+PrintIntrinsics). Two store paths, one per branch, were the earlier way round it; with the casts
        // on both the method grew too big for C1.
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + VL));
            c02 = c02.add(FloatVector.fromArray(S, c, co + 2 * VL));
            c03 = c03.add(FloatVector.fromArray(S, c, co + 3 * VL));
            c10 = c10.add(FloatVector.fromArray(S, c, o1));
            c11 = c11.add(FloatVector.fromArray(S, c, o1 + VL));
            c12 = c12.add(FloatVector.fromArray(S, c, o1 + 2 * VL));
            c13 = c13.add(FloatVector.fromArray(S, c, o1 + 3 * VL));
            c20 = c20.add(FloatVector.fromArray(S, c, o2));
            c21 = c21.add(FloatVector.fromArray(S, c, o2 + VL));
            c22 = c22.add(FloatVector.fromArray(S, c, o2 + 2 * VL));
            c23 = c23.add(FloatVector.fromArray(S, c, o2 + 3 * VL));
            c30 = c30.add(FloatVector.fromArray(S, c, o3));
            c31 = c31.add(FloatVector.fromArray(S, c, o3 + VL));
            c32 = c32.add(FloatVector.fromArray(S, c, o3 + 2 * VL));
            c33 = c33.add(FloatVector.fromArray(S, c, o3 + 3 * VL));
            c40 = c40.add(FloatVector.fromArray(S, c, o4));
            c41 = c41.add(FloatVector.fromArray(S, c, o4 + VL));
            c42 = c42.add(FloatVector.fromArray(S, c, o4 + 2 * VL));
            c43 = c43.add(FloatVector.fromArray(S, c, o4 + 3 * VL));
            c50 = c50.add(FloatVector.fromArray(S, c, o5));
            c51 = c51.add(FloatVector.fromArray(S, c, o5 + VL));
            c52 = c52.add(FloatVector.fromArray(S, c, o5 + 2 * VL));
            c53 = c53.add(FloatVector.fromArray(S, c, o5 + 3 * VL));
        }
        exact(c00).intoArray(c, co);
        exact(c01).intoArray(c, co + VL);
        exact(c02).intoArray(c, co + 2 * VL);
        exact(c03).intoArray(c, co + 3 * VL);
        exact(c10).intoArray(c, o1);
        exact(c11).intoArray(c, o1 + VL);
        exact(c12).intoArray(c, o1 + 2 * VL);
        exact(c13).intoArray(c, o1 + 3 * VL);
        exact(c20).intoArray(c, o2);
        exact(c21).intoArray(c, o2 + VL);
        exact(c22).intoArray(c, o2 + 2 * VL);
        exact(c23).intoArray(c, o2 + 3 * VL);
        exact(c30).intoArray(c, o3);
        exact(c31).intoArray(c, o3 + VL);
        exact(c32).intoArray(c, o3 + 2 * VL);
        exact(c33).intoArray(c, o3 + 3 * VL);
        exact(c40).intoArray(c, o4);
        exact(c41).intoArray(c, o4 + VL);
        exact(c42).intoArray(c, o4 + 2 * VL);
        exact(c43).intoArray(c, o4 + 3 * VL);
        exact(c50).intoArray(c, o5);
        exact(c51).intoArray(c, o5 + VL);
        exact(c52).intoArray(c, o5 + 2 * VL);
        exact(c53).intoArray(c, o5 + 3 * VL);
    }

    /**
     * A 12×2-vector tile of {@link #multiplyPair}: rows r..r+5 of both operands (24 accumulators), each load of B
     * feeding 24 multiply-adds instead of 12.
     */
    private static void kernelPair(float[] src, int srcPair, int[] rowBase, int r, int[] kOff, int k0, int kc,
                                   float[] bp, int bo, float[] c, int co, int coPair, int ldc, boolean add) {
        // accumulator cRJ: row R of the first operand, dRJ of the second; vector J. One zero() shared (see
        // kernelWide)
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector d00 = c00, d01 = c00;
        FloatVector d10 = c00, d11 = c00;
        FloatVector d20 = c00, d21 = c00;
        FloatVector d30 = c00, d31 = c00;
        FloatVector d40 = c00, d41 = c00;
        FloatVector d50 = c00, d51 = c00;
        int r0 = rowBase[r], r1 = rowBase[r + 1], r2 = rowBase[r + 2];
        int r3 = rowBase[r + 3], r4 = rowBase[r + 4], r5 = rowBase[r + 5];
        int end = k0 + kc;
        for (int k = k0; k < end; k++, bo += NR) {
            int o = kOff[k], q = o + srcPair;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, src[r0 + o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, src[r0 + q]);
            d00 = x.fma(b0, d00);
            d01 = x.fma(b1, d01);
            x = FloatVector.broadcast(S, src[r1 + o]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, src[r1 + q]);
            d10 = x.fma(b0, d10);
            d11 = x.fma(b1, d11);
            x = FloatVector.broadcast(S, src[r2 + o]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, src[r2 + q]);
            d20 = x.fma(b0, d20);
            d21 = x.fma(b1, d21);
            x = FloatVector.broadcast(S, src[r3 + o]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, src[r3 + q]);
            d30 = x.fma(b0, d30);
            d31 = x.fma(b1, d31);
            x = FloatVector.broadcast(S, src[r4 + o]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, src[r4 + q]);
            d40 = x.fma(b0, d40);
            d41 = x.fma(b1, d41);
            x = FloatVector.broadcast(S, src[r5 + o]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, src[r5 + q]);
            d50 = x.fma(b0, d50);
            d51 = x.fma(b1, d51);
        }
        // stores written out, each branch its own (see kernelWide)
        int o1 = co + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        int p1 = coPair + ldc, p2 = p1 + ldc, p3 = p2 + ldc, p4 = p3 + ldc, p5 = p4 + ldc;
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
            d00.add(FloatVector.fromArray(S, c, coPair)).intoArray(c, coPair);
            d01.add(FloatVector.fromArray(S, c, coPair + VL)).intoArray(c, coPair + VL);
            d10.add(FloatVector.fromArray(S, c, p1)).intoArray(c, p1);
            d11.add(FloatVector.fromArray(S, c, p1 + VL)).intoArray(c, p1 + VL);
            d20.add(FloatVector.fromArray(S, c, p2)).intoArray(c, p2);
            d21.add(FloatVector.fromArray(S, c, p2 + VL)).intoArray(c, p2 + VL);
            d30.add(FloatVector.fromArray(S, c, p3)).intoArray(c, p3);
            d31.add(FloatVector.fromArray(S, c, p3 + VL)).intoArray(c, p3 + VL);
            d40.add(FloatVector.fromArray(S, c, p4)).intoArray(c, p4);
            d41.add(FloatVector.fromArray(S, c, p4 + VL)).intoArray(c, p4 + VL);
            d50.add(FloatVector.fromArray(S, c, p5)).intoArray(c, p5);
            d51.add(FloatVector.fromArray(S, c, p5 + VL)).intoArray(c, p5 + VL);
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
        d00.intoArray(c, coPair);
        d01.intoArray(c, coPair + VL);
        d10.intoArray(c, p1);
        d11.intoArray(c, p1 + VL);
        d20.intoArray(c, p2);
        d21.intoArray(c, p2 + VL);
        d30.intoArray(c, p3);
        d31.intoArray(c, p3 + VL);
        d40.intoArray(c, p4);
        d41.intoArray(c, p4 + VL);
        d50.intoArray(c, p5);
        d51.intoArray(c, p5 + VL);
    }

    /** The 6×2-vector micro-kernel over steps [k0, k0 + kc); like {@code Gemm.kernel} with A read in place. */
    private static void kernel(float[] src, int[] rowBase, int r, int[] kOff, int k0, int kc, float[] bp, int bo,
                               float[] c, int co, int ldc, boolean add, int rows, int cols, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int r0 = rowBase[r], r1 = rowBase[r + 1], r2 = rowBase[r + 2];
        int r3 = rowBase[r + 3], r4 = rowBase[r + 4], r5 = rowBase[r + 5];
        int end = k0 + kc;
        for (int k = k0; k < end; k++, bo += NR) {
            int o = kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, src[r0 + o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, src[r1 + o]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, src[r2 + o]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, src[r3 + o]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, src[r4 + o]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, src[r5 + o]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (rows == MR && cols == NR) {
            // stores written out: a helper taking vectors is not always inlined, and then boxes every vector
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
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, VL);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        Gemm.storeTile(tile, c, co, ldc, add, rows, cols);
    }
}
