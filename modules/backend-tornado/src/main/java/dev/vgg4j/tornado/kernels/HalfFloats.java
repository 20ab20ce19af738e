package dev.vgg4j.tornado.kernels;

/**
 * Rounding a float to the nearest IEEE binary16 value (ties to even, as torch's {@code .half()}),
 * in float arithmetic only, for kernels. Not with bit operations: TornadoVM 5.2's OpenCL backend
 * fails ("unimplemented") on any arithmetic on {@code Float.floatToRawIntBits}, and its
 * {@code HalfFloat} type does not compile without {@code cl_khr_fp16} (PoCL). Every step below is
 * exact: scalings by powers of two, a truncation, and a difference of two nearby floats.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** From here a float rounds to infinity in half (65504 is the largest half; 65520 the tie above it). */
    private static final float ROUNDS_TO_INFINITY = 65520f;
    private static final float SMALLEST_NORMAL = 0x1p-14f;
    /** The spacing of halves below {@link #SMALLEST_NORMAL} (subnormals). */
    private static final float SUBNORMAL_SPACING = 0x1p-24f;

    /** {@code value} rounded to the nearest half, as a float; NaN stays NaN, beyond 65519.99 is infinite. */
    public static float round(float value) {
        // Not Math.abs: the JDK's masks the sign bit, which TornadoVM cannot compile (see above).
        float magnitude = value < 0f ? -value : value;
        float rounded = magnitude;
        if (magnitude >= ROUNDS_TO_INFINITY) {
            rounded = Float.POSITIVE_INFINITY;
        } else if (magnitude >= SMALLEST_NORMAL) {
            // The binade [2^e, 2^(e+1)) holds 1024 halves 2^(e-10) apart; e <= 15 here, so at most 29 doublings.
            float binade = SMALLEST_NORMAL;
            while (binade * 2f <= magnitude) {
                binade = binade * 2f;
            }
            rounded = toMultiple(magnitude, binade * 0x1p-10f);
        } else if (magnitude > 0f) {
            rounded = toMultiple(magnitude, SUBNORMAL_SPACING);
        }
        // NaN fails every comparison above and comes back as it came.
        return value < 0f ? -rounded : rounded;
    }

    /**
     * The multiple of {@code spacing} (a power of two) nearest {@code magnitude}, ties to the even
     * multiple. {@code magnitude / spacing} is below 2048, so the int cast is the floor.
     */
    private static float toMultiple(float magnitude, float spacing) {
        float units = magnitude / spacing;
        int whole = (int) units;
        float fraction = units - whole;
        if (fraction > 0.5f || (fraction == 0.5f && (whole & 1) == 1)) {
            whole = whole + 1;
        }
        return whole * spacing;
    }
}
