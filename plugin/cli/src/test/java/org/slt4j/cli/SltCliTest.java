package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SltCliTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path graph;
    static Path csv;

    @BeforeAll
    static void files() throws IOException {
        model = CliFixtures.classifierZip(dir);
        graph = CliFixtures.graphZip(dir);
        csv = CliFixtures.blobsCsv(dir, 48);
    }

    private static Object[] llc(Object... extra) {
        return llcWith(CliFixtures.FAST, extra);
    }

    private static Object[] llcWith(String[] settings, Object... extra) {
        List<Object> args = new java.util.ArrayList<>(List.of("llc", "--model", model, "--data", csv,
                "--classes", "3"));
        args.addAll(List.of((Object[]) settings));
        args.addAll(List.of(extra));
        return args.toArray();
    }

    @Test
    void llcPrintsTheEstimateWithItsUncertaintyAndSettings() {
        CliRun run = CliRun.of(llc());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out()).containsPattern("LLC +-?[0-9.e-]+ ± [0-9.e-]+ \\(SE, [0-9.]+%\\)")
                .contains("diverged   0 of 2").contains("nBeta=").contains("(n=48)").contains("chains=2")
                .contains("seed=42");
        assertThat(run.err()).contains("Estimating the LLC").contains("MultiLayerNetwork").contains("48 rows");
    }

    @Test
    void llcCalibratesAnAutomaticStepSizeWithTheSweepOptionsAndReportsTheTableInTheJson() {
        CliRun run = CliRun.of(llcWith(CliFixtures.FAST_CALIBRATION, "--json", "--calibration-eps",
                "1e1,1e-3,5e-4,2.5e-4", "--calibration-gamma", "100"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonObject calibration = json.getAsJsonObject("calibration");
        assertThat(calibration.getAsJsonArray("rows")).isNotEmpty()
                .first().satisfies(row -> assertThat(row.getAsJsonObject().get("verdict").getAsString())
                        .contains("diverged"));
        assertThat(calibration.get("reason").getAsString()).isNotBlank();
        if (calibration.get("recommended").isJsonObject()) {
            assertThat(json.getAsJsonObject("config").get("stepSize").getAsDouble())
                    .isEqualTo(calibration.getAsJsonObject("recommended").get("stepSize").getAsDouble());
        }
        assertThat(json.getAsJsonObject("config").get("localization").getAsDouble()).isEqualTo(100);
        assertThat(run.err()).contains("Calibrating").contains("stepSize");
    }

    @Test
    void invalidCalibrationOptionsAreBadInput() {
        CliRun run = CliRun.of(llcWith(CliFixtures.FAST_CALIBRATION, "--calibration-eps", "1e-3,0"));

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo(
                "slt4j llc: error: invalid calibration option: stepSizes must be finite and > 0 (got: 0.0)");
    }

    @Test
    void llcJsonIsExactlyOneObjectWithTheKeyNumbersChainsAndConfig() {
        CliRun run = CliRun.of(llc("--json"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out().strip().lines()).hasSize(1);
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(json.keySet()).contains("mean", "std", "stderr", "standardError", "chains", "diverged", "config");
        assertThat(json.get("stderr")).isEqualTo(json.get("standardError"));
        assertThat(json.get("diverged").getAsInt()).isZero();
        assertThat(json.getAsJsonArray("chains")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getAsJsonObject().has("llc")).isTrue());
        assertThat(json.getAsJsonObject("config").get("trainingSetSize").getAsLong()).isEqualTo(48);
        assertThat(json.getAsJsonObject("config").get("chains").getAsInt()).isEqualTo(2);
    }

    @Test
    void symmetryJsonListsEveryLayerWithItsMetricsAndTheTotals() {
        CliRun run = CliRun.of("symmetry", "--model", model, "--data", csv, "--classes", "3", "--json");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out().strip().lines()).hasSize(1);
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(json.keySet()).contains("totalParameters", "removableDirections", "llcUpperBound",
                "totalEffectiveWidth", "layers");
        JsonObject layer = json.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertThat(layer.keySet()).contains("layerName", "units", "deadUnits", "duplicateClusters",
                "effectiveWidth", "numericalRank", "effectiveRank", "stableRank");
        assertThat(layer.get("units").getAsInt()).isEqualTo(8);
    }

    @Test
    void llcWorksOnAComputationGraph() {
        CliRun run = CliRun.of("llc", "--model", graph, "--data", csv, "--classes", "3", "--chains", "2",
                "--draws", "10", "--burn-in", "0", "--eps", "1e-4", "--gamma", "100");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.err()).contains("ComputationGraph");
    }

    @Test
    void symmetryPrintsEveryLayerAndTheNetworkTotals() {
        CliRun run = CliRun.of("symmetry", "--model", model, "--data", csv, "--classes", "3");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out()).contains("eff.width").containsPattern("(?m)^layer0 +DenseLayer/relu +8 ")
                .containsPattern("(?m)^layer1 +OutputLayer/softmax +3 ").contains("network: 67 parameters");
    }

    @Test
    void noCommandIsBadInputOnOneLine() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().lines()).hasSize(1).first().asString().contains("a command is required: llc");
    }

    @Test
    void missingRequiredOptionIsBadInputOnOneLine() {
        CliRun run = CliRun.of("llc", "--data", csv);

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().lines()).hasSize(1).first().asString().startsWith("slt4j llc: error: ")
                .contains("--model");
    }

    @Test
    void classesAndTargetsTogetherAreBadInput() {
        CliRun run = CliRun.of("llc", "--model", model, "--data", csv, "--classes", "3", "--targets", "1");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void missingModelIsBadInputWithoutStackTrace() {
        CliRun run = CliRun.of("llc", "--model", dir.resolve("nope.zip"), "--data", csv, "--classes", "3");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().lines()).containsExactly("slt4j llc: error: model file not found: "
                + dir.resolve("nope.zip"));
        assertThat(run.out()).isEmpty();
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = CliRun.of("llc", "--verbose", "--model", dir.resolve("nope.zip"), "--data", csv);

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("model file not found").contains("\tat org.slt4j.cli.SavedModel.load");
    }

    @Test
    void invalidEstimatorOptionIsBadInputNamingTheSetting() {
        CliRun run = CliRun.of(llc("--chains", "0"));

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("slt4j llc: error: invalid estimator option: chains must be >= 1"
                + " (got: 0)");
    }

    @Test
    void nonNumericOptionValueIsBadInput() {
        CliRun run = CliRun.of(llc("--eps", "small"));

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--eps").contains("small");
    }

    @Test
    void aBadValueIsReportedUnderTheOptionNameTyped() {
        CliRun run = CliRun.of(llcWith(CliFixtures.FAST_CALIBRATION, "--step-size", "small"));

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("'--step-size'").contains("small");
    }

    @Test
    void csvThatDoesNotFitTheModelIsBadInput() throws IOException {
        Path regression = CliFixtures.csv(dir, "regression.csv", List.of("1,2,3,4,0.5", "2,3,4,5,0.7"));

        CliRun run = CliRun.of("symmetry", "--model", model, "--data", regression);

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err().lines()).hasSize(1).first().asString()
                .contains("data does not fit the model").contains("check --classes/--targets");
    }

    @Test
    void malformedCsvIsBadInputNamingTheCell() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2,3,4,0\n1,2,x,4,1\n");

        CliRun run = CliRun.of("symmetry", "--model", model, "--data", bad, "--classes", "3");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("line 2, column 3: 'x' is not a number");
    }
}
