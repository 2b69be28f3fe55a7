package org.slt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.cli.SltCli;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.EventRecord;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.testing.TinyNetworks;

class SparkCheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void aSparkRunInLocalModeWritesTheCommandLinesRecordsWithBitIdenticalEstimates() throws IOException {
        Path checkpoints = SparkFixtures.checkpointDir(dir);
        Path csv = TinyNetworks.blobsCsv(dir.resolve("blobs.csv"), 48);
        Path local = dir.resolve("local.jsonl");
        Path spark = dir.resolve("spark.jsonl");

        int cli = SparkFixtures.cli("--dir", checkpoints, "--data", csv, "--out", local);
        int job = SparkFixtures.sparkMain("--dir", checkpoints.toUri(), "--data", csv, "--out", spark, "--master",
                "local[2]");

        assertThat(cli).isEqualTo(SltCli.EXIT_OK);
        assertThat(job).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> expected = SparkFixtures.records(local);
        List<DiagnosticRecord> actual = SparkFixtures.records(spark);
        assertThat(actual).extracting(DiagnosticRecord::type).as("the same records in the same order")
                .containsExactlyElementsOf(expected.stream().map(DiagnosticRecord::type).toList());
        assertThat(llc(actual)).hasSizeGreaterThanOrEqualTo(8).containsExactlyElementsOf(llc(expected));
        assertThat(symmetry(actual)).containsExactlyElementsOf(symmetry(expected));
        assertThat(actual.stream().filter(LossRecord.class::isInstance).map(r -> ((LossRecord) r).score()))
                .containsExactlyElementsOf(expected.stream().filter(LossRecord.class::isInstance)
                        .map(r -> ((LossRecord) r).score()).toList());
        assertThat(events(actual)).containsExactlyElementsOf(events(expected));
        assertThat(actual.get(0)).isInstanceOfSatisfying(RunHeader.class, h -> {
            assertThat(h.workerId()).isEqualTo("slt4j-spark");
            assertThat(h.settings()).containsKey(CurveRecords.GRANULARITY);
        });
    }

    /**
     * Each LLC record's iteration, layer and estimate: mean, standard deviation, standard error and each chain's LLC
     * (Double.toString tells every bit apart), and the configuration with its seed.
     */
    static List<String> llc(List<DiagnosticRecord> records) {
        return records.stream().filter(LlcRecord.class::isInstance).map(r -> (LlcRecord) r)
                .map(r -> r.iteration() + " " + r.layer() + " " + r.estimate().mean() + " " + r.estimate().std() + " "
                        + r.estimate().standardError() + " "
                        + r.estimate().chains().stream().map(c -> Double.toString(c.llc())).toList() + " "
                        + RecordJson.encode(r.estimate().config()))
                .toList();
    }

    private static List<String> symmetry(List<DiagnosticRecord> records) {
        return records.stream().filter(SymmetryRecord.class::isInstance)
                .map(r -> RecordJson.encode(((SymmetryRecord) r).snapshot())).toList();
    }

    private static List<String> events(List<DiagnosticRecord> records) {
        return records.stream().filter(EventRecord.class::isInstance)
                .map(r -> RecordJson.encode(((EventRecord) r).event())).toList();
    }
}
