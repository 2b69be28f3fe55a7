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
 * Needs {@code org.assertj:assertj-core} (3.x) on the test classpath, to compile and to run: it is an optional
 * dependency of slt4j, so add it to your project (usually in test scope). Without it, each {@code assertThat} throws
 * an {@link IllegalStateException} that names the artifact, instead of a {@link NoClassDefFoundError}.
 */
public final class SltAssertions {
    private static final String ASSERTJ_CLASS = "org.assertj.core.api.AbstractAssert";

    private SltAssertions() {
    }

    /** Fails with a message naming the artifact to add when AssertJ is not on the classpath. */
    private static void requireAssertJ() {
        try {
            Class.forName(ASSERTJ_CLASS, false, SltAssertions.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("slt4j's assertions need AssertJ: add the dependency "
                    + "org.assertj:assertj-core (3.x, usually in test scope) to your project", e);
        }
    }

    /** Assertions on an LLC estimate. */
    public static LlcEstimateAssert assertThat(LlcEstimate actual) {
        requireAssertJ();
        return new LlcEstimateAssert(actual);
    }

    /** Assertions on a symmetry snapshot. */
    public static SymmetrySnapshotAssert assertThat(SymmetrySnapshot actual) {
        requireAssertJ();
        return new SymmetrySnapshotAssert(actual);
    }

    /** Assertions on one layer of a symmetry snapshot. */
    public static LayerSymmetryAssert assertThat(LayerSymmetry actual) {
        requireAssertJ();
        return new LayerSymmetryAssert(actual);
    }

    /** Assertions on a whole run read back with {@link RunHistory}. */
    public static RunHistoryAssert assertThat(RunHistory actual) {
        requireAssertJ();
        return new RunHistoryAssert(actual);
    }
}
