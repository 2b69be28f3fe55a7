package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.MetricRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.html.HtmlReport;

/**
 * baseline, check and report on a real run written by the checkpoints command (what the report holds is tested
 * with the renderer, in HtmlReportTest).
 */
class RunCommandsTest {

    @TempDir
    static Path dir;
    static Path run;
    static Path baseline;

    @BeforeAll
    static void runAndBaseline() throws IOException {
        run = dir.resolve("run.jsonl");
        CliRun checkpoints = CliRun.of("checkpoints", "--dir", CliFixtures.checkpointDir(dir), "--data",
                CliFixtures.blobsCsv(dir, 48), "--classes", "3", "--chains", "2", "--draws", "10", "--burn-in", "5",
                "--eps", "1e-4", "--gamma", "100", "--out", run);
        assertThat(checkpoints.exitCode()).as(checkpoints.toString()).isZero();
        baseline = dir.resolve("baseline.json");
        CliRun recorded = CliRun.of("baseline", "--run", run, "--out", baseline);
        assertThat(recorded.exitCode()).as(recorded.toString()).isZero();
    }

    @Test
    void baselineRecordsTheDefaultMetricsAndListsThem() throws IOException {
        assertThat(Files.readString(baseline)).contains("\"metric\": \"llc\"").contains("\"metric\": \"loss\"")
                .contains("\"metric\": \"layer0/EFFECTIVE_WIDTH\"").contains("\"k\": 3.0");
    }

    @Test
    void checkOfTheSameRunHoldsWithExitZero() {
        CliRun check = CliRun.of("check", "--run", run, "--baseline", baseline);

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(check.out()).contains("metric").contains("llc").contains("OK: all");
    }

    @Test
    void checkFlagsAMovedMetricWithExitOneAndATable() throws IOException {
        Path moved = dir.resolve("moved.json");
        Files.writeString(moved, "{\"format\":\"slt4j-baseline\",\"version\":1,\"metrics\":["
                + "{\"metric\":\"layer0/EFFECTIVE_WIDTH\",\"expected\":4,\"k\":3,\"relativeTolerance\":0.1},"
                + "{\"metric\":\"layer1/EFFECTIVE_WIDTH\",\"expected\":3,\"k\":3,\"relativeTolerance\":0.1}]}");

        CliRun check = CliRun.of("check", "--run", run, "--baseline", moved);

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(SltCli.EXIT_REGRESSION);
        assertThat(check.out()).containsPattern("(?m)^layer0/EFFECTIVE_WIDTH +4 +8 +\\+4 +0.4 +REGRESSED$")
                .containsPattern("(?m)^layer1/EFFECTIVE_WIDTH +3 +3 +0 +0.3 +ok$")
                .contains("REGRESSION: 1 of 2 metrics moved");
    }

    @Test
    void checkFlagsADropInTestAccuracyAndPassesTheUnchangedRun() throws IOException {
        Path recorded = metricRun("accuracy-recorded.jsonl", 0.91);
        Path same = metricRun("accuracy-same.jsonl", 0.91);
        Path dropped = metricRun("accuracy-dropped.jsonl", 0.78);
        Path accuracyBaseline = dir.resolve("accuracy-baseline.json");
        assertThat(CliRun.of("baseline", "--run", recorded, "--out", accuracyBaseline).exitCode()).isZero();

        CliRun unchanged = CliRun.of("check", "--run", same, "--baseline", accuracyBaseline);
        CliRun drop = CliRun.of("check", "--run", dropped, "--baseline", accuracyBaseline);

        assertThat(Files.readString(accuracyBaseline)).contains("\"metric\": \"metric:test accuracy\"");
        assertThat(unchanged.exitCode()).as(unchanged.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(drop.exitCode()).as(drop.toString()).isEqualTo(SltCli.EXIT_REGRESSION);
        assertThat(drop.out()).containsPattern("(?m)^metric:test accuracy +0.91 +0.78 +-0.13 .*REGRESSED$");
    }

    /** A run of two test-accuracy records (as the listener's EvaluativeListener adapter writes them). */
    private static Path metricRun(String name, double last) throws IOException {
        Path file = dir.resolve(name);
        try (JsonlSink sink = new JsonlSink(file)) {
            sink.write(new MetricRecord(10, 0, Instant.parse("2026-01-01T00:00:00Z"), "test accuracy", 0.5));
            sink.write(new MetricRecord(20, 1, Instant.parse("2026-01-01T00:00:01Z"), "test accuracy", last));
        }
        return file;
    }

    @Test
    void checkWithAMalformedBaselineIsBadInput() throws IOException {
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "{\"format\":\"slt4j-baseline\"");

        CliRun check = CliRun.of("check", "--run", run, "--baseline", malformed);

        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(check.err().lines()).hasSize(1).first().asString().contains("malformed.json is invalid");
    }

