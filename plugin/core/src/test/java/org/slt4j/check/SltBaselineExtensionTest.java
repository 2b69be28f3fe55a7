package org.slt4j.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slt4j.report.RunHistory;

/**
 * The extension on real JUnit runs: sample test classes (below) executed by the Jupiter engine through the
 * EngineTestKit, with the baseline directory and the CI switch passed as configuration parameters.
 */
class SltBaselineExtensionTest {
    private static final String SAMPLE_PARAMETER = "slt4j.test.sample";
    private static final RunHistory RECORDED = Runs.run().loss(10, 0.5).llc(10, 4.0, 0.25).scan(10, 32, 0, 3.0)
            .history();
    private static final RunHistory NOISY = Runs.run().loss(10, 0.51).llc(10, 4.4, 0.25).scan(10, 32, 1, 3.1)
            .history();
    private static final RunHistory REGRESSED = Runs.run().loss(10, 0.5).llc(10, 7.0, 0.25).scan(10, 32, 8, 3.0)
            .history();

    /** The run the sample tests hand to the extension. */
    static RunHistory handed;

    @TempDir
    Path dir;

    @Test
    void theFirstRunRecordsTheBaselineAndLaterRunsWithinNoiseAreCheckedAndPass() throws IOException {
        Path file = dir.resolve(HandsItsRun.class.getName()).resolve("trains.json");

        EngineExecutionResults first = execute(HandsItsRun.class, RECORDED, false, false);
        String recorded = Files.readString(file);
        EngineExecutionResults second = execute(HandsItsRun.class, NOISY, false, false);

        first.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        assertThat(first.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get("slt4j.baseline")))
                .containsExactly("recorded 6 metrics into " + file);
        assertThat(RunBaseline.read(file).entries()).extracting(RunBaseline.Entry::metric)
                .containsExactlyElementsOf(RunBaseline.defaultMetrics(RECORDED));
        assertThat(RunBaseline.read(file).source()).isEqualTo("HandsItsRun.trains");
        second.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        assertThat(second.allEvents().reportingEntryPublished().count()).isZero();
        assertThat(Files.readString(file)).as("a check leaves the file alone").isEqualTo(recorded);
    }

    @Test
    void aRegressedRunFailsWithAMessageListingTheMetricsThatMoved() throws IOException {
        execute(HandsItsRun.class, RECORDED, false, false);

        EngineExecutionResults regressed = execute(HandsItsRun.class, REGRESSED, false, false);

        regressed.testEvents().assertStatistics(s -> s.started(1).succeeded(0).failed(1));
        Throwable failure = failure(regressed);
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage().lines().toList()).startsWith(
                "the run regressed against baseline " + dir.resolve(HandsItsRun.class.getName())
                        .resolve("trains.json") + ": 3 of 6 metrics moved beyond their tolerance",
                "  llc: expected 4 ± 0.25, found 7 ± 0.25 at iteration 10 (change +3, allowed 1.061)",
                "  layer0/EFFECTIVE_WIDTH: expected 32, found 24 at iteration 10 (change -8, allowed 3.2)",
                "  layer0/DEAD_FRACTION: expected 0, found 0.25 at iteration 10 (change +0.25, allowed 0.1)", "")
                .anySatisfy(line -> assertThat(line).matches("loss +0\\.5 +0\\.5 +0 +0\\.05 +ok"))
                .endsWith("After an intended change, rerun with -Dslt4j.recordBaselines=true and commit "
                        + dir.resolve(HandsItsRun.class.getName()).resolve("trains.json"));
    }

    @Test
    void inCiAMissingBaselineFailsAndIsNotRecorded() {
        EngineExecutionResults ci = execute(HandsItsRun.class, RECORDED, true, false);

        ci.testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(failure(ci)).isInstanceOf(AssertionError.class).hasMessageContaining("baseline " + dir
                .resolve(HandsItsRun.class.getName()).resolve("trains.json") + " is missing and is not recorded in CI");
        assertThat(dir.resolve(HandsItsRun.class.getName())).doesNotExist();
    }

    @Test
    void theRecordParameterReplacesAnExistingBaselineEvenInCi() throws IOException {
        execute(HandsItsRun.class, RECORDED, false, false);

        EngineExecutionResults rerecorded = execute(HandsItsRun.class, REGRESSED, true, true);
        EngineExecutionResults checked = execute(HandsItsRun.class, REGRESSED, true, false);

        rerecorded.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(RunBaseline.read(dir.resolve(HandsItsRun.class.getName()).resolve("trains.json")).entries()
                .get(0).expected()).as("llc").isEqualTo(7.0);
        checked.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void theAnnotationChoosesFileMetricsAndToleranceOfTheRecording() throws IOException {
        EngineExecutionResults results = execute(ChosenSettings.class, RECORDED, false, false);

        results.testEvents().assertStatistics(s -> s.succeeded(1));
        RunBaseline baseline = RunBaseline.read(dir.resolve("chosen/llc.json"));
        assertThat(baseline.entries()).containsExactly(new RunBaseline.Entry("llc", 4.0, 0.25, Tolerance.of(2, 0.2)),
                new RunBaseline.Entry("layer0/DEAD_FRACTION", 0, 0, Tolerance.of(2, 0.2).withAbsolute(0.2)));
    }

    @Test
    void aTestThatHandsNoRunFailsSayingSo() {
        EngineExecutionResults results = execute(HandsNoRun.class, RECORDED, false, false);

        results.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(failure(results)).hasMessage("the test forgets() took a RunUnderTest but handed it no run: call"
                + " run.set(history) after training");
    }

    @Test
    void aTestThatFailsByItselfIsNeitherCheckedNorRecorded() {
        EngineExecutionResults results = execute(FailsBeforeTheCheck.class, RECORDED, false, false);

        results.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(failure(results)).hasMessage("training failed");
        assertThat(dir.resolve(FailsBeforeTheCheck.class.getName())).doesNotExist();
    }

    @Test
    void testsWithoutTheParameterAreLeftAlone() {
        EngineExecutionResults results = execute(TakesNoRun.class, RECORDED, true, false);

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(dir.resolve(TakesNoRun.class.getName())).doesNotExist();
    }

    @Test
    void aSwitchThatIsNeitherTrueNorFalseFailsNamingIt() {
        EngineExecutionResults results = execute(HandsItsRun.class, RECORDED, "yes", "false");

        results.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(failure(results)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slt4j.ci must be true or false (got: 'yes')");
        assertThat(dir.resolve(HandsItsRun.class.getName())).doesNotExist();
    }

    private EngineExecutionResults execute(Class<?> sample, RunHistory run, boolean ci, boolean record) {
        return execute(sample, run, Boolean.toString(ci), Boolean.toString(record));
    }

    private EngineExecutionResults execute(Class<?> sample, RunHistory run, String ci, String record) {
        handed = run;
        Map<String, String> parameters = Map.of(SAMPLE_PARAMETER, "true",
                SltBaselineExtension.DIRECTORY_PROPERTY, dir.toString(), SltBaselineExtension.CI_PROPERTY, ci,
                SltBaselineExtension.RECORD_PROPERTY, record);
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).configurationParameters(parameters)
                .execute();
    }

    private static Throwable failure(EngineExecutionResults results) {
        List<Throwable> failures = results.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .toList();
        assertThat(failures).hasSize(1);
        return failures.get(0);
    }

    /** Runs the samples only inside {@link #execute}, not when a build or an IDE finds them. */
    static final class OnlyInTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(SAMPLE_PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by SltBaselineExtensionTest")
                    : ConditionEvaluationResult.disabled("a sample for SltBaselineExtensionTest");
        }
    }

    @SltBaseline
    @ExtendWith(OnlyInTestKit.class)
    static class HandsItsRun {
        @Test
        void trains(RunUnderTest run) {
            run.set(handed);
        }
    }

    @SltBaseline
    @ExtendWith(OnlyInTestKit.class)
    static class TakesNoRun {
        @Test
        void doesSomethingElse() {
            assertThat(handed).isNotNull();
        }
    }

    @ExtendWith({OnlyInTestKit.class, SltBaselineExtension.class})
    static class ChosenSettings {
        @Test
        @SltBaseline(value = "chosen/llc.json", metrics = {"llc", "layer0/DEAD_FRACTION"}, k = 2, relative = 0.2)
        void trains(RunUnderTest run) {
            run.set(handed);
        }
    }

    @SltBaseline
    @ExtendWith(OnlyInTestKit.class)
    static class HandsNoRun {
        @Test
        void forgets(RunUnderTest run) {
            assertThat(run).isNotNull();
        }
    }

    @SltBaseline
    @ExtendWith(OnlyInTestKit.class)
    static class FailsBeforeTheCheck {
        @Test
        void trains(RunUnderTest run) {
            run.set(handed);
            throw new AssertionError("training failed");
        }
    }
}
