package org.slt4j.check;

import static org.slt4j.report.Format.num;

import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.Format;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SymmetryRecord;

/**
 * Assertions on a whole training run as {@link RunHistory} reads it back (a JSONL file, a StatsStorage session);
 * obtain with {@link SltAssertions#assertThat(RunHistory)}. "The LLC" of a run is its last estimate by iteration
 * unless an iteration is given. Failure messages state the expectation and what was found, with the standard
 * error.
 */
public final class RunHistoryAssert extends AbstractAssert<RunHistoryAssert, RunHistory> {

    RunHistoryAssert(RunHistory actual) {
        super(actual, RunHistoryAssert.class);
    }

    /** Checks that the run's last LLC estimate lies in [lo, hi]. */
    public RunHistoryAssert hasLlcWithin(double lo, double hi) {
        return llcWithin(lastLlc(), lo, hi);
    }

    /** Checks that the LLC estimated at the given iteration lies in [lo, hi]. */
    public RunHistoryAssert hasLlcAtIterationWithin(long iteration, double lo, double hi) {
        return llcWithin(llcAt(iteration), lo, hi);
    }

    /** Checks that the run's last LLC estimate does not regress from an expected value (see {@link Tolerance}). */
    public RunHistoryAssert hasLlcCloseTo(double expected, Tolerance tolerance) {
        LlcRecord r = lastLlc();
        LlcEstimate e = r.estimate();
        if (tolerance.isRegression(expected, e.mean(), LlcEstimateAssert.finiteOrZero(e.standardError()))) {
            failWithMessage("%s", "Expecting the LLC close to " + num(expected) + " (within " + tolerance + ")"
                    + System.lineSeparator() + "but found: " + describe(r));
        }
        return this;
    }

    /**
     * Checks the run against a baseline: no metric moved beyond its tolerance. The failure message is the table of
     * every metric, with what moved marked REGRESSED.
     *
     * @throws IllegalArgumentException (from the check) if the run lacks a metric of the baseline
     */
    public RunHistoryAssert matchesBaseline(RunBaseline baseline) {
        isNotNull();
        BaselineCheck check = baseline.check(actual);
        if (!check.holds()) {
            failWithMessage("%s", "Expecting the run to match the baseline (" + baseline.source() + ") but "
                    + check.regressions().size() + " of " + check.results().size() + " metrics regressed:"
                    + System.lineSeparator() + check.table());
        }
        return this;
    }

    /** Checks that no chain of any LLC estimate of the run diverged. */
    public RunHistoryAssert hasNoDivergedChains() {
        isNotNull();
        List<LlcRecord> diverged = actual.llcRecords().stream().filter(r -> r.estimate().divergedChains() > 0).toList();
        if (!diverged.isEmpty()) {
            failWithMessage("%s", "Expecting no diverged chains but found some in " + diverged.size()
                    + " estimates: " + diverged.stream().map(RunHistoryAssert::describe)
                    .collect(Collectors.joining("; ")));
        }
        return this;
    }

    /** Checks that no diagnostic failed during the run (no failure records). */
    public RunHistoryAssert hasNoFailures() {
        isNotNull();
        List<FailureRecord> failures = actual.failures();
        if (!failures.isEmpty()) {
            failWithMessage("%s", "Expecting no diagnostic failures but found " + failures.size() + ": "
                    + failures);
        }
        return this;
    }

    /** Assertions on the run's last symmetry scan. */
    public SymmetrySnapshotAssert lastSymmetry() {
        isNotNull();
        List<SymmetryRecord> scans = actual.symmetryRecords();
        if (scans.isEmpty()) {
            failWithMessage("%s", "Expecting a symmetry scan but the run has none (" + actual + ")");
        }
        return new SymmetrySnapshotAssert(scans.get(scans.size() - 1).snapshot());
    }

    private RunHistoryAssert llcWithin(LlcRecord r, double lo, double hi) {
        double mean = r.estimate().mean();
        if (!(mean >= lo && mean <= hi)) {
            failWithMessage("%s", "Expecting the LLC at iteration " + r.iteration() + " within [" + num(lo) + ", "
                    + num(hi) + "]" + System.lineSeparator() + "but found: " + describe(r));
        }
        return this;
    }

    private LlcRecord lastLlc() {
        isNotNull();
        return actual.latestLlc().orElseThrow(() -> failure("%s", "Expecting an LLC estimate but the run has"
                + " none (" + actual + ")"));
    }

    private LlcRecord llcAt(long iteration) {
        isNotNull();
        List<LlcRecord> at = actual.llcRecords().stream().filter(r -> r.iteration() == iteration).toList();
        if (at.isEmpty()) {
            throw failure("%s", "Expecting an LLC estimate at iteration " + iteration + " but the run has them at "
                    + actual.llcRecords().stream().map(r -> Long.toString(r.iteration()))
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        return at.get(at.size() - 1);
    }

    /** An LLC record as failure messages show it. */
    static String describe(LlcRecord r) {
        LlcEstimate e = r.estimate();
        return "LLC " + Format.withError(e.mean(), e.standardError()) + " (standard error) at iteration "
                + r.iteration() + " over " + e.usedChains() + " chains, " + e.divergedChains() + " diverged; "
                + e.config();
    }
}
