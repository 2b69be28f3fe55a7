package org.slt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slt4j.cli.SltCli;
import org.slt4j.llc.ChainProgress;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.LlcRecord;

class SparkFaultsTest extends LocalSparkTest {
    /** The iteration of the fourth checkpoint. */
    private static final int FOURTH = 8;

    /** Two cores, and up to 3 attempts per task (plain local mode never retries). */
    @BeforeAll
    static void setUp() throws IOException {
        start("local[2,3]", SparkFaultsTest.class);
    }

    @Test
    void aCorruptCheckpointBecomesAFailureRecordPerDiagnosticAndTheOthersComplete() throws IOException {
        Path broken = corruptFourth(dir.resolve("broken"));
        Path out = dir.resolve("broken.jsonl");

        int code = SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", broken, "--data", csv, "--out", out);

        assertThat(code).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> records = SparkFixtures.records(out);
        assertThat(records).filteredOn(FailureRecord.class::isInstance).map(r -> (FailureRecord) r)
                .allSatisfy(f -> {
                    assertThat(f.iteration()).isEqualTo(FOURTH);
                    assertThat(f.message()).contains("checkpoint_3_MultiLayerNetwork.zip").contains("not a zip");
                })
                .extracting(FailureRecord::diagnostic).containsExactly(Diagnostic.LLC, Diagnostic.SYMMETRY);
        assertThat(records).filteredOn(LlcRecord.class::isInstance).map(r -> ((LlcRecord) r).iteration())
                .containsExactly(2L, 4L, 6L, 10L, 12L, 14L, 16L);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndGivesTheSameRecords() throws IOException {
        Path clean = dir.resolve("clean.jsonl");
        Path retried = dir.resolve("retried.jsonl");
        SparkCheckpoints flaky = new SparkCheckpoints();
        flaky.tasks = work -> new FailsFirstAttempt(work, FOURTH);

        SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", checkpoints, "--data", csv, "--out", clean);
        int code = SparkFixtures.spark(sc, flaky, "--dir", checkpoints, "--data", csv, "--out", retried);

        assertThat(code).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> records = SparkFixtures.records(retried);
        assertThat(records).noneMatch(FailureRecord.class::isInstance);
        assertThat(SparkCheckpointsTest.llc(records)).hasSize(8)
                .containsExactlyElementsOf(SparkCheckpointsTest.llc(SparkFixtures.records(clean)));
    }

    @Test
    void aChainTaskThatFailsOnceIsRetriedAndGivesTheSameRecords() throws IOException {
        Path clean = dir.resolve("clean-checkpoint.jsonl");
        Path retried = dir.resolve("retried-chain.jsonl");
        SparkCheckpoints flaky = new SparkCheckpoints();
        flaky.chainTasks = work -> new ChainFailsFirstAttempt(work, FOURTH);

        SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", checkpoints, "--data", csv, "--out", clean);
        int code = SparkFixtures.spark(sc, flaky, "--dir", checkpoints, "--data", csv, "--out", retried,
                "--granularity", "chain");

        assertThat(code).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> records = SparkFixtures.records(retried);
        assertThat(records).noneMatch(FailureRecord.class::isInstance);
        assertThat(SparkCheckpointsTest.llc(records)).hasSize(8)
                .containsExactlyElementsOf(SparkCheckpointsTest.llc(SparkFixtures.records(clean)));
    }

    @Test
    void withOneChainPerTaskACorruptCheckpointBecomesAFailureRecordPerDiagnosticToo() throws IOException {
        Path broken = corruptFourth(dir.resolve("broken-chains"));
        Path out = dir.resolve("broken-chains.jsonl");

        int code = SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", broken, "--data", csv, "--out", out,
                "--granularity", "chain");

        assertThat(code).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> records = SparkFixtures.records(out);
        assertThat(records).filteredOn(FailureRecord.class::isInstance).map(r -> (FailureRecord) r)
                .allSatisfy(f -> assertThat(f.message()).contains("checkpoint_3_MultiLayerNetwork.zip"))
                .extracting(FailureRecord::diagnostic).containsExactly(Diagnostic.LLC, Diagnostic.SYMMETRY);
        assertThat(records).filteredOn(LlcRecord.class::isInstance).map(r -> ((LlcRecord) r).iteration())
                .containsExactly(2L, 4L, 6L, 10L, 12L, 14L, 16L);
    }

    @Test
    void resumeMeasuresOnlyTheCheckpointsTheOutputLacksAndTheFailedOnesAgain() throws IOException {
        Path resumed = corruptFourth(dir.resolve("resumed"));
        Path out = dir.resolve("resumed.jsonl");
        SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", resumed, "--data", csv, "--out", out);
        List<String> first = SparkCheckpointsTest.llc(SparkFixtures.records(out));
        Files.copy(checkpoints.resolve("checkpoint_3_MultiLayerNetwork.zip"),
                resumed.resolve("checkpoint_3_MultiLayerNetwork.zip"), StandardCopyOption.REPLACE_EXISTING);

        int code = SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", resumed, "--data", csv, "--out", out,
                "--resume");

        assertThat(code).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> records = SparkFixtures.records(out);
        assertThat(records).noneMatch(FailureRecord.class::isInstance);
        assertThat(records).filteredOn(LlcRecord.class::isInstance).map(r -> ((LlcRecord) r).iteration())
                .containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L);
        assertThat(SparkCheckpointsTest.llc(records)).as("the earlier estimates kept, in checkpoint order")
                .containsAll(first).hasSize(8);
    }

    /** A copy of the checkpoints whose fourth model zip is garbage. */
    private static Path corruptFourth(Path to) throws IOException {
        SparkFixtures.copy(checkpoints, to);
        Files.writeString(to.resolve("checkpoint_3_MultiLayerNetwork.zip"), "not a model");
        return to;
    }

    /** Fails the first attempt of every chain task of the checkpoint at one iteration, as a lost executor would. */
    private record ChainFailsFirstAttempt(Function<SparkChains.ChainTask, ChainProgress> work, int iteration)
            implements Function<SparkChains.ChainTask, ChainProgress> {
        @Override
        public ChainProgress call(SparkChains.ChainTask task) throws Exception {
            if (task.checkpoint().iteration() == iteration && TaskContext.get().attemptNumber() == 0) {
                throw new IOException("injected failure of the first attempt of chain " + task.plan().index());
            }
            return work.call(task);
        }
    }

    /** Fails the first attempt of the task of the checkpoint at one iteration, as a lost executor would. */
    private record FailsFirstAttempt(Function<CheckpointFile, List<String>> work, int iteration)
            implements Function<CheckpointFile, List<String>> {
        @Override
        public List<String> call(CheckpointFile checkpoint) throws Exception {
            if (checkpoint.iteration() == iteration && TaskContext.get().attemptNumber() == 0) {
                throw new IOException("injected failure of the first attempt at iteration " + iteration);
            }
            return work.call(checkpoint);
        }
    }
}
