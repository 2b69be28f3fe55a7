package org.slt4j.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SampleRecords;

class RunAssertionsAndBaselineTest {

    @TempDir
    Path dir;

    private static final RunHistory RUN = Runs.run().loss(0, 1.0).llc(5, 3.0, 0.2).symmetry(5, 0, 5.5)
            .loss(10, 0.5).llc(10, 4.0, 0.25).symmetry(10, 1, 5.0).history();

    @Test
    void llcAtTheEndAndAtAnIterationWithinRangesPass() {
        assertThatCode(() -> SltAssertions.assertThat(RUN).hasLlcWithin(3.5, 4.5).hasLlcAtIterationWithin(5, 2.5, 3.5)
                .hasLlcCloseTo(4.2, Tolerance.defaults()).hasNoDivergedChains().hasNoFailures())
                .doesNotThrowAnyException();
    }

    @Test
    void llcOutsideTheRangeFailsWithIterationValueAndStandardError() {
        assertThatThrownBy(() -> SltAssertions.assertThat(RUN).hasLlcWithin(1, 2))
                .hasMessageContaining("Expecting the LLC at iteration 10 within [1, 2]")
                .hasMessageContaining("but found: LLC 4 ± 0.25 (standard error) at iteration 10 over 4 chains");
        assertThatThrownBy(() -> SltAssertions.assertThat(RUN).hasLlcCloseTo(2, Tolerance.of(3, 0.1)))
                .hasMessageContaining("Expecting the LLC close to 2").hasMessageContaining("LLC 4 ± 0.25");
    }

    @Test
    void llcAtAnIterationWithoutEstimateFailsListingTheIterations() {
        assertThatThrownBy(() -> SltAssertions.assertThat(RUN).hasLlcAtIterationWithin(7, 0, 10))
                .hasMessageContaining("Expecting an LLC estimate at iteration 7 but the run has them at [5, 10]");
    }

    @Test
    void runWithoutLlcFailsSayingSo() {
        RunHistory empty = Runs.run().loss(0, 1).history();

        assertThatThrownBy(() -> SltAssertions.assertThat(empty).hasLlcWithin(0, 1))
                .hasMessageContaining("Expecting an LLC estimate but the run has none");
        assertThatThrownBy(() -> SltAssertions.assertThat(empty).lastSymmetry())
                .hasMessageContaining("Expecting a symmetry scan but the run has none");
    }

    @Test
    void divergedChainsInAnyEstimateFail() {
        RunHistory run = Runs.run().llc(5, 3, 0.2, 1).llc(10, 3, 0.2).history();

        assertThatThrownBy(() -> SltAssertions.assertThat(run).hasNoDivergedChains())
                .hasMessageContaining("found some in 1 estimates").hasMessageContaining("1 diverged");
    }

    @Test
    void lastSymmetryGivesSnapshotAssertionsOnTheLastScan() {
        assertThatThrownBy(() -> SltAssertions.assertThat(RUN).lastSymmetry().hasNoDeadUnits())
                .hasMessageContaining("scan at iteration 10");
    }

    @Test
    void defaultBaselineRecordsLlcLossBoundAndLayerMetricsFromTheEndOfTheRun() {
        RunBaseline baseline = RunBaseline.record(RUN, "test", RunBaseline.defaultMetrics(RUN), Tolerance.defaults());

        assertThat(baseline.entries()).extracting(RunBaseline.Entry::metric).containsExactly("llc", "loss",
                "llcUpperBound", "layer0/EFFECTIVE_WIDTH", "layer0/DEAD_FRACTION", "layer0/EFFECTIVE_RANK");
        assertThat(baseline.entries().get(0)).isEqualTo(new RunBaseline.Entry("llc", 4.0, 0.25,
                Tolerance.defaults()));
        assertThat(baseline.entries().get(1).standardError()).isZero();
        assertThat(baseline.check(RUN).holds()).isTrue();
    }

