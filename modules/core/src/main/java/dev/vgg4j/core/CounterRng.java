package dev.vgg4j.core;

/**
 * A stateless, counter-based random generator: the value for {@code (seed, index)} is a pure hash
 * (SplitMix64's finaliser). Every backend computes the same dropout mask for the same seed, on any
 * number of threads or GPU work-items, so backends can be compared step by step and a resumed run
 * repeats the uninterrupted one.
 */
public final class CounterRng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private CounterRng() {}

    /** SplitMix64 finaliser of {@code seed + (index + 1) * golden gamma}. */
    public static long hash(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, 1)} with 24 random bits (exactly representable as float). */
    public static float uniform(long seed, long index) {
        return (hash(seed, index) >>> 40) * 0x1.0p-24f;
    }

    /** Dropout's keep decision: element {@code index} is kept with probability {@code 1 - p}. */
    public static boolean keep(long seed, long index, float p) {
        return uniform(seed, index) >= p;
    }

    /**
     * The seed whose stream starts {@code offset} indices into {@code seed}'s:
     * {@code hash(skip(seed, offset), i) == hash(seed, offset + i)} for every {@code i}, because the
     * index enters the hash only as {@code seed + (index + 1) * gamma} (mod 2^64). A dropout over
     * rows {@code r..} of a larger batch passes {@code skip(seed, r * rowSize)} to draw the very
     * masks the whole batch would have drawn for those rows.
     */
    public static long skip(long seed, long offset) {
        return seed + offset * GOLDEN_GAMMA;
    }
}
