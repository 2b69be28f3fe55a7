package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
                "--thinning", "2");
        LlcConfig apiNames = parse("--training-set-size", "1000", "--step-size", "1e-3", "--localization", "50",
                "--burn-in-steps", "7", "--steps-between-draws", "2");

        assertThat(apiNames).isEqualTo(shortNames);
        assertThat(apiNames.stepSize()).isEqualTo(1e-3);
        assertThat(apiNames.localization()).isEqualTo(50);
        assertThat(apiNames.burnInSteps()).isEqualTo(7);
        assertThat(apiNames.stepsBetweenDraws()).isEqualTo(2);
        assertThat(apiNames.trainingSetSize()).hasValue(1000L);
    }
}