    @Test
    void theLossMetricIsTheDataLossWhereTheRecordsHaveIt() {
        RunHistory regularized = RunHistory.of(List.of(SampleRecords.header(), SampleRecords.loss(0, 3600.5, 0.5),
                SampleRecords.loss(1, 3590.25, 0.25)));

        RunBaseline baseline = RunBaseline.record(regularized, "wd", List.of("loss"), Tolerance.defaults());

        assertThat(baseline.entries().get(0).expected()).isEqualTo(0.25);
        assertThat(RunBaseline.record(RUN, "old", List.of("loss"), Tolerance.defaults()).entries().get(0).expected())
                .as("records without a data loss: the score").isEqualTo(0.5);
    }

    @Test
    void aUserMetricIsABaselineMetricThatADropBeyondTheToleranceFails() {
        RunHistory recorded = RunHistory.of(List.of(SampleRecords.metric(10, "test accuracy", 0.9),
                SampleRecords.metric(20, "test accuracy", 0.92)));
        RunHistory dropped = RunHistory.of(List.of(SampleRecords.metric(10, "test accuracy", 0.9),
                SampleRecords.metric(20, "test accuracy", 0.75)));
        List<String> metrics = RunBaseline.defaultMetrics(recorded);

        RunBaseline baseline = RunBaseline.record(recorded, "run", metrics, Tolerance.defaults());

        assertThat(metrics).containsExactly("metric:test accuracy");
        assertThat(baseline.check(recorded).holds()).isTrue();
        assertThat(baseline.check(dropped).holds()).isFalse();
        assertThat(baseline.check(dropped).table()).contains("metric:test accuracy").contains("REGRESSED");
        assertThat(RunBaseline.record(recorded, "run", List.of("metric:test accuracy@10"), Tolerance.defaults())
                .entries().get(0).expected()).isEqualTo(0.9);
        assertThatThrownBy(() -> RunBaseline.record(recorded, "run", List.of("metric:f1"), Tolerance.defaults()))
                .hasMessageContaining("user metrics: [test accuracy]");
        assertThatThrownBy(() -> RunBaseline.record(recorded, "run", List.of("metric: "), Tolerance.defaults()))
                .hasMessageContaining("unknown metric");
    }

    @Test
    void baselineRoundTripsThroughItsFile() throws IOException {
        RunBaseline baseline = RunBaseline.record(RUN, "run.jsonl", List.of("llc", "llc@5", "layer0/STABLE_RANK"),
                Tolerance.of(2, 0.05).withAbsolute(0.01));
        Path file = dir.resolve("baseline.json");

        baseline.write(file);

        assertThat(RunBaseline.read(file)).isEqualTo(baseline);
        assertThat(Files.readString(file)).contains("\"format\": \"slt4j-baseline\"").contains("\"metric\": \"llc@5\"");
    }

    @Test
    void rerunWithinNoiseHoldsAndAMovedMetricIsFlaggedInTheTable() {
        RunBaseline baseline = RunBaseline.record(RUN, "run", RunBaseline.defaultMetrics(RUN), Tolerance.defaults());
        RunHistory noisy = Runs.run().loss(10, 0.52).llc(10, 4.5, 0.25).symmetry(10, 1, 5.0).history();
        RunHistory moved = Runs.run().loss(10, 0.5).llc(10, 7.0, 0.25).symmetry(10, 3, 5.0).history();

        BaselineCheck holds = baseline.check(noisy);
        BaselineCheck regressed = baseline.check(moved);

        assertThat(holds.holds()).as(holds.table()).isTrue();
        assertThat(regressed.regressions()).extracting(BaselineCheck.MetricResult::metric)
                .containsExactly("llc", "llcUpperBound", "layer0/EFFECTIVE_WIDTH", "layer0/DEAD_FRACTION");
        assertThat(regressed.table()).containsPattern("(?m)^llc +4 ± 0.25 +7 ± 0.25 +\\+3 +1.061 +REGRESSED$")
                .containsPattern("(?m)^loss +0.5 +0.5 +0 +0.05 +ok$");
    }

