package org.slt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slt4j.cli.SltCli;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.EventRecord;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.storage.StoredRun;
import org.slt4j.report.SymmetryRecord;
import picocli.CommandLine;

class SparkCheckpointsTest extends LocalSparkTest {

    /** The command line's records with the fast settings. */
    static Path local;

    @BeforeAll
    static void setUp() throws IOException {
        start("local[2]", SparkCheckpointsTest.class);
        local = dir.resolve("local.jsonl");
        assertThat(SparkFixtures.cli("--dir", checkpoints, "--data", csv, "--out", local)).isEqualTo(SltCli.EXIT_OK);
    }

    @Test
    void aSparkRunInLocalModeWritesTheCommandLinesRecordsWithBitIdenticalEstimates() throws IOException {
        Path spark = dir.resolve("spark.jsonl");
        Path storage = dir.resolve("spark.stats");
        Path report = dir.resolve("spark.html");

        int job = SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", checkpoints.toUri(), "--data", csv,
                "--out", spark, "--storage", storage, "--report", report);

        assertThat(job).isEqualTo(SltCli.EXIT_OK);
        assertSameRecords(SparkFixtures.records(spark), SparkFixtures.records(local));
        FileStatsStorage stored = new FileStatsStorage(storage.toFile());
        try {
            RunHistory run = StoredRun.read(stored, "checkpoints:checkpoints").history();
            RunHistory written = RunHistory.readJsonl(spark);
            assertThat(run.header()).isEqualTo(written.header());
            assertThat(llc(List.copyOf(run.records()))).hasSize(8).containsExactlyElementsOf(
                    llc(List.copyOf(written.records())));
            assertThat(run.records()).extracting(DiagnosticRecord::type).as("the storage holds the JSONL's records")
                    .containsExactlyInAnyOrderElementsOf(written.records().stream().map(DiagnosticRecord::type)
                            .toList());
        } finally {
            stored.close();
        }
        assertThat(Files.readString(report)).contains("<svg").contains("checkpoints:checkpoints").contains("LLC");
    }

    @Test
    void oneChainPerTaskGivesTheCommandLinesRecordsWithGivenSettings() throws IOException {
        Path spark = dir.resolve("chains.jsonl");

        int job = SparkFixtures.spark(sc, new SparkCheckpoints(), "--dir", checkpoints, "--data", csv, "--out",
                spark, "--granularity", "chain");

        assertThat(job).isEqualTo(SltCli.EXIT_OK);
        assertSameRecords(SparkFixtures.records(spark), SparkFixtures.records(local));
        assertThat(((RunHeader) SparkFixtures.records(spark).get(0)).settings().get(CurveRecords.GRANULARITY))
                .startsWith("one SGLD chain per Spark task");
    }

    @Test
    void oneChainPerTaskGivesTheCommandLinesRecordsWithAutomaticSettingsAndCalibration() throws IOException {
        Path cliOut = dir.resolve("auto-local.jsonl");
        Path spark = dir.resolve("auto-chains.jsonl");

        int cli = SparkFixtures.cliWith(SparkFixtures.AUTOMATIC, "--dir", checkpoints, "--data", csv, "--out",
                cliOut);
        int job = SparkFixtures.sparkWith(sc, SparkFixtures.AUTOMATIC, "--dir", checkpoints, "--data", csv,
                "--out", spark, "--granularity", "chain");

        assertThat(cli).isEqualTo(SltCli.EXIT_OK);
        assertThat(job).isEqualTo(SltCli.EXIT_OK);
        List<DiagnosticRecord> expected = SparkFixtures.records(cliOut);
        assertThat(expected).filteredOn(LlcRecord.class::isInstance).map(r -> ((LlcRecord) r).estimate())
                .allSatisfy(e -> assertThat(e.tuning().automatic()).isNotEmpty());
        assertSameRecords(SparkFixtures.records(spark), expected);
    }

    @Test
    void modelZipsGivenOneByOneGiveTheDirectorysRecords() throws IOException {
        Path spark = dir.resolve("paths.jsonl");
        List<String> zips = new ArrayList<>();
        for (int i = 7; i >= 0; i--) {
            zips.add(checkpoints.resolve("checkpoint_" + i + "_MultiLayerNetwork.zip").toUri().toString());
        }

        int job = SparkFixtures.spark(sc, new SparkCheckpoints(), "--checkpoint", String.join(",", zips), "--data",
                csv, "--out", spark);

        assertThat(job).isEqualTo(SltCli.EXIT_OK);
        assertSameRecords(SparkFixtures.records(spark), SparkFixtures.records(local));
    }

    @Test
    void theCheckpointsComeFromADirectoryOrFromModelZipsNotBoth() {
        StringWriter err = new StringWriter();
        CommandLine cl = SltCli.commandLine(new SparkCheckpoints());
        cl.setErr(new PrintWriter(err));

        int code = cl.execute("--dir", checkpoints.toString(), "--checkpoint", "a.zip", "--data", csv.toString(),
                "--out", "x.jsonl");

        assertThat(code).isNotEqualTo(SltCli.EXIT_OK);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void anUnknownGranularityIsRejectedNamingTheChoices() {
        StringWriter err = new StringWriter();
        CommandLine cl = SltCli.commandLine(new SparkCheckpoints());
        cl.setErr(new PrintWriter(err));

        int code = cl.execute("--dir", checkpoints.toString(), "--data", csv.toString(), "--out", "x.jsonl",
                "--granularity", "layer");

        assertThat(code).isNotEqualTo(SltCli.EXIT_OK);
        assertThat(err.toString()).contains("--granularity must be checkpoint or chain (got: 'layer')");
    }

    private static void assertSameRecords(List<DiagnosticRecord> actual, List<DiagnosticRecord> expected) {
        assertThat(actual).extracting(DiagnosticRecord::type).as("the same records in the same order")
                .containsExactlyElementsOf(expected.stream().map(DiagnosticRecord::type).toList());
        assertThat(llc(actual)).hasSizeGreaterThanOrEqualTo(8).containsExactlyElementsOf(llc(expected));
        assertThat(symmetry(actual)).containsExactlyElementsOf(symmetry(expected));
        assertThat(actual.stream().filter(LossRecord.class::isInstance).map(r -> ((LossRecord) r).score()))
                .containsExactlyElementsOf(expected.stream().filter(LossRecord.class::isInstance)
                        .map(r -> ((LossRecord) r).score()).toList());
        assertThat(events(actual)).containsExactlyElementsOf(events(expected));
        assertThat(actual.get(0)).isInstanceOfSatisfying(RunHeader.class, h -> {
            assertThat(h.settings()).containsAllEntriesOf(((RunHeader) expected.get(0)).settings().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("llc.")).collect(java.util.stream.Collectors.toMap(
                            java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
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
