package org.slt4j.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.check.BaselineCheck;
import org.slt4j.check.RunBaseline;
import org.slt4j.check.SltAssertions;
import org.slt4j.check.Tolerance;
import org.slt4j.report.RunHistory;

/**
 * The CI use case: train a tiny model with slt4j attached and check its run against a baseline committed in
 * {@code src/test/resources/baselines/}. To re-record the baselines after an intended change, run this test with
 * {@code -Dslt4j.recordBaselines=true} (it then writes the files into the source tree and passes), and commit them.
 *
 * <p>Two runs: the classifier with hand-set, short chains (its LLC's standard error is 24-38%, so its baseline
 * checks the symmetry metrics; no LLC change can fail it), and the trained regression at a fixed localization with
 * the other LLC settings automatic, whose standard error of about 2% gives the LLC tolerance power: a network whose
 * LLC differs by 10-20% is flagged on the LLC itself.
 */
class BaselineRegressionIT {
    private static final String BASELINE = "tiny-classifier.json";
    private static final String REGRESSION_BASELINE = "tiny-regression.json";
    /** The width of the regression whose LLC must be flagged: 10-20% from the baseline's width 6 (measured). */
    private static final int NARROWER = 5;

    @TempDir
    Path dir;

    @Test
    void tinyModelMatchesTheCommittedBaseline() throws IOException {
        RunHistory run = TinyRuns.train(8, 1e-4, dir.resolve("run.jsonl"));
        RunBaseline baseline = recordedOrCommitted(run, BASELINE, "TinyRuns.train(8, 1e-4)");

        SltAssertions.assertThat(run).hasNoFailures().hasNoDivergedChains().matchesBaseline(baseline);
    }

    @Test
    void modelOfTwiceTheWidthIsFlagged() throws IOException {
        RunHistory wider = TinyRuns.train(16, 1e-4, dir.resolve("wider.jsonl"));

        BaselineCheck check = committed().check(wider);

        assertThat(check.holds()).as(check.table()).isFalse();
        assertThat(check.regressions()).extracting(BaselineCheck.MetricResult::metric)
                .contains("layer0/EFFECTIVE_WIDTH");
        assertThatThrownBy(() -> SltAssertions.assertThat(wider).matchesBaseline(committed()))
                .hasMessageContaining("REGRESSED").hasMessageContaining("layer0/EFFECTIVE_WIDTH");
    }

    @Test
    void modelWithMuchStrongerWeightDecayIsFlagged() throws IOException {
        RunHistory decayed = TinyRuns.train(8, 0.3, dir.resolve("decayed.jsonl"));

        BaselineCheck check = committed().check(decayed);

        assertThat(check.holds()).as(check.table()).isFalse();
    }

    @Test
    void trainedRegressionMatchesItsBaselineWhoseLlcToleranceHasPower() throws IOException {
        RunHistory run = TinyRuns.trainRegression(6, dir.resolve("regression.jsonl"));
        RunBaseline baseline = recordedOrCommitted(run, REGRESSION_BASELINE, "TinyRuns.trainRegression(6)");

        RunBaseline.Entry llc = baseline.entries().stream().filter(e -> e.metric().equals("llc")).findFirst()
                .orElseThrow();
        // Power: a shift of 10% must exceed k combined standard errors of two runs like this one.
        assertThat(llc.tolerance().standardErrors() * Math.sqrt(2) * llc.standardError())
                .as("k sqrt(2) SE of %s", llc).isLessThan(0.1 * llc.expected());
        assertThat(run.latestLlc().orElseThrow().estimate().isReliable()).as("%s", run.latestLlc()).isTrue();
        SltAssertions.assertThat(run).hasNoFailures().hasNoDivergedChains().matchesBaseline(baseline);
    }

    @Test
    void narrowerRegressionIsFlaggedOnItsLlc() throws IOException {
        RunHistory narrower = TinyRuns.trainRegression(NARROWER, dir.resolve("narrower.jsonl"));

        BaselineCheck check = committed(REGRESSION_BASELINE).check(narrower);

        BaselineCheck.MetricResult llc = check.results().stream().filter(r -> r.metric().equals("llc")).findFirst()
                .orElseThrow();
        assertThat(Math.abs(llc.change()) / llc.expected()).as(check.table()).isBetween(0.10, 0.20);
        assertThat(llc.regressed()).as(check.table()).isTrue();
    }

    /**
     * With {@code -Dslt4j.recordBaselines=true}: the baseline recorded from the run with the default metrics and
     * tolerances, written into the source tree; otherwise the committed one.
     */
    private static RunBaseline recordedOrCommitted(RunHistory run, String name, String source) throws IOException {
        if (!Boolean.getBoolean("slt4j.recordBaselines")) {
            return committed(name);
        }
        RunBaseline baseline = RunBaseline.record(run, "BaselineRegressionIT: " + source,
                RunBaseline.defaultMetrics(run), Tolerance.defaults());
        baseline.write(Path.of("src/test/resources/baselines", name));
        return baseline;
    }

    private static RunBaseline committed() throws IOException {
        return committed(BASELINE);
    }

    private static RunBaseline committed(String name) throws IOException {
        URL url = BaselineRegressionIT.class.getResource("/baselines/" + name);
        if (url == null) {
            throw new IllegalStateException("baseline " + name + " is missing from the test classpath; record it"
                    + " with -Dslt4j.recordBaselines=true");
        }
        try {
            return RunBaseline.read(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
