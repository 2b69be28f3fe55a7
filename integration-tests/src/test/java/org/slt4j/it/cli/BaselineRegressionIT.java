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
 * {@code src/test/resources/baselines/}. To re-record the baseline after an intended change, run this test with
 * {@code -Dslt4j.recordBaselines=true} (it then writes the file into the source tree and passes), and commit it.
 */
class BaselineRegressionIT {
    private static final String BASELINE = "tiny-classifier.json";

    @TempDir
    Path dir;

    @Test
    void tinyModelMatchesTheCommittedBaseline() throws IOException {
        RunHistory run = TinyRuns.train(8, 1e-4, dir.resolve("run.jsonl"));
        RunBaseline baseline;
        if (Boolean.getBoolean("slt4j.recordBaselines")) {
            baseline = RunBaseline.record(run, "BaselineRegressionIT: TinyRuns.train(8, 1e-4)",
                    RunBaseline.defaultMetrics(run), Tolerance.defaults());
            baseline.write(Path.of("src/test/resources/baselines", BASELINE));
        } else {
            baseline = committed();
        }

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

    private static RunBaseline committed() throws IOException {
        URL url = BaselineRegressionIT.class.getResource("/baselines/" + BASELINE);
        if (url == null) {
            throw new IllegalStateException("baseline " + BASELINE + " is missing from the test classpath; record it"
                    + " with -Dslt4j.recordBaselines=true");
        }
        try {
            return RunBaseline.read(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
