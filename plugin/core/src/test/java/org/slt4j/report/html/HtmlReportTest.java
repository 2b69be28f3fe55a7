package org.slt4j.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SampleRecords;
import org.slt4j.report.SegmentRecords;

/** The report of a run written as JSONL and read back, as the command-line tool and the samples do. */
class HtmlReportTest {

    @TempDir
    static Path dir;
    static RunHistory run;

    @BeforeAll
    static void writeAndReadARun() throws IOException {
        Path records = dir.resolve("run.jsonl");
        try (JsonlSink sink = new JsonlSink(records)) {
            for (DiagnosticRecord r : SampleRecords.all()) {
                sink.write(r);
            }
            sink.write(SampleRecords.llc(30));
            sink.write(SampleRecords.symmetry(30, 3));
            sink.write(SampleRecords.loss(10, 0.75));
        }
        run = RunHistory.readJsonl(records);
    }

    @Test
    void reportIsOneOfflineHtmlFileWithChartsEventsAndSettings() throws IOException {
        Path html = dir.resolve("report.html");

        HtmlReport.write(run, html, "Tiny <run>");

        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<title>Tiny &lt;run&gt;</title>")
                .contains("LLC and loss").contains("<svg").contains("LLC ± standard error")
                .contains("score, with regularization (right axis)")
                .contains("<h3>Effective width (units) per layer</h3>")
                .contains("<h3>Fraction of dead units per layer</h3>").contains("Estimator settings").contains("stepSize")
                .contains("Events").doesNotContain("<script").doesNotContain("<link");
        assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
        assertThat(page).isEqualTo(HtmlReport.render(run, "Tiny <run>"));
    }

    @Test
    void eventsFailuresAndSkipsAreTablesWithEscapedText() {
        String page = HtmlReport.render(run, "run");

        assertThat(page).contains("<td>UNIT_DIED</td>").contains("Failed and skipped diagnostics")
                .contains("failed: java.lang.IllegalStateException").contains("boom, &quot;quoted&quot;")
                .contains("skipped: OVER_BUDGET").contains("spent 1.2 s of 10.0 s")
                .contains("<h3>Run settings</h3>").contains("every 10 iterations");
    }

    @Test
    void unreliableEstimatesAreHollowAndListedWithTheirWarningsAndRecalibrationsAreLabelledLines() {
        String page = HtmlReport.render(RunHistory.of(SegmentRecords.all()), "segments");
        String warning = "R-hat 1.300 &gt; 1.1: the chains disagree";

        assertThat(page).containsOnlyOnce("fill=\"#fff\" stroke=\"#1f77b4\" stroke-width=\"1.5\"><title>LLC ± "
                + "standard error at iteration 20: ").contains("- unreliable: " + warning + "</title></circle>")
                .contains("unreliable (hover for warnings)</text>")
                .contains("<th>unreliable: warnings</th>").contains("<tr><td>20</td>")
                .contains("</td><td>0</td><td>" + warning + "</td></tr>")
                .containsOnlyOnce(">recalibrated<title>iteration 40: the LLC settings were recalibrated")
                .contains("Orange ones, labelled &quot;recalibrated&quot;");
        assertThat(HtmlReport.render(run, "run")).as("a run in one segment").doesNotContain("recalibrated");
    }

    @Test
    void developmentalStagesAreShadedBandsAndATable() {
        List<DiagnosticRecord> records = new java.util.ArrayList<>(List.of(SampleRecords.header()));
        double[] llc = {1, 3, 5, 7, 6, 4, 2};
        for (int i = 0; i < llc.length; i++) {
            records.add(SegmentRecords.llc(10L * i, llc[i], 0.05, 0));
        }

        String page = HtmlReport.render(RunHistory.of(records), "stages");

        assertThat(page.split("<rect class=\"band\"", -1)).hasSize(3);
        assertThat(page).contains("<tr><td>1: rising</td><td>0 - 30</td><td>1.000 to 7.000</td><td>4</td></tr>")
                .contains("<tr><td>2: falling</td><td>30 - 60</td><td>7.000 to 2.000</td><td>4</td></tr>")
                .contains("Shaded: developmental stages");
        assertThat(HtmlReport.render(run, "run")).as("two estimates: no stage").doesNotContain("class=\"band\"");
    }

