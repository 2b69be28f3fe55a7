package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slt4j llc}: automatic and given settings, reliability in the output, {@code --strict}. */
class LlcCommandTest {

    @TempDir
    static Path dir;
    static Path classifier;
    static Path blobs;
    static Path minimum;

    @BeforeAll
    static void files() throws IOException {
        classifier = CliFixtures.classifierZip(dir);
        blobs = CliFixtures.blobsCsv(dir, 48);
        minimum = CliFixtures.minimumZip(dir);
    }

    /** llc of the small classifier on blobs, two chains, with the given options. */
    private static CliRun classifier(Object... options) {
        List<Object> args = new ArrayList<>(List.of("llc", "--model", classifier, "--data", blobs, "--classes", "3",
                "--chains", "2", "--batch-size", "16"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray());
    }

    /**
     * llc of the reduced rank regression at its exact minimum (full batch, settings that suit it) with automatic
     * burn-in and draws to a 10% standard error: an easy, reliable estimate.
     */
    private static CliRun easy(Object... options) {
        List<Object> args = new ArrayList<>(List.of("llc", "--model", minimum, "--data", dir.resolve("teacher.csv"),
                "--targets", "3", "--n", "10000", "--batch-size", "500", "--chains", "2", "--eps", "3e-4", "--gamma",
                "10", "--target-error", "0.1", "--max-steps-per-chain", "20000"));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray());
    }

    private static JsonObject json(CliRun run) {
        return JsonParser.parseString(run.out()).getAsJsonObject();
    }

    private static List<String> strings(JsonArray array) {
        return array.asList().stream().map(JsonElement::getAsString).toList();
    }

    @Test
    void withoutStepSizeLocalizationBurnInOrDrawsAllFourAreAutomaticAndResolvedInTheJson() {
        CliRun run = classifier("--json", "--max-steps-per-chain", "100");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        JsonObject json = json(run);
        JsonObject config = json.getAsJsonObject("config");
        assertThat(config.get("stepSize").getAsDouble()).isPositive();
        assertThat(config.get("localization").getAsDouble()).isNotNegative();
        assertThat(config.get("burnInSteps").getAsInt()).isNotNegative();
        assertThat(config.get("draws").getAsInt()).isPositive();
        assertThat(config.get("maxStepsPerChain").getAsLong()).isEqualTo(100);
        JsonObject tuning = json.getAsJsonObject("tuning");
        assertThat(strings(tuning.getAsJsonArray("automatic")))
                .containsExactlyInAnyOrder("STEP_SIZE", "LOCALIZATION", "BURN_IN_STEPS", "DRAWS");
        assertThat(tuning.get("calibration").getAsString()).isNotBlank();
        assertThat(tuning.get("drawsStop").getAsString()).isIn("TARGET_REACHED", "STEP_CAP", "NEGATIVE");
        assertThat(json.getAsJsonObject("calibration").getAsJsonArray("rows")).isNotEmpty();
        assertThat(json.has("reliable")).isTrue();
        assertThat(run.err()).contains("Calibrating the step size and localization").contains("calibration: ")
                .contains("automatic: step size, localization, burn-in, draws (at most 100 steps per chain)");
    }

    @Test
    void givenSettingsAreUsedExactlyWithoutCalibration() {
        CliRun run = classifier("--json", "--eps", "1e-4", "--gamma", "50", "--burn-in", "7", "--draws", "13");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        JsonObject json = json(run);
        JsonObject config = json.getAsJsonObject("config");
        assertThat(config.get("stepSize").getAsDouble()).isEqualTo(1e-4);
        assertThat(config.get("localization").getAsDouble()).isEqualTo(50);
        assertThat(config.get("burnInSteps").getAsInt()).isEqualTo(7);
        assertThat(config.get("draws").getAsInt()).isEqualTo(13);
        assertThat(json.getAsJsonArray("chains")).allSatisfy(c -> assertThat(c.getAsJsonObject().get("draws")
                .getAsInt()).isEqualTo(13));
        JsonObject tuning = json.getAsJsonObject("tuning");
        assertThat(tuning.getAsJsonArray("automatic")).isEmpty();
        assertThat(tuning.get("drawsStop").getAsString()).isEqualTo("FIXED");
        assertThat(json.has("calibration")).isFalse();
        assertThat(run.err()).doesNotContain("Calibrating").contains("every setting given");
    }

