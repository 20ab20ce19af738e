package dev.vgg4j.core;

/**
 * Exact arithmetic for sizes that come from a file or a flag (shapes, image sizes, batch sizes),
 * where a product that wraps around would pass a limit check or allocate a wrong, even negative,
 * amount.
 */
public final class Sizes {
    /** The most elements a Java array may have. */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private Sizes() {}

    /**
     * The product of non-negative {@code factors}, exactly; {@link Long#MAX_VALUE} when it does not
     * fit in a long, so that any limit check refuses it instead of seeing a wrapped value.
     */
    public static long saturatedProduct(long... factors) {
        long product = 1;
        boolean overflowed = false;
        for (long factor : factors) {
            if (factor < 0) {
                throw new IllegalArgumentException("a size cannot be negative: " + factor);
            }
            if (factor == 0) {
                return 0;
            }
            if (!overflowed) {
                try {
                    product = Math.multiplyExact(product, factor);
                } catch (ArithmeticException e) {
                    overflowed = true;
                }
            }
        }
        return overflowed ? Long.MAX_VALUE : product;
    }

    /** A {@link #saturatedProduct} in words: the number, or "more than 2^63 - 1" when it saturated. */
    public static String describe(long saturated) {
        return saturated == Long.MAX_VALUE ? "more than 2^63 - 1" : Long.toString(saturated);
    }
}
