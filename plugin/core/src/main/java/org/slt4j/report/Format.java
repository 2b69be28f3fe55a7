package org.slt4j.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How slt4j writes numbers for people: in assertion failure messages, regression tables, HTML reports and the
 * command-line tool's output. Four significant digits are enough to compare estimates whose standard errors are
 * rarely below a percent, and one format everywhere lets a number from a report be found in a failure message.
 * Always {@link Locale#ROOT}, so the text does not depend on the machine's locale.
 */
public final class Format {

    private Format() {
    }

    /**
     * A number with 4 significant digits, plain unless very large or small.
     *
     * @param v any value
     * @return e.g. {@code "0.1235"}, {@code "1235"}, {@code "1.235e+07"} or {@code "1.235e-04"}; {@code "n/a"} for
     *     NaN, {@code "inf"} and {@code "-inf"} for the infinities
     */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e7)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * A value with its uncertainty, both as {@link #num(double)} writes them.
     *
     * @param value the value
     * @param standardError its standard error
     * @return {@code "value ± standardError"}, or just the value when the standard error is not positive (0,
     *     negative or NaN: unknown)
     */
    public static String withError(double value, double standardError) {
        return standardError > 0 ? num(value) + " ± " + num(standardError) : num(value);
    }
}
