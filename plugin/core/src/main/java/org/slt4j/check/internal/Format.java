package org.slt4j.check.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Number formatting shared by failure messages, regression tables, reports and the command-line tool. Internal:
 * not part of the supported API.
 */
public final class Format {

    private Format() {
    }

    /** A number with 4 significant digits (plain unless very large or small); "n/a" for NaN. */
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

    /** "value ± se", or just the value when the uncertainty is 0 or unknown. */
    public static String withError(double value, double standardError) {
        return standardError > 0 ? num(value) + " ± " + num(standardError) : num(value);
    }
}
