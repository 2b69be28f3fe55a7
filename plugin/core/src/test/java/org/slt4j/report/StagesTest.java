package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Stages of synthetic LLC curves whose critical points are known. */
class StagesTest {

    @Test
    void aRiseThenAFallAreTwoStagesMeetingAtThePeak() {
        // Rises for 6 estimates to a peak at iteration 50, then falls for 6: noiseless, tiny errors.
        List<Stage> stages = stages(13, i -> i <= 5 ? 10 * i : 50 - 6 * (i - 5), 0.01);

        assertThat(stages).extracting(Stage::kind).containsExactly(Stage.Kind.RISING, Stage.Kind.FALLING);
        assertThat(stages.get(0).start()).isZero();
        assertThat(stages.get(0).end()).isEqualTo(50);
        assertThat(stages.get(1).start()).isEqualTo(50);
        assertThat(stages.get(1).end()).isEqualTo(120);
        assertThat(stages.get(0).estimates()).isEqualTo(6);
        assertThat(stages.get(1).estimates()).isEqualTo(8);
        assertThat(stages.get(0).startLlc()).isZero();
        assertThat(stages.get(0).endLlc()).isEqualTo(50);
    }

    @Test
    void withNoiseOfKnownSizeTheTurningPointsAreFoundWithinOneEstimate() {
        // Rise 0 -> 20 over 10 estimates, fall to 5 over 10, rise to 15 over 10; noise and errors of 1.
        IntToDoubleFunction truth = i -> i <= 10 ? 2 * i : i <= 20 ? 20 - 1.5 * (i - 10) : 5 + (i - 20);
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            List<Stage> stages = stages(31, i -> truth.applyAsDouble(i) + random.nextGaussian(), 1.0);

            assertThat(stages).as("seed %d: %s", seed, stages).extracting(Stage::kind)
                    .containsExactly(Stage.Kind.RISING, Stage.Kind.FALLING, Stage.Kind.RISING);
            assertThat(stages.get(0).end()).as("seed %d: the peak", seed).isBetween(90L, 110L);
            assertThat(stages.get(1).end()).as("seed %d: the trough", seed).isBetween(190L, 210L);
        }
    }

    /**
     * The grokking sample's full run (mod 53, 4,000 steps; the LLC records of GrokkingSample's main command, traces
     * dropped): training accuracy reached 100% at iteration 400 and test accuracy rose from there on.
     */
    @Test
    void theGrokkingRunHasARisingMemorizationStageAndAFallingGeneralizationStage() throws Exception {
        RunHistory run = RunHistory.readJsonl(Path.of(StagesTest.class.getResource("/records/grokking-llc.jsonl")
                .toURI()));

        List<Stage> stages = run.stages();

        assertThat(run.llcRecords()).hasSize(21);
        assertThat(stages).extracting(Stage::kind).containsExactly(Stage.Kind.RISING, Stage.Kind.FALLING);
        assertThat(stages.get(0).end()).isEqualTo(400);
        assertThat(stages.get(1).end()).isEqualTo(3999);
        assertThat(stages.get(0).endLlc()).isGreaterThan(80);
        assertThat(stages.get(1).endLlc()).isLessThan(20);
    }

    @Test
    void aBumpSmallerThanTwoCombinedStandardErrorsMakesNoStage() {
        // Level at 10 with errors of 1; one estimate 2.5 higher: 2 sqrt(1 + 1) = 2.83 is not exceeded.
        List<Stage> stages = stages(12, i -> i == 6 ? 12.5 : 10, 1.0);

        assertThat(stages).extracting(Stage::kind).containsExactly(Stage.Kind.LEVEL);
        assertThat(stages.get(0).estimates()).isEqualTo(12);
    }

    @Test
    void pureNoiseOfTheSizeOfItsStandardErrorsIsOneLevelStage() {
        int spurious = 0;
        for (long seed = 1; seed <= 100; seed++) {
            Random random = new Random(seed);
            List<Stage> stages = stages(30, i -> 10 + random.nextGaussian(), 1.0);
            spurious += stages.size() == 1 && stages.get(0).kind() == Stage.Kind.LEVEL ? 0 : 1;
        }
        assertThat(spurious).as("curves of 30 noisy estimates, of 100, split into stages").isLessThanOrEqualTo(5);
    }

    @Test
    void aTwoEstimateBlipIsMergedSoEveryStageSpansAtLeastThree() {
        // A steady rise with a single sharp dip: the dip is significant but spans two estimates.
        List<Stage> stages = stages(12, i -> i == 6 ? 0 : i, 0.01);

        assertThat(stages).allSatisfy(s -> assertThat(s.estimates()).isGreaterThanOrEqualTo(3));
        assertThat(stages.get(stages.size() - 1).end()).isEqualTo(110);
    }

    @Test
    void fewerThanThreeEstimatesHaveNoStageAndNonFiniteOnesAreLeftOut() {
        assertThat(stages(2, i -> i, 0.01)).isEmpty();
        assertThat(Stages.find(new long[0], new double[0], new double[0])).isEmpty();

        List<Stage> stages = Stages.of(List.of(record(0, 1, 0.1, 0), record(10, Double.NaN, 0.1, 0),
                record(20, 5, 0.1, 0), record(30, 9, 0.1, 0)));
        assertThat(stages).extracting(Stage::kind).containsExactly(Stage.Kind.RISING);
        assertThat(stages.get(0).estimates()).isEqualTo(3);
    }

    @Test
    void aRecalibrationEndsTheStagesOfItsSegment() {
        // Segment 0 rises over 4 estimates; segment 1 starts far lower (other settings) and rises again.
        List<LlcRecord> records = IntStream.range(0, 8).mapToObj(i -> record(10L * i, i < 4 ? i : i - 10, 0.01,
                i < 4 ? 0 : 1)).toList();

        List<Stage> stages = Stages.of(records);

        assertThat(stages).extracting(Stage::kind).containsExactly(Stage.Kind.RISING, Stage.Kind.RISING);
        assertThat(stages).extracting(Stage::start).containsExactly(0L, 40L);
    }

    @Test
    void zeroStandardErrorsMakeEveryChangeCount() {
        List<Stage> stages = stages(6, i -> i < 3 ? i : 5 - i, 0);

        assertThat(stages).extracting(Stage::kind).containsExactly(Stage.Kind.RISING, Stage.Kind.FALLING);
    }

    /** Stages of n estimates at iterations 0, 10, 20, ... with the given values and one standard error. */
    private static List<Stage> stages(int n, IntToDoubleFunction value, double se) {
        long[] x = IntStream.range(0, n).mapToLong(i -> 10L * i).toArray();
        double[] y = IntStream.range(0, n).mapToDouble(value).toArray();
        double[] errors = new double[n];
        Arrays.fill(errors, se);
        return Stages.find(x, y, errors);
    }

    private static LlcRecord record(long iteration, double mean, double se, int segment) {
        return SegmentRecords.llc(iteration, mean, se, segment);
    }
}
