package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slt4j.llc.LlcConfig;
import picocli.CommandLine;

class EstimatorOptionsTest {

    private static LlcConfig parse(String... args) {
        EstimatorOptions options = new EstimatorOptions();
        new CommandLine(options).parseArgs(args);
        return options.config(100);
    }

    @Test
    void theLlcConfigNamesAreAliasesOfTheShortNames() {
        LlcConfig shortNames = parse("--n", "1000", "--eps", "1e-3", "--gamma", "50", "--burn-in", "7",
                "--thinning", "2", "--target-error", "0.1");
        LlcConfig apiNames = parse("--training-set-size", "1000", "--step-size", "1e-3", "--localization", "50",
                "--burn-in-steps", "7", "--steps-between-draws", "2", "--target-relative-error", "0.1");

        assertThat(apiNames).isEqualTo(shortNames);
        assertThat(apiNames.stepSize()).hasValue(1e-3);
        assertThat(apiNames.localization()).hasValue(50);
        assertThat(apiNames.burnInSteps()).hasValue(7);
        assertThat(apiNames.stepsBetweenDraws()).isEqualTo(2);
        assertThat(apiNames.targetRelativeError()).isEqualTo(0.1);
        assertThat(apiNames.trainingSetSize()).hasValue(1000L);
    }

    @Test
    void settingsNotGivenStayAutomatic() {
        LlcConfig config = parse();

        assertThat(config.automatic()).containsExactlyInAnyOrder(LlcConfig.Setting.values());
        assertThat(config).isEqualTo(new LlcConfig.Builder().trainingSetSize(100).keepTraces(false).build());
    }

    @Test
    void givenSettingsAreUsedExactlyAndTheOthersStayAutomatic() {
        LlcConfig config = parse("--eps", "2e-4", "--draws", "33", "--max-steps-per-chain", "5000", "--time-limit",
                "90s");

        assertThat(config.stepSize()).hasValue(2e-4);
        assertThat(config.draws()).hasValue(33);
        assertThat(config.automatic()).containsExactlyInAnyOrder(LlcConfig.Setting.LOCALIZATION,
                LlcConfig.Setting.BURN_IN_STEPS);
        assertThat(config.maxStepsPerChain()).isEqualTo(5000);
        assertThat(config.timeLimit()).hasValue(Duration.ofSeconds(90));
    }

    @Test
    void aTimeLimitIsWrittenWithUnitsOrInIso8601() {
        EstimatorOptions.DurationConverter converter = new EstimatorOptions.DurationConverter();

        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2M")).isEqualTo(Duration.ofMinutes(2));
        for (String bad : new String[] {"", "30", "s", "thirty seconds", "30s5", "PT", "1d"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("is not a duration");
        }
    }
}