    @Test
    void userMetricsAreChartedBesideTheLlcUnderTheirEscapedNames() {
        String page = HtmlReport.render(run, "run");

        assertThat(page).contains("<h2>Your metrics</h2>")
                .contains("test &lt;img src=x onerror=alert(1)&gt; &quot;accuracy&quot;")
                .contains("name this metric metric:test &lt;img").doesNotContain("<img src=x");
        assertThat(HtmlReport.render(RunHistory.of(List.of(SampleRecords.header())), "none"))
                .doesNotContain("Your metrics");
    }

    @Test
    void layersTheScansSkipAreListedByNameWithTheReason() {
        String page = HtmlReport.render(run, "run");

        assertThat(page).contains("Layers the latest scan did not analyse")
                .contains("<tr><td>pool</td><td>no weights</td></tr>");
        assertThat(HtmlReport.render(RunHistory.of(List.of(SampleRecords.header())), "none"))
                .doesNotContain("did not analyse");
    }

    @Test
    void aLongRunsLossIsDrawnAsThePageDrawsItBucketMeansWithTheirRangeSoASpikeStaysVisible() {
        List<DiagnosticRecord> records = new java.util.ArrayList<>(List.of(SampleRecords.header()));
        for (int i = 0; i < 100_000; i++) {
            records.add(SampleRecords.loss(i, i == 77_777 ? 50 : 1 + (i % 2) * 0.5));
        }

        String page = HtmlReport.render(RunHistory.of(records), "long");

        assertThat(page).contains("score, with regularization, mean per 64 iterations (shaded: range)");
        String chart = page.substring(page.indexOf("<h2>LLC and loss</h2>"));
        String path = chart.substring(chart.indexOf("<path d=\"") + 9, chart.indexOf('"', chart.indexOf("<path d=\"") + 9));
        assertThat(path.split(" L")).hasSize(100_000 / 64 + 1);
        assertThat(chart).contains("<polygon class=\"range\"");
        // The right axis reaches the spike of 50 (tick 40); the means alone stay between 1.2 and 1.3.
        assertThat(chart).contains("text-anchor=\"start\">40</text>");
        assertThat(page.length()).isLessThan(1_000_000);
    }

    @Test
    void theLossChartShowsTheDataLossAndTheRegularizedScoreGetsAChartOfItsOwn() {
        RunHistory regularized = RunHistory.of(List.of(SampleRecords.header(), SampleRecords.loss(0, 3600.01, 0.01),
                SampleRecords.loss(1, 3590.5, 0.25), SampleRecords.llc(1)));

        String page = HtmlReport.render(regularized, "weight decay");

        assertThat(page).contains("data loss (right axis)").contains("score, with regularization</text>")
                .contains("which the chart above leaves out");
        assertThat(HtmlReport.render(run, "run")).as("no data loss: the score is the loss, with no second chart")
                .doesNotContain("which the chart above leaves out");
    }

    @Test
    void anEmptyRunSaysSoInsteadOfDrawingEmptyCharts() {
        String page = HtmlReport.render(RunHistory.of(List.of()), "empty");

        assertThat(page).contains("No data.").contains("No symmetry events.").contains("No LLC estimates.")
                .doesNotContain("<svg").doesNotContain("Failed and skipped diagnostics");
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertThatThrownBy(() -> HtmlReport.render(null, "t")).isInstanceOf(NullPointerException.class)
                .hasMessage("run");
        assertThatThrownBy(() -> HtmlReport.render(run, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("title");
        assertThatThrownBy(() -> HtmlReport.write(run, null, "t")).isInstanceOf(NullPointerException.class)
                .hasMessage("out");
    }
}
