package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slt4j.llc.LlcConfig.Setting;

class LlcConfigTest {

    @Test
    void nBetaDefaultsToNOverLogNOfTheTrainingSetSize() {
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(10_000).build();
        assertThat(config.nBeta()).isCloseTo(10_000 / Math.log(10_000), within(1e-9));
        assertThat(config.trainingSetSize()).hasValue(10_000);
    }

    @Test
    void anExplicitNBetaOverridesTheTrainingSetSize() {
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(10_000).nBeta(50).build();
        assertThat(config.nBeta()).isEqualTo(50);
        assertThat(config.trainingSetSize()).isEmpty();
    }

    @Test
    void toBuilderRoundTripsEverySetting() {
        LlcConfig config = new LlcConfig.Builder().nBeta(12).stepSize(3e-5).localization(7).weightDecay(0.1).chains(3)
                .burnInSteps(9).draws(11).stepsBetweenDraws(2).batchSize(5).seed(99).threads(2)
                .baseline(Baseline.INIT).keepTraces(false).build();
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.automatic()).isEmpty();
    }

    @Test
    void stepSizeLocalizationBurnInAndDrawsAreAutomaticByDefault() {
        LlcConfig config = new LlcConfig.Builder().nBeta(10).build();

        assertThat(config.automatic()).containsExactlyInAnyOrder(Setting.values());
        assertThat(config.stepSize()).isEmpty();
        assertThat(config.localization()).isEmpty();
        assertThat(config.burnInSteps()).isEmpty();
        assertThat(config.draws()).isEmpty();
        assertThat(config.targetRelativeError()).isEqualTo(0.02);
        assertThat(config.maxStepsPerChain()).isEqualTo(40_000);
        assertThat(config.timeLimit()).isEmpty();
        assertThat(config.toString()).contains("stepSize=auto", "localization=auto", "burnInSteps=auto", "draws=auto");
    }

    @Test
    void aSetValueIsUsedExactlyAndOnlyTheOthersStayAutomatic() {
        LlcConfig config = new LlcConfig.Builder().nBeta(10).stepSize(3e-5).draws(7).build();

        assertThat(config.stepSize()).hasValue(3e-5);
        assertThat(config.draws()).hasValue(7);
        assertThat(config.automatic()).containsExactlyInAnyOrder(Setting.LOCALIZATION, Setting.BURN_IN_STEPS);
        assertThat(new LlcConfig.Builder().nBeta(10).localization(0).burnInSteps(0).build().automatic())
                .as("zero is a value, not automatic").containsExactlyInAnyOrder(Setting.STEP_SIZE, Setting.DRAWS);
    }

    @Test
    void automaticMakesSetSettingsAutomaticAgain() {
        LlcConfig.Builder builder = new LlcConfig.Builder().nBeta(10).stepSize(1e-3).localization(2).burnInSteps(5)
                .draws(6);
        LlcConfig fixed = builder.build();

        LlcConfig partly = builder.automatic(Setting.STEP_SIZE, Setting.DRAWS).build();
        LlcConfig again = fixed.toBuilder().automatic(Setting.values()).build();

        assertThat(fixed.automatic()).isEmpty();
        assertThat(partly.automatic()).containsExactlyInAnyOrder(Setting.STEP_SIZE, Setting.DRAWS);
        assertThat(partly.localization()).hasValue(2);
        assertThat(partly.burnInSteps()).hasValue(5);
        assertThat(again).isEqualTo(new LlcConfig.Builder().nBeta(10).threads(fixed.threads()).build());
        assertThat(new LlcConfig.Builder().nBeta(10).automatic().build().automatic()).hasSize(4);
    }

    @Test
    void toBuilderRoundTripsAutomaticSettingsAndTheStoppingRules() {
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(500).localization(3).chains(3)
                .targetRelativeError(0.05).maxStepsPerChain(1_000).timeLimit(Duration.ofSeconds(30)).seed(8).build();

        LlcConfig copy = config.toBuilder().build();

        assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config).hasToString(config.toString());
        assertThat(copy.automatic()).containsExactlyInAnyOrder(Setting.STEP_SIZE, Setting.BURN_IN_STEPS,
                Setting.DRAWS);
        assertThat(copy.trainingSetSize()).hasValue(500);
        assertThat(copy.timeLimit()).hasValue(Duration.ofSeconds(30));
        assertThat(copy.targetRelativeError()).isEqualTo(0.05);
        assertThat(copy.maxStepsPerChain()).isEqualTo(1_000);
    }

    @Test
    void configsDifferingInWhetherASettingIsAutomaticOrInAStoppingRuleAreNotEqual() {
        LlcConfig config = new LlcConfig.Builder().nBeta(10).stepSize(1e-3).threads(1).build();

        assertThat(List.of(config.toBuilder().automatic(Setting.STEP_SIZE).build(),
                config.toBuilder().localization(0).build(), config.toBuilder().burnInSteps(0).build(),
                config.toBuilder().draws(1).build(), config.toBuilder().targetRelativeError(0.03).build(),
                config.toBuilder().maxStepsPerChain(20_001).build(),
                config.toBuilder().timeLimit(Duration.ofDays(1)).build()))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(config));
    }

    @Test
    void aBurnInThatFillsTheStepCapIsAllowedOnlyWithSetDraws() {
        assertThat(new LlcConfig.Builder().nBeta(10).burnInSteps(99).maxStepsPerChain(100).build().draws()).isEmpty();
        assertThat(new LlcConfig.Builder().nBeta(10).burnInSteps(500).draws(10).maxStepsPerChain(100).build()
                .burnInSteps()).hasValue(500);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.stepSize(0), "stepSize must be finite and > 0 (got: 0.0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.stepSize(Double.NaN), "stepSize must be finite and > 0 (got: NaN)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.localization(-1), "localization must be finite and >= 0 (got: -1.0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.weightDecay(-0.5), "weightDecay must be finite and >= 0 (got: -0.5)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.chains(0), "chains must be >= 1 (got: 0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.burnInSteps(-1), "burnInSteps must be >= 0 (got: -1)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.draws(0), "draws must be >= 1 (got: 0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.stepsBetweenDraws(0), "stepsBetweenDraws must be >= 1 (got: 0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.batchSize(0), "batchSize must be >= 1 (got: 0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.threads(0), "threads must be >= 1 (got: 0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.nBeta(-2), "nBeta must be finite and > 0 (got: -2.0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.trainingSetSize(1), "trainingSetSize must be >= 2 (got: 1)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.baseline(null), "baseline must not be null"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.targetRelativeError(0), "targetRelativeError must be in (0, 1) (got: 0.0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.targetRelativeError(1), "targetRelativeError must be in (0, 1) (got: 1.0)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.targetRelativeError(Double.NaN), "targetRelativeError must be in (0, 1) (got: NaN)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.maxStepsPerChain(99), "maxStepsPerChain must be >= 100 (got: 99)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.timeLimit(Duration.ZERO), "timeLimit must be positive (got: PT0S)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.timeLimit(Duration.ofSeconds(-1)), "timeLimit must be positive (got: PT-1S)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.burnInSteps(100).maxStepsPerChain(100), "burnInSteps + stepsBetweenDraws must be <= maxStepsPerChain when draws are automatic (got: 100 + 1 > 100)"),
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.burnInSteps(95).stepsBetweenDraws(10).maxStepsPerChain(100), "burnInSteps + stepsBetweenDraws must be <= maxStepsPerChain when draws are automatic (got: 95 + 10 > 100)"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidSettingsFailAtBuildNamingSettingRuleAndValue(UnaryOperator<LlcConfig.Builder> change, String message) {
        LlcConfig.Builder builder = change.apply(new LlcConfig.Builder().trainingSetSize(100));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void neitherTrainingSetSizeNorNBetaIsAnError() {
        assertThatThrownBy(() -> new LlcConfig.Builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trainingSetSize (or nBeta) must be set (got: neither)");
    }
}
