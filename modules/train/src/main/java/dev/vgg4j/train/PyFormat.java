package dev.vgg4j.train;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Python's {@code format(x, ".Nf")} for the recipe's log lines. Python rounds the exact binary
 * value of the double (ties to even), whereas {@code String.format} rounds a shortened decimal
 * form half-up; the two differ on values such as 0.0005, so the lines would not always match.
 */
final class PyFormat {
    private PyFormat() {}

    /** {@code f"{x:.{digits}f}"}; NaN and infinities as Python writes them. */
    static String fixed(double x, int digits) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        return x < 0 || (x == 0 && 1 / x < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }
}
