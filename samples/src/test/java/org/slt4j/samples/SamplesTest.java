package org.slt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slt4j.listener.Schedule;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.Series;
import org.slt4j.report.SkipRecord;
import org.slt4j.report.Stage;

/**
 * Every sample runs end to end in its quick mode, without UI, and writes what it promises. Outputs go to
 * {@code target/sample-tests/<sample>} for inspection.
 */
class SamplesTest {

    private static Path out(String sample) {
        return Path.of("target", "sample-tests", sample);
    }

    private static String[] quick(String sample) {
        return new String[] {"--quick", "--no-ui", "--exit", "--out", out(sample).toString()};
    }

    @Test
    void quickstartRecordsLossLlcAndSymmetryAndWritesTheReport() throws IOException {
        QuickstartSample.main(quick("quickstart"));

        RunHistory run = RunHistory.readJsonl(out("quickstart").resolve("run.jsonl"));
        assertThat(run.header()).isPresent();
        assertThat(run.lossRecords()).isNotEmpty();
        assertThat(run.llcRecords()).allSatisfy(r -> assertThat(r.estimate().mean()).isFinite());
        // Every scheduled estimate (log-spaced, 200 iterations) ran or was skipped for the budget, and the skip says
        // why. The first one, at iteration 0, is always skipped: a quarter of its predicted cost (the LLC's share of
        // a budget of 1.0 is 0.8) is more than no training.
        List<Long> scheduled = LongStream.range(0, 200).filter(Schedule.logSpaced(4)::firesAtIteration).boxed()
                .toList();
        List<SkipRecord> skipped = run.skips().stream().filter(s -> s.diagnostic() == Diagnostic.LLC).toList();
        assertThat(Stream.concat(run.llcRecords().stream().map(LlcRecord::iteration),
                skipped.stream().map(SkipRecord::iteration)).sorted()).containsExactlyElementsOf(scheduled);
        assertThat(skipped).allSatisfy(s -> assertThat(s.reason()).isEqualTo(SkipRecord.Reason.OVER_BUDGET))
                .first().satisfies(s -> {
                    assertThat(s.iteration()).isZero();
                    assertThat(s.detail()).contains("predicted from the first estimate's fewest SGLD steps");
                });
        // 400 examples in batches of 20 for 10 epochs: 200 iterations, scans every 500.
        assertThat(run.symmetryRecords()).extracting(r -> r.iteration()).containsExactly(0L);
        assertThat(Files.readString(out("quickstart").resolve("report.html"))).contains("LLC and loss", "<svg");
    }

    @Test
    void grokkingRecordsAccuracyAsUserMetricsBesideTheLlcAndTheDataLoss() throws IOException {
        GrokkingSample.main(quick("grokking"));

        RunHistory run = RunHistory.readJsonl(out("grokking").resolve("run.jsonl"));
        // 300 steps evaluated every 100 and at the last step: iterations 0, 100, 200, 299.
        assertThat(run.llcRecords()).extracting(LlcRecord::iteration).containsExactly(0L, 100L, 200L, 299L);
        assertThat(run.llcRecords()).allSatisfy(r -> assertThat(r.estimate().mean()).isFinite());
        assertThat(run.symmetryRecords()).hasSize(4);
        assertThat(run.metricNames()).containsExactly("train accuracy", "test accuracy");
        assertThat(run.metric("test accuracy").iterations()).containsExactly(0, 100, 200, 299);
        assertThat(run.metric("train accuracy").lastValue()).as("the network memorizes its training pairs")
                .isGreaterThan(0.9);
        // Weight decay 1.0: the score grows with the weights while the data loss falls.
        assertThat(run.lossKind()).isEqualTo(RunHistory.LossKind.DATA_LOSS);
        assertThat(run.loss().lastValue()).isLessThan(run.loss().values()[0]);
        assertThat(run.score().lastValue()).isGreaterThan(run.score().values()[0]);
        assertThat(Files.readString(out("grokking").resolve("report.html"))).contains("Your metrics",
                "test accuracy", "data loss (right axis)");
    }

    @Test
    void symmetryFormationLowersTheBoundAndTheLlcOnceL1IsOn() throws IOException {
        SymmetryFormationSample.main(quick("symmetry-formation"));

        RunHistory run = RunHistory.readJsonl(out("symmetry-formation").resolve("run.jsonl"));
        // 500 steps, L1 from iteration 200, estimates every 100 and at the last step.
        Series llc = run.llc();
        assertThat(llc.iterations()).containsExactly(0, 100, 200, 300, 400, 499);
        assertThat(llc.lastValue()).as("the LLC after pruning, below the LLC when L1 came on")
                .isLessThan(llc.values()[2] - 3 * (llc.errors()[2] + llc.errors()[5]));
        Series bound = run.llcUpperBound();
        assertThat(bound.lastValue()).as("the bound (d - k)/2 fell").isLessThan(bound.values()[0] - 100);
        assertThat(run.events().stream().filter(e -> e.event().kind().isFormation() && e.iteration() >= 200))
                .as("formation events once L1 is on").hasSizeGreaterThanOrEqualTo(5);
        assertThat(run.stages()).extracting(Stage::kind).contains(Stage.Kind.FALLING);
    }

    @Test
    void deepLinearNetworkEstimatesComeCloseToAoyagisExactValues() throws IOException {
        DeepLinearNetworkSample.main(quick("deep-linear-networks"));

        List<String> table = Files.readAllLines(out("deep-linear-networks").resolve("deep-linear-networks.csv"));
        assertThat(table).hasSize(1 + 2);
        assertThat(table.get(1)).startsWith("3-3-3,1,18,4.0000,");
        assertThat(table.get(2)).startsWith("5-4-3,2,32,7.0000,");
        for (String row : table.subList(1, table.size())) {
            double relativeError = Double.parseDouble(row.split(",")[6]);
            assertThat(relativeError).as(row).isBetween(-0.15, 0.15);
        }
    }

    @Test
    void checkpointCurveHasOneEstimatePerCheckpointInIterationOrder() throws IOException {
        CheckpointCurveSample.main(quick("checkpoint-curve"));

        RunHistory run = RunHistory.readJsonl(out("checkpoint-curve").resolve("run.jsonl"));
        // 4 epochs of 600 examples in batches of 50, a checkpoint after each epoch.
        assertThat(run.llcRecords()).extracting(LlcRecord::iteration).containsExactly(12L, 24L, 36L, 48L);
        assertThat(run.symmetryRecords()).hasSize(4);
        assertThat(run.lossRecords()).hasSize(4);
        assertThat(run.loss().lastValue()).isLessThan(run.loss().values()[0]);
        assertThat(Files.readString(out("checkpoint-curve").resolve("report.html"))).contains("LLC and loss");
    }
}
