package dev.vgg4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void productsThatFitAreExact() {
        assertEquals(60000L * 28 * 28, Sizes.saturatedProduct(60000, 28, 28));
        assertEquals(1, Sizes.saturatedProduct());
    }

    @Test
    void productsThatWrapSaturateInsteadOfPassingAsSmall() {
        // 2^30 * 2^30 * 4 * 4 = 2^64, which wraps to 0 in a long
        assertEquals(Long.MAX_VALUE, Sizes.saturatedProduct(1L << 30, 1L << 30, 4, 4));
        assertEquals(Long.MAX_VALUE, Sizes.saturatedProduct(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals("more than 2^63 - 1", Sizes.describe(Sizes.saturatedProduct(65536, 65536, 65536, 65536)));
    }

    @Test
    void aZeroFactorIsZeroEvenAfterAnOverflow() {
        assertEquals(0, Sizes.saturatedProduct(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0));
    }

    @Test
    void negativeSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sizes.saturatedProduct(3, -1));
    }
}