    @Test
    void matchesBaselineFailsWithTheTableOfWhatMoved() {
        RunBaseline baseline = RunBaseline.record(RUN, "committed", List.of("llc", "loss"), Tolerance.defaults());
        RunHistory moved = Runs.run().loss(10, 0.5).llc(10, 7.0, 0.25).history();

        assertThatCode(() -> SltAssertions.assertThat(RUN).matchesBaseline(baseline)).doesNotThrowAnyException();
        assertThatThrownBy(() -> SltAssertions.assertThat(moved).matchesBaseline(baseline))
                .hasMessageContaining("Expecting the run to match the baseline (committed) but 1 of 2 metrics"
                        + " regressed").hasMessageContaining("REGRESSED").hasMessageContaining("expected");
    }

    @Test
    void unknownMetricNamesAreRejectedWithTheGrammar() {
        assertThatThrownBy(() -> RunBaseline.record(RUN, "x", List.of("accuracy"), Tolerance.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown metric 'accuracy'")
                .hasMessageContaining("LAYER/METRIC");
        assertThatThrownBy(() -> RunBaseline.record(RUN, "x", List.of("layer0/WIDTH"), Tolerance.defaults()))
                .hasMessageContaining("'WIDTH' is not a layer metric");
        assertThatThrownBy(() -> RunBaseline.record(RUN, "x", List.of("llc@x"), Tolerance.defaults()))
                .hasMessageContaining("the iteration after @ must be an integer >= 0");
    }

    @Test
    void metricsTheRunLacksAreNamed() {
        RunBaseline baseline = RunBaseline.record(RUN, "x", List.of("llc@5", "layer0/EFFECTIVE_WIDTH"),
                Tolerance.defaults());
        RunHistory other = Runs.run().llc(10, 4, 0.2).history();

        assertThatThrownBy(() -> baseline.check(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the run has no value of metric 'llc@5' at iteration 5 (iterations: 10)");
        assertThatThrownBy(() -> RunBaseline.record(other, "x", List.of("hidden/EFFECTIVE_WIDTH"),
                Tolerance.defaults())).hasMessageContaining("the run has no values for metric 'hidden/EFFECTIVE_WIDTH'");
    }

    @Test
    void malformedBaselinesAreRejectedNamingTheProblem() {
        assertThatThrownBy(() -> RunBaseline.fromJson("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RunBaseline.fromJson("[]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"other\"}"))
                .hasMessageContaining("format must be 'slt4j-baseline' (got: 'other')");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"slt4j-baseline\",\"version\":9}"))
                .hasMessageContaining("version must be 1..1 (got: 9)");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"slt4j-baseline\",\"version\":1}"))
                .hasMessageContaining("'metrics' must be an array");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"slt4j-baseline\",\"version\":1,"
                + "\"metrics\":[]}")).hasMessageContaining("at least one metric");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"slt4j-baseline\",\"version\":1,"
                + "\"metrics\":[{\"metric\":\"llc\",\"expected\":\"high\",\"k\":3,\"relativeTolerance\":0.1}]}"))
                .hasMessageContaining("metrics[0] must have a numeric field 'expected' (got: \"high\")");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"slt4j-baseline\",\"version\":1,"
                + "\"metrics\":[{\"metric\":\"llc\",\"expected\":1,\"k\":-3,\"relativeTolerance\":0.1}]}"))
                .hasMessageContaining("standardErrors (k) tolerance must be finite and >= 0 (got: -3.0)");
        assertThatThrownBy(() -> RunBaseline.fromJson("{\"format\":\"slt4j-baseline\",\"version\":1,"
                + "\"metrics\":[{\"metric\":\"acc\",\"expected\":1,\"k\":3,\"relativeTolerance\":0.1}]}"))
                .hasMessageContaining("unknown metric 'acc'");
    }

    @Test
    void invalidFileNamesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), "{}");

        assertThatThrownBy(() -> RunBaseline.read(file)).hasMessageContaining("baseline " + file + " is invalid");
    }
}