    @Test
    void theSummaryShowsTheResolvedSettingsWhatEndedTheDrawsAndTheSeed() {
        CliRun run = classifier("--eps", "1e-4", "--gamma", "50", "--burn-in", "7", "--max-steps-per-chain", "300",
                "--seed", "9");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out()).containsPattern("(?m)^LLC +-?[0-9.e-]+ ± [0-9.e-]+ \\(SE, [0-9.]+%\\)  ")
                .containsPattern("(?m)^sampling   step size 1.000e-04, localization 50, burn-in 7 steps, "
                        + "draws [0-9]+ \\(automatic\\), seed 9$")
                .contains("draws      ended by ").contains("seed=9").doesNotContain("Optional").doesNotContain("=auto");
    }

    @Test
    void strictExitsWithOneOnAnUnreliableEstimateAfterPrintingItWithItsWarnings() {
        // 300 steps cannot bring the standard error to 0.1% of the estimate: the step cap ends the draws.
        Object[] unreachable = {"--strict", "--eps", "1e-4", "--gamma", "50", "--burn-in", "10",
            "--max-steps-per-chain", "300", "--target-error", "0.001"};

        CliRun text = classifier(unreachable);
        CliRun json = classifier(append(unreachable, "--json"));

        assertThat(text.exitCode()).as(text.toString()).isEqualTo(SltCli.EXIT_UNRELIABLE);
        assertThat(text.out()).containsPattern("(?m)^LLC .*UNRELIABLE \\([0-9]+ warnings?\\)$")
                .containsPattern("(?m)^UNRELIABLE: .*step cap").contains("ended by STEP_CAP");
        assertThat(text.err()).doesNotContain("error:");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(SltCli.EXIT_UNRELIABLE);
        assertThat(json(json).get("reliable").getAsBoolean()).isFalse();
        assertThat(json(json).getAsJsonObject("tuning").get("drawsStop").getAsString()).isEqualTo("STEP_CAP");
        assertThat(strings(json(json).getAsJsonArray("warnings")))
                .hasSize(text.out().lines().filter(l -> l.startsWith("UNRELIABLE: ")).toList().size());
    }

    @Test
    void strictExitsWithZeroOnAReliableEstimateWhoseSummarySaysNothingUnreliable() {
        CliRun text = easy("--strict");
        CliRun json = easy("--strict", "--json");

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(json(json).get("reliable").getAsBoolean()).as(json.out()).isTrue();
        assertThat(json(json).getAsJsonObject("tuning").get("drawsStop").getAsString()).isEqualTo("TARGET_REACHED");
        assertThat(text.exitCode()).as(text.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(text.out()).containsPattern("(?m)^LLC .*  reliable$").doesNotContain("UNRELIABLE")
                .contains("ended by TARGET_REACHED");
    }

    @Test
    void withoutStrictAnUnreliableEstimateExitsWithZero() {
        CliRun run = classifier("--eps", "1e-4", "--gamma", "50", "--burn-in", "10", "--max-steps-per-chain", "300",
                "--target-error", "0.001");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out()).contains("UNRELIABLE: ");
    }

    @Test
    void aTimeLimitEndsTheDrawsAndMarksTheEstimateNotReproducible() {
        Object[] limited = {"--eps", "1e-4", "--gamma", "50", "--burn-in", "10", "--target-error", "0.001",
            "--time-limit", "1ms"};

        CliRun text = classifier(limited);
        CliRun json = classifier(append(limited, "--json"));

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(json(json).getAsJsonObject("tuning").get("drawsStop").getAsString()).isEqualTo("TIME_LIMIT");
        assertThat(json(json).getAsJsonObject("config").get("timeLimit").getAsString()).isEqualTo("PT0.001S");
        assertThat(json(json).get("reliable").getAsBoolean()).isFalse();
        assertThat(text.out()).contains("ended by TIME_LIMIT").contains("not reproducible")
                .containsPattern("(?m)^UNRELIABLE: .*time limit");
    }

    @Test
    void aMalformedTimeLimitIsBadInput() {
        CliRun run = classifier("--time-limit", "soon");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--time-limit").contains("'soon' is not a duration");
    }

    @Test
    void sweepingAGivenSettingIsBadInput() {
        CliRun run = classifier("--eps", "1e-4", "--calibration-eps", "1e-3,1e-4");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("slt4j llc: error: --calibration-eps cannot be combined with --eps: "
                + "a given step size is used exactly, not calibrated");
    }

    @Test
    void oneChainNeedsAGivenStepSizeAndLocalization() {
        CliRun automatic = classifier("--chains", "1");
        CliRun given = classifier("--chains", "1", "--eps", "1e-4", "--gamma", "50", "--burn-in", "5", "--draws", "5");

        assertThat(automatic.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(automatic.err()).contains("calibrated with at least 2 chains (got --chains 1)");
        assertThat(given.exitCode()).as(given.toString()).isEqualTo(SltCli.EXIT_OK);
    }

    @Test
    void helpDocumentsTheAutomaticSettingsStrictAndTheTimeLimit() {
        CliRun run = CliRun.of("llc", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().replaceAll("\\s+", " ")).contains("--strict").contains("--target-error")
                .contains("--max-steps-per-chain")
                .contains("--time-limit").contains("NOT reproducible").contains("automatic")
                .contains("with --strict: the estimate is unreliable").doesNotContain("--calibrate ")
                .doesNotContain("--calibration-draws");
    }

    private static Object[] append(Object[] args, Object... more) {
        List<Object> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray();
    }
}
