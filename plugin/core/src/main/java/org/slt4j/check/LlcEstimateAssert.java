package org.slt4j.check;

import static org.slt4j.report.Format.num;

import java.util.Locale;
import org.assertj.core.api.AbstractAssert;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.Format;

/**
 * Assertions on an {@link LlcEstimate}; obtain with {@link SltAssertions#assertThat(LlcEstimate)}. Failure
 * messages state what was expected and what was found, with the standard error, the chains and the settings.
 */
public final class LlcEstimateAssert extends AbstractAssert<LlcEstimateAssert, LlcEstimate> {

    LlcEstimateAssert(LlcEstimate actual) {
        super(actual, LlcEstimateAssert.class);
    }

    /** Checks that the LLC estimate (the mean over non-diverged chains) lies in [lo, hi]. */
    public LlcEstimateAssert hasLlcWithin(double lo, double hi) {
        isNotNull();
        if (!(actual.mean() >= lo && actual.mean() <= hi)) {
            fail("Expecting the LLC within [" + num(lo) + ", " + num(hi) + "]");
        }
        return this;
    }

    /**
     * Checks that the LLC estimate does not regress from an expected value under a tolerance: it may differ by up
     * to k of its standard errors or by the relative tolerance, whichever is larger (see {@link Tolerance}).
     */
    public LlcEstimateAssert hasLlcCloseTo(double expected, Tolerance tolerance) {
        isNotNull();
        if (tolerance.isRegression(expected, actual.mean(), finiteOrZero(actual.standardError()))) {
            fail("Expecting the LLC close to " + num(expected) + " (within " + tolerance + ")");
        }
        return this;
    }

    /** Checks that no chain diverged. */
    public LlcEstimateAssert hasNoDivergedChains() {
        isNotNull();
        if (actual.divergedChains() > 0) {
            fail("Expecting no diverged chains");
        }
        return this;
    }

    /** Checks that the split R-hat across chains is below a bound (e.g. 1.1: the chains agree). */
    public LlcEstimateAssert hasRHatBelow(double bound) {
        isNotNull();
        if (!(actual.rHat() < bound)) {
            fail("Expecting R-hat below " + num(bound) + " but R-hat was " + num(actual.rHat()));
        }
        return this;
    }

    private void fail(String expectation) {
        failWithMessage("%s", expectation + System.lineSeparator() + "but found: " + describe(actual));
    }

    /** The estimate as failure messages show it. */
    static String describe(LlcEstimate e) {
        StringBuilder chains = new StringBuilder();
        e.chains().forEach(c -> chains.append(chains.length() == 0 ? "" : ", ")
                .append(c.diverged() ? "diverged" : num(c.llc())));
        return String.format(Locale.ROOT, "LLC %s (standard error; std %s over %d chains, %d diverged; chains: %s;"
                        + " R-hat %s; d=%d; %s)", Format.withError(e.mean(), e.standardError()), num(e.std()),
                e.usedChains(), e.divergedChains(), chains, num(e.rHat()), e.dimension(), e.config());
    }

    static double finiteOrZero(double standardError) {
        return Double.isFinite(standardError) ? standardError : 0;
    }
}
