package dev.vgg4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterRngTest {
    private static final int SAMPLES = 200_000;

    @Test
    void isAPureFunctionOfSeedAndIndex() {
        for (long i = 0; i < 1000; i++) {
            assertEquals(CounterRng.hash(42L, i), CounterRng.hash(42L, i));
            assertEquals(CounterRng.uniform(7L, i), CounterRng.uniform(7L, i));
        }
    }

    @Test
    void seedsAndIndicesGiveDifferentStreams() {
        int same = 0;
        for (long i = 0; i < 1000; i++) {
            same += CounterRng.hash(1L, i) == CounterRng.hash(2L, i) ? 1 : 0;
            assertNotEquals(CounterRng.hash(1L, i), CounterRng.hash(1L, i + 1));
        }
        assertEquals(0, same, "hashes shared by seeds 1 and 2");
    }

    @Test
    void uniformValuesAreMultiplesOfTwoToTheMinus24InUnitInterval() {
        for (long i = 0; i < 10_000; i++) {
            float u = CounterRng.uniform(123L, i);
            assertTrue(u >= 0f && u < 1f, "uniform " + u);
            float scaled = u * (1 << 24);
            assertEquals(Math.floor(scaled), scaled, "24-bit value " + u);
        }
    }

    /** Chi-square over 64 equal bins; 63 degrees of freedom have a 99.9% quantile of about 103. */
    @Test
    void uniformIsUniform() {
        int bins = 64;
        int[] counts = new int[bins];
        double sum = 0;
        for (long i = 0; i < SAMPLES; i++) {
            float u = CounterRng.uniform(2024L, i);
            counts[(int) (u * bins)]++;
            sum += u;
        }
        double expected = (double) SAMPLES / bins;
        double chiSquare = 0;
        for (int c : counts) {
            chiSquare += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chiSquare < 103, "chi-square " + chiSquare);
        assertEquals(0.5, sum / SAMPLES, 0.005, "mean");
    }

    @Test
    void neighbouringIndicesAreUncorrelated() {
        double sx = 0;
        double sxx = 0;
        double sxy = 0;
        float previous = CounterRng.uniform(5L, 0);
        for (long i = 1; i <= SAMPLES; i++) {
            float u = CounterRng.uniform(5L, i);
            sx += previous;
            sxx += previous * previous;
            sxy += previous * u;
            previous = u;
        }
        double mean = sx / SAMPLES;
        double covariance = sxy / SAMPLES - mean * mean;
        double variance = sxx / SAMPLES - mean * mean;
        assertEquals(0.0, covariance / variance, 0.01, "lag-1 correlation");
    }

    @Test
    void keepKeepsAFractionOfOneMinusP() {
        for (float p : new float[] {0.1f, 0.5f, 0.9f}) {
            int kept = 0;
            for (long i = 0; i < SAMPLES; i++) {
                kept += CounterRng.keep(77L, i, p) ? 1 : 0;
            }
            assertEquals(1 - p, (double) kept / SAMPLES, 0.005, "kept fraction for p " + p);
        }
    }

    @Test
    void probabilityZeroKeepsEverything() {
        for (long i = 0; i < 10_000; i++) {
            assertTrue(CounterRng.keep(3L, i, 0f));
        }
    }

    @Test
    void skipStartsTheStreamFurtherOn() {
        for (long offset : new long[] {0, 1, 7, 1L << 40, -3}) {
            for (long i = 0; i < 50; i++) {
                assertEquals(CounterRng.hash(42L, offset + i), CounterRng.hash(CounterRng.skip(42L, offset), i));
            }
        }
        assertNotEquals(CounterRng.hash(42L, 0), CounterRng.hash(CounterRng.skip(42L, 1), 0));
    }
}
