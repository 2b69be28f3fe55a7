package org.slt4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.slt4j.check.BaselineCheck;
import org.slt4j.check.BaselineCheck.MetricResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The machine-readable forms of a {@code check} result: one JSON object for scripts, and a JUnit XML report for CI
 * servers (one test case per metric, a failure per regression). Both are documented in docs/ci.md.
 */
final class CheckReports {

    private CheckReports() {
    }

    /**
     * The check as one JSON object; non-finite numbers (a found NaN) are the strings {@code "NaN"},
     * {@code "Infinity"}, {@code "-Infinity"}, as in the record schema.
     */
    static String json(BaselineCheck check, String run, String baseline) {
        JsonObject o = new JsonObject();
        o.addProperty("holds", check.holds());
        o.addProperty("run", run);
        o.addProperty("baseline", baseline);
        o.addProperty("metrics", check.results().size());
        o.addProperty("regressions", check.regressions().size());
        JsonArray results = new JsonArray();
        for (MetricResult r : check.results()) {
            JsonObject m = new JsonObject();
            m.addProperty("metric", r.metric());
            m.addProperty("regressed", r.regressed());
            m.add("expected", number(r.expected()));
            m.add("expectedError", number(r.expectedError()));
            m.add("found", number(r.found()));
            m.add("foundError", number(r.foundError()));
            m.addProperty("iteration", r.iteration());
            m.add("change", number(r.change()));
            m.add("allowed", number(r.allowed()));
            results.add(m);
        }
        o.add("results", results);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
    }

    private static JsonPrimitive number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : new JsonPrimitive(Double.toString(value));
    }

    /**
     * Writes the check as a JUnit XML report: a {@code testsuite} named after the run with a {@code testcase} per
     * metric (class name {@code slt4j.baseline.<baseline file name>}), a {@code failure} in each that regressed, and
     * the table as the suite's {@code system-out}.
     */
    static void writeJunitXml(BaselineCheck check, String run, Path baseline, Path file) throws IOException {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Element suite = doc.createElement("testsuite");
        suite.setAttribute("name", "slt4j check of " + run);
        suite.setAttribute("tests", Integer.toString(check.results().size()));
        suite.setAttribute("failures", Integer.toString(check.regressions().size()));
        suite.setAttribute("errors", "0");
        suite.setAttribute("skipped", "0");
        doc.appendChild(suite);
        Element properties = doc.createElement("properties");
        properties.appendChild(property(doc, "run", run));
        properties.appendChild(property(doc, "baseline", baseline.toString()));
        suite.appendChild(properties);
        String className = "slt4j.baseline." + baseline.getFileName().toString().replaceFirst("\\.json$", "");
        for (MetricResult r : check.results()) {
            Element testCase = doc.createElement("testcase");
            testCase.setAttribute("classname", className);
            testCase.setAttribute("name", r.metric());
            testCase.setAttribute("time", "0");
            if (r.regressed()) {
                Element failure = doc.createElement("failure");
                failure.setAttribute("type", "regression");
                failure.setAttribute("message", r.describe());
                failure.setTextContent(r.describe());
                testCase.appendChild(failure);
            }
            suite.appendChild(testCase);
        }
        Element out = doc.createElement("system-out");
        out.setTextContent(check.table());
        suite.appendChild(out);
        StringWriter xml = new StringWriter();
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.transform(new DOMSource(doc), new StreamResult(xml));
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, xml.toString());
    }

    private static Element property(Document doc, String name, String value) {
        Element property = doc.createElement("property");
        property.setAttribute("name", name);
        property.setAttribute("value", value);
        return property;
    }
}
