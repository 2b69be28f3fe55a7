package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.ChainResult;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SkipRecord;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;
import org.slt4j.testing.TinyNetworks;

/**
 * When a listener with automatic step size or localization calibrates: the estimator is a fake that counts the
 * calibrations and hands out canned ones (real calibrations of a quadratic) and canned estimates, so every rule is
 * checked exactly and fast.
 */
class LlcSegmentsTest {
    /** Step size and localization automatic: the listener calibrates. */
    private static final LlcConfig AUTOMATIC = new LlcConfig.Builder().trainingSetSize(Fixtures.EXAMPLES).chains(2)
            .threads(1).build();
    private static Calibration plateau;
    private static Calibration fallback;

    @TempDir
    Path dir;

    /** A calibration with a recommendation (a real one, of a quadratic). */
    private static synchronized Calibration plateau() {
        if (plateau == null) {
            // Room for each setting to reach the calibrator's standard error (a setting that cannot is not stable).
            LlcConfig base = new LlcConfig.Builder().nBeta(100).chains(4).maxStepsPerChain(60_000).threads(1).seed(1)
                    .build();
            Calibration calibration = new LlcCalibrator.Builder(base).stepSizes(1e-3, 5e-4, 2.5e-4).localizations(1)
                    .tolerance(0.5).build().calibrate(AnalyticSurfaces.quadratic(1, 1, 1));
            assertThat(calibration.recommended()).as(calibration.table()).isPresent();
            plateau = calibration;
        }
        return plateau;
    }

    /** A calibration without a plateau (every step size diverges): its fallback is used. */
    private static synchronized Calibration fallback() {
        if (fallback == null) {
            Calibration calibration = new LlcCalibrator.Builder(new LlcConfig.Builder().nBeta(1e6).chains(2)
                    .threads(1).build()).stepSizes(1e-2, 5e-3).localizations(1).build()
                    .calibrate(AnalyticSurfaces.quadratic(1, 1));
            assertThat(calibration.recommended()).as(calibration.table()).isEmpty();
            fallback = calibration;
        }
        return fallback;
    }

    /** What a fake estimate says about its chains. */
    enum Chains {
        FINE, R_HAT_HIGH, DIVERGED, NOT_STATIONARY, NOT_POSITIVE, TIME_LIMITED
    }

