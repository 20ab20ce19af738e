package dev.vgg4j.tck;

/**
 * The relative errors {@code ||out - ref|| / ||ref||} the kit accepts against its float64 oracle.
 * A backend that must loosen one overrides {@link BackendConformance#tolerances()} and says why.
 *
 * @param forward  ops whose outputs are sums of at most 256 float32 terms (and elementwise ops)
 * @param gradient backward ops against central-difference gradients of the kit's double forward
 */
public record Tolerances(double forward, double gradient) {
    /** What float32 arithmetic with any summation order meets: 1e-5 and, for gradients, 1e-4. */
    public static final Tolerances FLOAT32 = new Tolerances(1e-5, 1e-4);

    /**
     * The bound for an output that sums {@code k} products. Rounding errors of a float32 sum of
     * {@code k} random-signed terms grow like {@code sqrt(k) * 2^-24} relative to the result, so the
     * kit allows {@code forward * max(1, sqrt(k / 256))}: 1e-5 up to k = 256, 4.2e-5 at k = 4608
     * (a 3x3 conv over 512 channels).
     */
    public double forSumOf(long k) {
        return forward * Math.max(1.0, Math.sqrt(k / 256.0));
    }
}