    @Test
    void checkWithAnUnknownMetricIsBadInput() throws IOException {
        Path unknown = Files.writeString(dir.resolve("unknown.json"), "{\"format\":\"slt4j-baseline\",\"version\":1,"
                + "\"metrics\":[{\"metric\":\"accuracy\",\"expected\":1,\"k\":3,\"relativeTolerance\":0.1}]}");

        CliRun check = CliRun.of("check", "--run", run, "--baseline", unknown);

        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(check.err()).contains("unknown metric 'accuracy'");
    }

    @Test
    void checkOfAMetricTheRunLacksIsBadInput() throws IOException {
        Path missing = Files.writeString(dir.resolve("missing.json"), "{\"format\":\"slt4j-baseline\",\"version\":1,"
                + "\"metrics\":[{\"metric\":\"llc@999\",\"expected\":1,\"k\":3,\"relativeTolerance\":0.1}]}");

        CliRun check = CliRun.of("check", "--run", run, "--baseline", missing);

        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(check.err()).contains("no value of metric 'llc@999' at iteration 999 (iterations: 5, 10, 15)");
    }

    @Test
    void missingRunOrBaselineFileIsBadInput() {
        CliRun noRun = CliRun.of("check", "--run", dir.resolve("none.jsonl"), "--baseline", baseline);
        CliRun noBaseline = CliRun.of("check", "--run", run, "--baseline", dir.resolve("none.json"));

        assertThat(noRun.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(noRun.err()).contains("run file not found");
        assertThat(noBaseline.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(noBaseline.err()).contains("baseline file not found");
    }

    @Test
    void runWithAnInvalidRecordIsBadInputNamingTheLine() throws IOException {
        Path corrupt = dir.resolve("corrupt.jsonl");
        Files.writeString(corrupt, "{\"type\":\"loss\"}\n{\"type\":\"loss\"}\n");

        CliRun check = CliRun.of("check", "--run", corrupt, "--baseline", baseline);

        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(check.err()).contains("could not read run").contains("line 1");
    }

    @Test
    void baselineWithAnUnknownMetricIsBadInput() {
        CliRun recorded = CliRun.of("baseline", "--run", run, "--out", dir.resolve("b.json"), "--metrics",
                "llc,layer0/WIDTH");

        assertThat(recorded.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(recorded.err()).contains("'WIDTH' is not a layer metric");
        assertThat(dir.resolve("b.json")).doesNotExist();
    }

    @Test
    void baselineWithChosenMetricsAndToleranceRecordsOnlyThose() throws IOException {
        Path chosen = dir.resolve("chosen.json");

        CliRun recorded = CliRun.of("baseline", "--run", run, "--out", chosen, "--metrics", "llc@10,llcUpperBound",
                "--k", "2", "--relative", "0.2", "--absolute", "0.5");

        assertThat(recorded.exitCode()).as(recorded.toString()).isZero();
        assertThat(recorded.out()).contains("Recorded 2 metrics").contains("llc@10 = ");
        assertThat(Files.readString(chosen)).contains("\"relativeTolerance\": 0.2")
                .contains("\"absoluteTolerance\": 0.5").doesNotContain("\"metric\": \"loss\"");
    }

    @Test
    void reportWritesTheLibrarysHtmlReportOfTheRun() throws IOException {
        Path html = dir.resolve("report.html");

        CliRun report = CliRun.of("report", "--run", run, "--out", html, "--title", "Tiny <run>");

        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.err()).contains("Wrote " + html);
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("<title>Tiny &lt;run&gt;</title>")
                .isEqualTo(HtmlReport.render(RunHistory.readJsonl(run), "Tiny <run>"));
    }

    @Test
    void reportTitleDefaultsToTheRunFileName() throws IOException {
        Path html = dir.resolve("untitled.html");

        CliRun report = CliRun.of("report", "--run", run, "--out", html);

        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(Files.readString(html)).contains("<title>slt4j run run.jsonl</title>");
    }

    @Test
    void reportOfAMissingRunIsBadInputAndWritesNothing() {
        Path html = dir.resolve("none.html");

        CliRun report = CliRun.of("report", "--run", dir.resolve("none.jsonl"), "--out", html);

        assertThat(report.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(report.err()).contains("run file not found");
        assertThat(html).doesNotExist();
    }
}
