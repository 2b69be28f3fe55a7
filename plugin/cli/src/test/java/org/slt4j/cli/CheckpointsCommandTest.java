package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHistory;
import org.slt4j.report.RunHeader;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.report.TrainingRecord;

class CheckpointsCommandTest {

    @TempDir
    static Path dir;
    static Path checkpoints;
    static Path csv;

    @BeforeAll
    static void files() throws IOException {
        checkpoints = CliFixtures.checkpointDir(dir);
        csv = CliFixtures.blobsCsv(dir, 48);
    }

    @Test
    void writesAHeaderThenLossLlcAndSymmetryPerCheckpointInIterationOrder() throws IOException {
        Path out = dir.resolve("curve.jsonl");

        CliRun run = CliRun.of("checkpoints", "--dir", checkpoints, "--data", csv, "--classes", "3", "--chains", "2",
                "--draws", "10", "--burn-in", "5", "--max-steps-per-chain", "100", "--out", out);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> records = Files.readAllLines(out).stream().map(RecordJson::decode).toList();
        assertThat(records.get(0)).isInstanceOfSatisfying(RunHeader.class, h -> {
            assertThat(h.modelType()).isEqualTo("MultiLayerNetwork");
            assertThat(h.trainingSetSize()).isEqualTo(48);
        });
        assertThat(records.stream().filter(LlcRecord.class::isInstance).map(r -> ((TrainingRecord) r).iteration()))
                .containsExactly(5L, 10L, 15L);
        assertThat(records.stream().filter(SymmetryRecord.class::isInstance)).hasSize(3);
        assertThat(records.stream().filter(LossRecord.class::isInstance)).hasSize(3);
        assertThat(run.err()).contains("[1/3] checkpoint").contains("[3/3] checkpoint").contains("iteration 15");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void perLayerEstimatesAndEventsComeFromTheListenersPipeline() throws IOException {
        Path out = dir.resolve("layers.jsonl");

        CliRun run = CliRun.of("checkpoints", "--dir", checkpoints, "--data", csv, "--classes", "3", "--chains", "2",
                "--draws", "10", "--burn-in", "5", "--eps", "1e-4", "--gamma", "100", "--layer-llc", "0,layer1",
                "--out", out);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        RunHistory history = RunHistory.readJsonl(out);
        assertThat(history.llcLayers()).containsExactly("layer0", "layer1");
        assertThat(history.layerLlc("layer0").iterations()).containsExactly(5, 10, 15);
        assertThat(history.llcRecords()).extracting(r -> r.estimate().config().seed())
                .as("the listeners' seed per iteration: seed + iteration").containsExactly(47L, 52L, 57L);
        assertThat(history.header()).hasValueSatisfying(h -> assertThat(h.settings()).containsEntry("llc.layers",
                "0,layer1"));
    }

    @Test
    void anAutomaticStepSizeIsCalibratedWithTheSweepOptions() throws IOException {
        Path minimum = CliFixtures.minimumCheckpointDir(dir);
        Path out = dir.resolve("calibrated.jsonl");

        CliRun run = CliRun.of("checkpoints", "--dir", minimum, "--data", minimum.resolve("teacher.csv"),
                "--targets", "3", "--n", "10000", "--batch-size", "500", "--chains", "2", "--burn-in", "50",
                "--draws", "100", "--calibration-eps", "1.25e-3,6.25e-4,3.125e-4", "--calibration-gamma", "10",
                "--calibration-tolerance", "0.2", "--max-steps-per-chain", "1000", "--out", out);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        List<LlcRecord> llc = RunHistory.readJsonl(out).llcRecords();
        assertThat(llc).hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> {
            assertThat(r.estimate().config().stepSize().orElseThrow()).as("a calibrated step size from the grid")
                    .isIn(1.25e-3, 6.25e-4, 3.125e-4);
            assertThat(r.estimate().config().localization()).hasValue(10);
            assertThat(r.estimate().config().burnInSteps()).hasValue(50);
            assertThat(r.estimate().config().draws()).hasValue(100);
        });
    }

    @Test
    void theAutomaticDrawsOptionsReachTheEstimatesAndTheProgressFlagsUnreliableOnes() throws IOException {
        Path out = dir.resolve("capped.jsonl");

        CliRun run = CliRun.of("checkpoints", "--dir", checkpoints, "--data", csv, "--classes", "3", "--chains", "2",
                "--eps", "1e-4", "--gamma", "100", "--burn-in", "5", "--target-error", "0.001",
                "--max-steps-per-chain", "150", "--time-limit", "10m", "--out", out);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        List<LlcRecord> llc = RunHistory.readJsonl(out).llcRecords();
        assertThat(llc).hasSize(3).allSatisfy(r -> {
            assertThat(r.estimate().config().targetRelativeError()).isEqualTo(0.001);
            assertThat(r.estimate().config().maxStepsPerChain()).isEqualTo(150);
            assertThat(r.estimate().config().timeLimit()).hasValue(Duration.ofMinutes(10));
            assertThat(r.estimate().tuning().drawsStop()).as("not at the target: the cap, or a clearly negative estimate")
                    .isIn(LlcEstimate.DrawsStop.STEP_CAP, LlcEstimate.DrawsStop.NEGATIVE);
            assertThat(r.estimate().isReliable()).isFalse();
        });
        assertThat(run.err()).contains("UNRELIABLE: ");
    }

    @Test
    void anUnknownLayerIsBadInput() {
        CliRun run = CliRun.of("checkpoints", "--dir", checkpoints, "--data", csv, "--classes", "3",
                "--layer-llc", "nope");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("invalid layer for --layer-llc").contains("layer nope must exist");
    }

    @Test
    void writesToStandardOutputWithoutOut() {
        CliRun run = CliRun.of("checkpoints", "--dir", checkpoints, "--data", csv, "--classes", "3", "--chains", "1",
                "--draws", "5", "--burn-in", "0", "--eps", "1e-4", "--gamma", "100");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out().lines().map(RecordJson::decode)).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void missingDirectoryIsBadInput() {
        CliRun run = CliRun.of("checkpoints", "--dir", dir.resolve("none"), "--data", csv, "--classes", "3");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("checkpoint directory not found");
    }

    @Test
    void directoryWithoutCheckpointInfoIsBadInput() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        CliRun run = CliRun.of("checkpoints", "--dir", empty, "--data", csv, "--classes", "3");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("has no checkpointInfo.txt");
    }

    @Test
    void malformedCheckpointInfoIsBadInput() throws IOException {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("checkpointInfo.txt"), "header\n1,2,three\n");

        CliRun run = CliRun.of("checkpoints", "--dir", broken, "--data", csv, "--classes", "3");

        assertThat(run.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("malformed checkpointInfo.txt");
    }
}
