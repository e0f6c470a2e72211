package io.deepcanvas.engine.tensor;

/**
 * A seedable random number generator ({@code torch.Generator}). The default one is reseeded by
 * {@link Tensor#manualSeed}. It is our own (xoshiro128++ with Box–Muller normals): the same seed gives the same
 * numbers on every machine, but not the numbers PyTorch would draw.
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(0x5eed);
    private int s0, s1, s2, s3;
    private double spareNormal = Double.NaN;

    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The process-wide generator used by {@code rand}, {@code randn}, dropout and weight initialization. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    public synchronized void manualSeed(long seed) {
        // splitmix64 spreads any seed (0 and 1 included) over the whole state
        long z = seed;
        long a = splitmix(z += 0x9E3779B97F4A7C15L);
        long b = splitmix(z += 0x9E3779B97F4A7C15L);
        s0 = (int) a;
        s1 = (int) (a >>> 32);
        s2 = (int) b;
        s3 = (int) (b >>> 32);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1;
        }
        spareNormal = Double.NaN;
    }

    /** A snapshot of a generator's state ({@code Generator.get_state()}), for {@link #setState}. */
    public record State(int s0, int s1, int s2, int s3, double spareNormal) {
    }

    /** The state now: {@link #setState} with it makes the generator draw the same numbers again. */
    public synchronized State getState() {
        return new State(s0, s1, s2, s3, spareNormal);
    }

    /** Returns to a state from {@link #getState} ({@code Generator.set_state()}). */
    public synchronized void setState(State state) {
        s0 = state.s0();
        s1 = state.s1();
        s2 = state.s2();
        s3 = state.s3();
        spareNormal = state.spareNormal();
    }

    private static long splitmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int nextInt() {
        int result = Integer.rotateLeft(s0 + s3, 7) + s0;
        int t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Integer.rotateLeft(s3, 11);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public synchronized float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound). */
    public synchronized int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long r = (nextInt() & 0xFFFFFFFFL) * bound;
        return (int) (r >>> 32);
    }

    /** Standard normal. */
    public synchronized double nextGaussian() {
        if (!Double.isNaN(spareNormal)) {
            double s = spareNormal;
            spareNormal = Double.NaN;
            return s;
        }
        double u1;
        do {
            u1 = (nextInt() >>> 8) * 0x1.0p-24;
        } while (u1 == 0);
        double u2 = (nextInt() >>> 8) * 0x1.0p-24;
        double r = Math.sqrt(-2 * Math.log(u1));
        spareNormal = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Fills {@code a} with uniform values in [lo, hi). */
    public synchronized void fillUniform(float[] a, float lo, float hi) {
        fill(a, lo, hi, -1, 0f);
    }

    /**
     * A dropout mask: {@code mask[i] = scale} where a uniform draw in [0, 1) is ≥ p, else 0 — the same draws, and
     * the same mask, as {@code fillUniform(mask, 0, 1)} followed by the comparison, without a branch per element
     * (a random 50/50 branch cost 5 ns per element, most of a dropout).
     */
    public synchronized void fillDropoutMask(float[] mask, float p, float scale) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        // draw · 2^-24 ≥ p  ⟺  24-bit draw ≥ ceil(p · 2^24): both sides exact
        fill(mask, 0f, 1f, (int) Math.ceil(p * 0x1p24), scale);
    }

    /** Uniform in [lo, hi), or with {@code threshold} ≥ 0 the mask {@code draw >= threshold ? scale : 0}. */
    private void fill(float[] a, float lo, float hi, int threshold, float scale) {
        // nextInt's steps on a copy of the state in locals: with the fields, every number stored and reloaded all
        // four. The same numbers either way.
        int x0 = s0, x1 = s1, x2 = s2, x3 = s3;
        for (int i = 0; i < a.length; i++) {
            int result = Integer.rotateLeft(x0 + x3, 7) + x0;
            int t = x1 << 9;
            x2 ^= x0;
            x3 ^= x1;
            x1 ^= x2;
            x0 ^= x3;
            x2 ^= t;
            x3 = Integer.rotateLeft(x3, 11);
            int draw = result >>> 8;
            // (draw − threshold) >> 31 is −1 below the threshold, else 0
            a[i] = threshold < 0 ? lo + (hi - lo) * (draw * 0x1.0p-24f) : scale * (1 + ((draw - threshold) >> 31));
        }
        s0 = x0;
        s1 = x1;
        s2 = x2;
        s3 = x3;
    }

    /** Fills {@code a} with normal values of the given mean and standard deviation. */
    public synchronized void fillNormal(float[] a, float mean, float std) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (mean + std * nextGaussian());
        }
    }
}
