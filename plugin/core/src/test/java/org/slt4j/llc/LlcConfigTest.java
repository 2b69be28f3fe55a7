package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
                Arguments.of((UnaryOperator<LlcConfig.Builder>) b -> b.baseline(null), "baseline must not be null"));
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
