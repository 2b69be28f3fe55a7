package org.slt4j.check;

import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.RunHistory;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * Entry point of the AssertJ-style assertions on slt4j results, for JUnit tests and CI:
 * <pre>{@code
 * import static org.slt4j.check.SltAssertions.assertThat;
 *
 * assertThat(estimate).hasLlcWithin(2, 6).hasNoDivergedChains();
 * assertThat(snapshot).layer("layer0").hasDeadFractionBelow(0.1).hasEffectiveWidthWithin(6, 8);
 * assertThat(RunHistory.readJsonl(path)).hasLlcAtIterationWithin(500, 2, 6).matchesBaseline(baseline);
 * }</pre>
 * Needs {@code org.assertj:assertj-core} on the test classpath (an optional dependency of slt4j).
 */
public final class SltAssertions {

    private SltAssertions() {
    }

    /** Assertions on an LLC estimate. */
    public static LlcEstimateAssert assertThat(LlcEstimate actual) {
        return new LlcEstimateAssert(actual);
    }

    /** Assertions on a symmetry snapshot. */
    public static SymmetrySnapshotAssert assertThat(SymmetrySnapshot actual) {
        return new SymmetrySnapshotAssert(actual);
    }

    /** Assertions on one layer of a symmetry snapshot. */
    public static LayerSymmetryAssert assertThat(LayerSymmetry actual) {
        return new LayerSymmetryAssert(actual);
    }

    /** Assertions on a whole run read back with {@link RunHistory}. */
    public static RunHistoryAssert assertThat(RunHistory actual) {
        return new RunHistoryAssert(actual);
    }
}
