package io.deepcanvas.engine.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's single-precision peak as this JVM reaches it, the figure {@code deepcanvas bench} divides by: every
 * thread runs twelve independent chains of vector FMAs (enough to cover the FMA latency on two units). Measured,
 * not computed from a clock: the build machines turbo well above their base clock (a 2-core Xeon reached 470
 * GFLOP/s, not the 333 its 2.6 GHz base gives; a 2-core EPYC 415), and a fixed figure is wrong on every other
 * machine.
 */
final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    /** Iterations per call: short enough that C2 compiles the method itself, not an on-stack replacement of it. */
    private static final int CALL = 20_000;

    private FmaPeak() {
    }

    /**
     * Best of three rounds of {@code roundSeconds} on {@code threads} threads, in GFLOP/s, after a warm-up on this
     * thread that lasts until the JIT is done: rounds of {@code roundSeconds} until two in a row are no more than 5%
     * faster than the best before them (the Vector API runs ~1000× slower until C2 has compiled the loop).
     */
    static double measure(int threads, double roundSeconds) {
        long nanos = (long) (roundSeconds * 1e9);
        float[] sink = new float[Math.max(1, threads)];
        double warm = 0;
        // two flat rounds in a row, not one: C1's code (no intrinsics, also slow) can hold for a round while C2
        // compiles
        for (int round = 0, flat = 0; round < 40 && flat < 2; round++) {
            long t0 = System.nanoTime();
            double rate = runFor(nanos, 0, sink) / (double) (System.nanoTime() - t0);
            flat = rate <= warm * 1.05 ? flat + 1 : 0;
            warm = Math.max(warm, rate);
        }
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long[] calls = new long[threads];
            Thread[] workers = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> calls[id] = runFor(nanos, id, sink), "deepcanvas-fma-peak-" + t);
                workers[t].start();
            }
            long total = 0;
            for (int t = 0; t < threads; t++) {
                try {
                    workers[t].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return best;
                }
                total += calls[t];
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * CHAINS * S.length() * CALL * total / seconds / 1e9);
        }
        return best;
    }

    /** Calls the chains until {@code nanos} have passed; returns the number of calls. */
    private static long runFor(long nanos, int id, float[] sink) {
        long end = System.nanoTime() + nanos, calls = 0;
        float s = 0;
        do {
            s += chains(id + calls);
            calls++;
        } while (System.nanoTime() < end);
        // the results are used, so the loops cannot be dropped
        sink[id] = s;
        return calls;
    }

    /** Twelve chains written out, one variable each, so C2 keeps all of them in registers (no array of vectors). */
    private static float chains(float seed) {
        FloatVector a = FloatVector.broadcast(S, 0.999f), b = FloatVector.broadcast(S, 0.001f);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (int i = 0; i < CALL; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
