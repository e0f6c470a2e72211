import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's single-precision FMA peak, the figure `deepcanvas bench` divides by (--peak-gflops):
 * every core runs twelve independent chains of vector FMAs (enough to cover the FMA latency on two units).
 * Run by hand from the repository root; never by tests or CI:
 *
 * <pre>java --add-modules jdk.incubator.vector tools/bench/FmaPeak.java [threads]</pre>
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float chains(long iterations, float seed) {
        FloatVector a = FloatVector.broadcast(S, 0.999f), b = FloatVector.broadcast(S, 0.001f);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        // the result is used, so the loop cannot be dropped
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Runtime.getRuntime().availableProcessors();
        if (args.length > 0) {
            try {
                threads = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                threads = 0;
            }
            if (threads < 1) {
                System.err.println("FmaPeak: the thread count must be a whole number >= 1, got '" + args[0]
                        + "'; leave it out to use every core");
                System.exit(2);
            }
        }
        long iterations = 100_000_000L;
        double best = 0;
        for (int round = 0; round < 6; round++) {
            Thread[] workers = new Thread[threads];
            float[] sink = new float[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> sink[id] = chains(iterations, id));
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double gflops = 2.0 * 12 * S.length() * iterations * threads / seconds / 1e9;
            best = Math.max(best, gflops);
            System.out.printf("round %d: %.1f GFLOP/s (%d threads, %d lanes)%s%n", round + 1, gflops, threads,
                    S.length(), round < 2 ? "  [JIT warming up]" : "");
        }
        System.out.printf("peak: %.0f GFLOP/s%n", best);
    }
}