    /** An estimate whose chains are as given, with the warnings the estimator would give it. */
    private static LlcEstimate estimate(LlcConfig config, long dimension, Chains chains) {
        List<ChainResult> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            boolean diverged = chains == Chains.DIVERGED && i == 1;
            results.add(ChainResult.of(i, config.seed() + i, diverged ? Double.NaN : 3, 10, 20, 0.6, 0.5, 0.1, 10,
                    diverged ? "loss NaN at step 7" : null, new double[0], new double[0]));
        }
        double mean = chains == Chains.NOT_POSITIVE ? -1 : 3;
        double rHat = chains == Chains.R_HAT_HIGH ? 1.5 : 1.01;
        String burnIn = chains == Chains.NOT_STATIONARY ? "not stationary after 512 steps"
                : "stationary after 128 steps";
        List<String> warnings = switch (chains) {
            case FINE -> List.of();
            case R_HAT_HIGH -> List.of("R-hat 1.500 > 1.1: the chains disagree");
            case DIVERGED -> List.of("1 of 2 chains diverged and were excluded");
            case NOT_STATIONARY -> List.of("the loss traces were not stationary after the burn-in");
            case NOT_POSITIVE -> List.of("non-positive estimate -1");
            case TIME_LIMITED -> List.of("the standard error 0.05 is 1.7% of the estimate, above the target 1.0%: "
                    + "the time limit ended the draws; raise it");
        };
        return LlcEstimate.of(config, dimension, 30, 0.5, results, mean, 0.1, 0.05, rHat, 20, 0.1,
                Duration.ofMillis(1), warnings, new LlcEstimate.Tuning(AUTOMATIC.automatic(), "canned", burnIn,
                        !burnIn.startsWith("not stationary"), chains == Chains.TIME_LIMITED
                        ? LlcEstimate.DrawsStop.TIME_LIMIT : LlcEstimate.DrawsStop.FIXED, 0.05));
    }

    /** A fake estimator: counts calibrations and remembers which calibration every estimate was given. */
    private static final class Fake {
        final List<Long> calibratedAt = new ArrayList<>();
        final List<Calibration> given = new ArrayList<>();
        final List<Long> dimensions = new ArrayList<>();
        LongFunction<Calibration> calibrations = i -> plateau();
        LongFunction<Chains> chains = i -> Chains.FINE;

        Function<LlcConfig, LlcTask.Estimator> seam() {
            return config -> new LlcTask.Estimator() {
                private final long iteration = config.seed() - AUTOMATIC.seed();

                @Override
                public Calibration calibrate(LossSurface surface) {
                    calibratedAt.add(iteration);
                    return calibrations.apply(iteration);
                }

                @Override
                public LlcEstimate estimate(LossSurface surface, Calibration calibration) {
                    given.add(calibration);
                    dimensions.add(surface.dimension());
                    LlcConfig sampled = calibration == null ? config : calibration.chosen();
                    LlcConfig resolved = config.toBuilder().stepSize(sampled.stepSize().getAsDouble())
                            .localization(sampled.localization().getAsDouble()).burnInSteps(128).draws(10).build();
                    return LlcSegmentsTest.estimate(resolved, surface.dimension(), chains.apply(iteration));
                }
            };
        }
    }

    private static LlcListener.Builder listener(Fake fake) {
        return new LlcListener.Builder(Fixtures.held(), Fixtures.EXAMPLES).llcConfig(AUTOMATIC)
                .estimator(fake.seam()).llcSchedule(Schedule.never());
    }

    /** Runs the listener's diagnostics at these iterations (as on checkpoints: no training needed). */
    private static RunHistory measure(LlcListener listener, long... iterations) {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        for (long i : iterations) {
            listener.measure(net, i, 0, Double.NaN);
        }
        listener.close();
        return listener.history();
    }

    private static List<Integer> segments(RunHistory history) {
        return history.llcRecords().stream().map(LlcRecord::segment).toList();
    }

    @Test
    void theFirstEstimateCalibratesAndTheNextEstimatesOfItsSegmentAndTheLayersReuseThatCalibration() {
        Fake fake = new Fake();
        RunHistory history = measure(listener(fake).layerLlc("0").build(), 1, 2, 3);

        assertThat(fake.calibratedAt).containsExactly(1L);
        assertThat(segments(history)).containsExactly(0, 0, 0);
        assertThat(history.layerLlcRecords("layer0")).extracting(LlcRecord::segment).containsExactly(0, 0, 0);
        // Whole network (67 parameters) then layer 0 (40) at every iteration, all with the one calibration.
        assertThat(fake.dimensions).containsExactly(67L, 40L, 67L, 40L, 67L, 40L);
        assertThat(fake.given).hasSize(6).allSatisfy(c -> assertThat(c).isSameAs(plateau()));
        assertThat(history.header().orElseThrow().settings()).containsEntry("llc.calibration",
                "per segment (at most 8 per run)");
    }

    @ParameterizedTest
    @EnumSource(value = Chains.class, names = {"R_HAT_HIGH", "DIVERGED", "NOT_STATIONARY"})
    void anEstimateWhoseChainsSayTheLandscapeChangedStartsANewSegmentAtTheNextEstimate(Chains change) {
        Fake fake = new Fake();
        fake.chains = i -> i == 2 ? change : Chains.FINE;
        RunHistory history = measure(listener(fake).build(), 1, 2, 3, 5);

        assertThat(fake.calibratedAt).containsExactly(1L, 3L);
        assertThat(segments(history)).containsExactly(0, 0, 1, 1);
        assertThat(history.llcRecords().get(1).estimate().isReliable()).isFalse();
    }

    @Test
    void warningsThatSayNothingAboutTheCalibrationKeepTheSegment() {
        Fake fake = new Fake();
        fake.chains = i -> i == 2 ? Chains.NOT_POSITIVE : Chains.FINE;
        RunHistory history = measure(listener(fake).build(), 1, 2, 3);

        assertThat(fake.calibratedAt).containsExactly(1L);
        assertThat(segments(history)).containsExactly(0, 0, 0);
    }

    @Test
    void aCalibrationWithoutAPlateauIsRetriedAtTheNextEstimate() {
        Fake fake = new Fake();
        fake.calibrations = i -> i == 1 ? fallback() : plateau();
        RunHistory history = measure(listener(fake).build(), 1, 2, 3);

        assertThat(fake.calibratedAt).containsExactly(1L, 2L);
        assertThat(segments(history)).containsExactly(0, 1, 1);
        assertThat(fake.given).containsExactly(fallback(), plateau(), plateau());
    }

    @Test
    void withTheStepSizeGivenAFallbackIsKeptSinceASweepOfOneStepSizeCannotFindAPlateau() {
        Fake fake = new Fake();
        fake.calibrations = i -> fallback();
        RunHistory history = measure(listener(fake).llcConfig(AUTOMATIC.toBuilder().stepSize(1e-4).build()).build(),
                1, 2, 3);

        assertThat(fake.calibratedAt).containsExactly(1L);
        assertThat(segments(history)).containsExactly(0, 0, 0);
    }

    @Test
    void segmentsAlsoStartAtFourTimesTheIterationTheSegmentStartedAtAndRoundTripThroughJsonl() throws IOException {
        Fake fake = new Fake();
        Path file = dir.resolve("run.jsonl");
        RunHistory history = measure(listener(fake).sink(new JsonlSink(file)).build(), 0, 1, 3, 4, 10, 15, 16, 63,
                64);

        // Started at 0: again at 4 (4 x max(0, 1)), then at 16 and 64.
        assertThat(fake.calibratedAt).containsExactly(0L, 4L, 16L, 64L);
        assertThat(segments(history)).containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 3);
        assertThat(segments(RunHistory.readJsonl(file))).isEqualTo(segments(history));
    }

    @Test
    void aRunNeverCalibratesMoreThanEightTimes() {
        Fake fake = new Fake();
        fake.chains = i -> Chains.R_HAT_HIGH;
        RunHistory history = measure(listener(fake).build(), LongStream.rangeClosed(1, 20).toArray());

        assertThat(LlcTask.MAX_CALIBRATIONS).isEqualTo(8);
        assertThat(fake.calibratedAt).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(segments(history)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7);
    }

    @Test
    void withStepSizeAndLocalizationSetNothingIsCalibratedAndEveryRecordIsSegmentZero() {
        Fake fake = new Fake();
        LlcConfig fixed = AUTOMATIC.toBuilder().stepSize(1e-4).localization(100).build();
        RunHistory history = measure(listener(fake).llcConfig(fixed).build(), 1, 2, 8, 40);

        assertThat(fake.calibratedAt).isEmpty();
        assertThat(fake.given).hasSize(4).containsOnlyNulls();
        assertThat(segments(history)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void aFailedCalibrationIsRecordedAsAFailureAndTriedAgainAtTheNextEstimate() {
        Fake fake = new Fake();
        fake.calibrations = i -> {
            if (i == 10 || i == 13) {
                throw new IllegalStateException("injected calibration fault at " + i);
            }
            return plateau();
        };
        fake.chains = i -> i == 12 ? Chains.R_HAT_HIGH : Chains.FINE;
        RunHistory history = measure(listener(fake).build(), 10, 11, 12, 13, 14);

        assertThat(history.failures()).extracting(FailureRecord::iteration).containsExactly(10L, 13L);
        assertThat(history.failures().get(0).message()).isEqualTo("injected calibration fault at 10");
        // The first estimate's calibration is retried at 11; the recalibration asked for by 12 at 13, then at 14.
        assertThat(fake.calibratedAt).containsExactly(10L, 11L, 13L, 14L);
        assertThat(history.llcRecords()).extracting(LlcRecord::iteration).containsExactly(11L, 12L, 14L);
        assertThat(segments(history)).containsExactly(0, 0, 1);
    }

    @Test
    void underABudgetEachRunIsLimitedToItsAllowanceAndARunCutShortDoublesTheNextPrediction() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Fake fake = new Fake();
        List<LlcConfig> given = new ArrayList<>();
        // Estimates take 1 s; those given a time limit run out of it.
        fake.chains = i -> i == 0 ? Chains.FINE : Chains.TIME_LIMITED;
        LlcListener listener = listener(fake).estimator(timed(fake, clock, 0, given)).clock(clock)
                .overheadBudget(0.5).llcSchedule(Schedule.everyNIterations(1)).build();
        RunHistory history = train(listener, clock, 2);

        // Iteration 0 (0 s elapsed): nothing predicts this fake's cost, so it runs without a limit, and takes 1 s.
        // Iteration 1 (2 s): 1 + 1 > 0.5 x (2 + 1), skipped. Iteration 2 (3 s): 1 + 1 <= 0.5 x (3 + 1); it may take
        // c with 1 + c <= 0.5 x (3 + c): 1 s, which it runs out of. Cut short, it predicts the next at 2 s: iteration
        // 3 (5 s) is skipped, since 2 + 2 > 0.5 x (5 + 2), and iteration 4 (6 s) gets 2 + c <= 0.5 x (6 + c): 2 s.
        assertThat(given.get(0).timeLimit()).as("the calibration at iteration 0").isEmpty();
        assertThat(given.get(1).timeLimit()).as("the estimate at iteration 0").isEmpty();
        List<LlcRecord> records = history.llcRecords();
        assertThat(records).extracting(LlcRecord::iteration).startsWith(0L, 2L, 4L);
        assertThat(records.get(0).estimate().config().timeLimit()).isEmpty();
        assertThat(records.get(1).estimate().config().timeLimit()).hasValue(Duration.ofSeconds(1));
        assertThat(records.get(1).estimate().tuning().reproducible()).isFalse();
        assertThat(records.get(2).estimate().config().timeLimit()).hasValue(Duration.ofSeconds(2));
        assertThat(history.skips()).extracting(SkipRecord::iteration).startsWith(1L, 3L);
        assertThat(history.skips().get(0).detail()).startsWith("spent 1.000 s + predicted 1.000 s");
        assertThat(history.skips().get(1).detail()).startsWith("spent 2.000 s + predicted 2.000 s");
    }

    @Test
    void theCalibrationsTimeCountsAgainstTheOverheadBudget() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Fake fake = new Fake();
        LlcListener listener = listener(fake).estimator(timed(fake, clock, 20, new ArrayList<>())).clock(clock)
                .overheadBudget(0.1).llcSchedule(Schedule.everyNIterations(1)).build();
        RunHistory history = train(listener, clock, 50);

        // The first estimate calibrates (20 s + 1 s); the next fits 0.1 of wall time only after about 400 s, so none
        // of the 300 iterations gets one. Had the calibration been free, an estimate would run every ~20 s.
        assertThat(history.llcRecords()).hasSize(1);
        assertThat(history.skips()).hasSize(299);
        assertThat(history.skips().get(0).reason()).isEqualTo(SkipRecord.Reason.OVER_BUDGET);
        assertThat(history.skips().get(0).detail()).startsWith("spent 21.000 s");
    }

    /**
     * The fake estimator on the manual clock: a calibration takes {@code calibrationSeconds}, an estimate 1 s; the
     * configuration of each goes to {@code given}.
     */
    private static Function<LlcConfig, LlcTask.Estimator> timed(Fake fake, Fixtures.ManualClock clock,
            long calibrationSeconds, List<LlcConfig> given) {
        return config -> {
            LlcTask.Estimator inner = fake.seam().apply(config);
            return new LlcTask.Estimator() {
                @Override
                public Calibration calibrate(LossSurface surface) {
                    given.add(config);
                    clock.advance(Duration.ofSeconds(calibrationSeconds));
                    return inner.calibrate(surface);
                }

                @Override
                public LlcEstimate estimate(LossSurface surface, Calibration calibration) {
                    given.add(config);
                    clock.advance(Duration.ofSeconds(1));
                    return inner.estimate(surface, calibration);
                }
            };
        };
    }

    /** Trains the tiny classifier with the listener, one second of the clock per iteration; closes the listener. */
    private static RunHistory train(LlcListener listener, Fixtures.ManualClock clock, int epochs) {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                clock.advance(Duration.ofSeconds(1));
            }
        }, listener);
        net.fit(Fixtures.training(), epochs);
        listener.close();
        return listener.history();
    }
}
