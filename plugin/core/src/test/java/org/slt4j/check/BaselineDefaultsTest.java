package org.slt4j.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slt4j.check.BaselineCheck.MetricResult;
import org.slt4j.report.RunHistory;

/** The defaults a baseline gets in a pipeline: tolerances of unit fractions, rank metrics of sparse spectra. */
class BaselineDefaultsTest {

    @Test
    void unitFractionsGetTheRelativeToleranceAsAbsoluteFloorOtherMetricsKeepTheirs() {
        RunHistory run = Runs.run().loss(10, 0.5).scan(10, 32, 0, 3.0).history();

        RunBaseline baseline = RunBaseline.record(run, "run", List.of("loss", "layer0/DEAD_FRACTION",
                "layer0/DUPLICATE_FRACTION", "layer0/ALWAYS_ACTIVE_FRACTION", "layer0/EFFECTIVE_WIDTH"),
                Tolerance.defaults());

        assertThat(baseline.entries()).extracting(e -> e.tolerance().absolute()).containsExactly(0.0, 0.1, 0.1, 0.1,
                0.0);
        assertThat(RunBaseline.record(run, "run", List.of("layer0/DEAD_FRACTION"), Tolerance.of(3, 0.1)
                .withAbsolute(0.25)).entries().get(0).tolerance().absolute()).as("a larger floor is kept")
                .isEqualTo(0.25);
    }

    @Test
    void aSingleUnitDyingInAWideLayerPassesTheDefaultCheckAndAQuarterOfThemDoesNot() {
        RunHistory recorded = Runs.run().scan(10, 32, 0, 3.0).history();
        RunBaseline baseline = RunBaseline.record(recorded, "run", RunBaseline.defaultMetrics(recorded),
                Tolerance.defaults());

        BaselineCheck oneDied = baseline.check(Runs.run().scan(10, 32, 1, 3.0).history());
        BaselineCheck eightDied = baseline.check(Runs.run().scan(10, 32, 8, 3.0).history());
        RunBaseline withoutFloor = RunBaseline.of("run", List.of(new RunBaseline.Entry("layer0/DEAD_FRACTION", 0, 0,
                Tolerance.defaults())));

        assertThat(oneDied.holds()).as(oneDied.table()).isTrue();
        assertThat(eightDied.regressions()).extracting(MetricResult::metric)
                .containsExactly("layer0/EFFECTIVE_WIDTH", "layer0/DEAD_FRACTION");
        assertThat(withoutFloor.check(Runs.run().scan(10, 32, 1, 3.0).history()).holds())
                .as("without the floor, one unit of 32 fails").isFalse();
    }

    @Test
    void rankMetricsComeFromTheLastScanThatComputedTheSpectrum() {
        RunHistory sparse = Runs.run().scan(0, 8, 0, 5.5).scan(10, 8, 1, Double.NaN).scan(20, 8, 1, Double.NaN)
                .history();

        RunBaseline baseline = RunBaseline.record(sparse, "run", RunBaseline.defaultMetrics(sparse),
                Tolerance.defaults());
        BaselineCheck same = baseline.check(sparse);

        assertThat(baseline.entries()).extracting(RunBaseline.Entry::metric).contains("layer0/EFFECTIVE_RANK");
        assertThat(same.holds()).as(same.table()).isTrue();
        assertThat(same.results()).extracting(MetricResult::metric, MetricResult::found, MetricResult::iteration)
                .contains(tuple("layer0/EFFECTIVE_RANK", 5.5, 0L),
                        tuple("layer0/DEAD_FRACTION", 0.125, 20L));
    }

    @Test
    void aRankThatMovedInTheLastScanWithASpectrumRegressesThoughLaterScansHaveNone() {
        RunHistory recorded = Runs.run().scan(0, 8, 0, 5.5).scan(10, 8, 0, Double.NaN).history();
        RunHistory moved = Runs.run().scan(0, 8, 0, 2.0).scan(10, 8, 0, Double.NaN).history();

        BaselineCheck check = RunBaseline.record(recorded, "run", List.of("layer0/EFFECTIVE_RANK"),
                Tolerance.defaults()).check(moved);

        assertThat(check.regressions()).singleElement().satisfies(r -> assertThat(r.describe())
                .isEqualTo("layer0/EFFECTIVE_RANK: expected 5.5, found 2 at iteration 0 (change -3.5, allowed 0.55)"));
    }

    @Test
    void aRankAtAScanWithoutSpectrumOrARunWithoutAnyIsNamedNotNaN() {
        RunHistory sparse = Runs.run().scan(0, 8, 0, 5.5).scan(10, 8, 0, Double.NaN).scan(20, 8, 0, 4.0).history();
        RunHistory none = Runs.run().scan(0, 8, 0, Double.NaN).scan(10, 8, 0, Double.NaN).history();

        assertThatThrownBy(() -> RunBaseline.record(sparse, "run", List.of("layer0/STABLE_RANK@10"),
                Tolerance.defaults())).hasMessage("the scan at iteration 10 computed no spectrum of layer 'layer0',"
                + " which metric 'layer0/STABLE_RANK@10' needs (scans with one: 0, 20)");
        assertThat(RunBaseline.defaultMetrics(none)).containsExactly("llcUpperBound", "layer0/EFFECTIVE_WIDTH",
                "layer0/DEAD_FRACTION");
        assertThatThrownBy(() -> RunBaseline.record(none, "run", List.of("layer0/NUMERICAL_RANK"),
                Tolerance.defaults())).hasMessageContaining("no scan of the run computed the spectrum of layer"
                + " 'layer0', which metric 'layer0/NUMERICAL_RANK' needs");
    }
}
