package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LossRecord;
import org.slt4j.report.MetricRecord;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** check's outputs for pipelines: --junit-xml (parsed back as XML) and --json (parsed back with Gson). */
class CheckOutputsTest {
    private static final String ODD_NAME = "held-out <loss> & \"more\"";

    @TempDir
    static Path dir;
    static Path baseline;
    static Path same;
    static Path regressed;

    @BeforeAll
    static void runsAndBaseline() throws IOException {
        Path recorded = run("recorded.jsonl", 0.5, 0.91, 2.0);
        same = run("same.jsonl", 0.5, 0.91, 2.0);
        regressed = run("regressed.jsonl", 0.5, 0.78, 3.0);
        baseline = dir.resolve("tiny-classifier.json");
        CliRun recording = CliRun.of("baseline", "--run", recorded, "--out", baseline);
        assertThat(recording.exitCode()).as(recording.toString()).isZero();
    }

    /** A run with a loss and two user metrics, one with characters that XML and JSON must escape. */
    private static Path run(String name, double loss, double accuracy, double odd) throws IOException {
        Path file = dir.resolve(name);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (JsonlSink sink = new JsonlSink(file)) {
            sink.write(new LossRecord(20, 0, t, loss));
            sink.write(new MetricRecord(20, 0, t, "test accuracy", accuracy));
            sink.write(new MetricRecord(20, 0, t, ODD_NAME, odd));
        }
        return file;
    }

    @Test
    void junitXmlHasATestCasePerMetricAndAFailurePerRegression() throws Exception {
        Path xml = dir.resolve("regressed.xml");

        CliRun check = CliRun.of("check", "--run", regressed, "--baseline", baseline, "--junit-xml", xml);

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(SltCli.EXIT_REGRESSION);
        assertThat(check.out()).contains("REGRESSION: 2 of 3 metrics moved");
        Element suite = parse(xml).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("slt4j check of regressed.jsonl");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        List<Element> cases = elements(suite.getElementsByTagName("testcase"));
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly("loss", "metric:test accuracy",
                "metric:" + ODD_NAME);
        assertThat(cases).extracting(c -> c.getAttribute("classname")).containsOnly("slt4j.baseline.tiny-classifier");
        List<Element> failures = elements(suite.getElementsByTagName("failure"));
        assertThat(failures).extracting(f -> ((Element) f.getParentNode()).getAttribute("name"))
                .containsExactly("metric:test accuracy", "metric:" + ODD_NAME);
        assertThat(failures.get(0).getAttribute("message")).isEqualTo("metric:test accuracy: expected 0.91, found"
                + " 0.78 at iteration 20 (change -0.13, allowed 0.091)");
        assertThat(suite.getElementsByTagName("system-out").item(0).getTextContent())
                .contains("metric:" + ODD_NAME).contains("REGRESSED");
    }

    @Test
    void junitXmlOfAPassingCheckHasNoFailuresAndItsFolderIsCreated() throws Exception {
        Path xml = dir.resolve("reports/slt4j/same.xml");

        CliRun check = CliRun.of("check", "--run", same, "--baseline", baseline, "--junit-xml", xml);

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(SltCli.EXIT_OK);
        Element suite = parse(xml).getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        assertThat(suite.getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void junitXmlThatCannotBeWrittenIsBadInput() {
        CliRun check = CliRun.of("check", "--run", same, "--baseline", baseline, "--junit-xml", dir);

        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_BAD_INPUT);
        assertThat(check.err().lines()).singleElement().asString()
                .startsWith("slt4j check: error: cannot write the JUnit XML report " + dir);
    }

    @Test
    void jsonIsOneObjectWithTheOutcomeAndEveryMetric() {
        CliRun check = CliRun.of("check", "--run", regressed, "--baseline", baseline, "--json");

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(SltCli.EXIT_REGRESSION);
        JsonObject o = JsonParser.parseString(check.out()).getAsJsonObject();
        assertThat(o.keySet()).containsExactly("holds", "run", "baseline", "metrics", "regressions", "results");
        assertThat(o.get("holds").getAsBoolean()).isFalse();
        assertThat(o.get("run").getAsString()).isEqualTo("regressed.jsonl");
        assertThat(o.get("baseline").getAsString()).isEqualTo(baseline.toString());
        assertThat(o.get("metrics").getAsInt()).isEqualTo(3);
        assertThat(o.get("regressions").getAsInt()).isEqualTo(2);
        JsonObject odd = o.getAsJsonArray("results").get(2).getAsJsonObject();
        assertThat(odd.keySet()).containsExactly("metric", "regressed", "expected", "expectedError", "found",
                "foundError", "iteration", "change", "allowed");
        assertThat(odd.get("metric").getAsString()).isEqualTo("metric:" + ODD_NAME);
        assertThat(odd.get("regressed").getAsBoolean()).isTrue();
        assertThat(odd.get("expected").getAsDouble()).isEqualTo(2.0);
        assertThat(odd.get("found").getAsDouble()).isEqualTo(3.0);
        assertThat(odd.get("iteration").getAsLong()).isEqualTo(20);
        assertThat(odd.get("change").getAsDouble()).isEqualTo(1.0);
        assertThat(odd.get("allowed").getAsDouble()).isEqualTo(0.2);
    }

    @Test
    void jsonGivesANonFiniteFoundValueAsTheRecordSchemasString() throws IOException {
        Path nan = run("nan.jsonl", 0.5, Double.NaN, 2.0);

        CliRun check = CliRun.of("check", "--run", nan, "--baseline", baseline, "--json");

        JsonObject accuracy = JsonParser.parseString(check.out()).getAsJsonObject().getAsJsonArray("results").get(1)
                .getAsJsonObject();
        assertThat(check.exitCode()).isEqualTo(SltCli.EXIT_REGRESSION);
        assertThat(accuracy.get("found").getAsJsonPrimitive().isString()).isTrue();
        assertThat(accuracy.get("found").getAsString()).isEqualTo("NaN");
        assertThat(accuracy.get("change").getAsString()).isEqualTo("NaN");
        assertThat(accuracy.get("regressed").getAsBoolean()).isTrue();
    }

    private static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }
}
