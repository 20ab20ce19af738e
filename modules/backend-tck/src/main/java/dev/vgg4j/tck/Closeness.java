package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.fail;

/** Compares a backend's float32 output with a float64 reference by relative error of the whole tensor. */
public final class Closeness {
    private Closeness() {}

    /** {@code ||actual - expected|| / ||expected||}, or the absolute norm when expected is all zeros. */
    public static double relativeError(double[] actual, double[] expected) {
        double diff = 0.0;
        double norm = 0.0;
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - expected[i];
            diff += d * d;
            norm += expected[i] * expected[i];
        }
        return norm == 0.0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }

    /**
     * Fails when an element is NaN (an output the op forgot to write stays poisoned), when the
     * lengths differ, or when the relative error exceeds {@code tolerance}.
     */
    public static void assertClose(String what, float[] actual, double[] expected, double tolerance) {
        assertClose(what, OpConformance.toDouble(actual), expected, tolerance);
    }

    public static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (Double.isNaN(actual[i]) && !Double.isNaN(expected[i])) {
                fail(what + ": element " + i + " is NaN (not written, or computed from unwritten memory); expected "
                        + expected[i]);
            }
        }
        double error = relativeError(actual, expected);
        if (!(error <= tolerance)) {
            int worst = worstIndex(actual, expected);
            fail(String.format("%s: relative error %.3g exceeds tolerance %.3g (worst element %d: got %s, expected %s)",
                    what, error, tolerance, worst, actual[worst], expected[worst]));
        }
    }

    /** Exact equality, for ops that only move or select values. */
    public static void assertSame(String what, float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    private static int worstIndex(double[] actual, double[] expected) {
        int worst = 0;
        double worstDiff = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (d > worstDiff || Double.isNaN(d)) {
                worst = i;
                worstDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return worst;
    }
}
