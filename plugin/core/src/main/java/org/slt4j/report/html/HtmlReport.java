package org.slt4j.report.html;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slt4j.report.EventRecord;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.Format;
import org.slt4j.report.LayerMetric;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.Series;
import org.slt4j.report.SkipRecord;
import org.slt4j.report.Stage;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * A run as one self-contained HTML page: LLC (with standard errors) and loss over iterations with the symmetry
 * events and the LLC recalibrations marked and unreliable estimates drawn hollow and listed with their warnings, the
 * symmetry metrics per layer, the events, the estimator settings, and any failed or skipped diagnostics. Charts are inline SVG; the page has no scripts and loads nothing, so it works offline (e.g. as a
 * CI artifact).
 *
 * <pre>{@code
 * HtmlReport.write(RunHistory.readJsonl(Path.of("run.jsonl")), Path.of("report.html"), "my run");
 * }</pre>
 *
 * <p>Numbers are written in {@link java.util.Locale#ROOT}, so the page does not depend on the machine's locale. The
 * command-line tool's {@code report} command writes the same page.
 */
public final class HtmlReport {
    private static final Map<Stage.Kind, String> STAGE_COLORS = Map.of(Stage.Kind.RISING, "rgba(44,160,44,0.12)",
            Stage.Kind.FALLING, "rgba(214,39,40,0.10)", Stage.Kind.LEVEL, "rgba(127,127,127,0.10)");
    private static final List<LayerMetric> CHARTED = List.of(LayerMetric.EFFECTIVE_WIDTH, LayerMetric.DEAD_FRACTION,
            LayerMetric.DUPLICATE_FRACTION, LayerMetric.NUMERICAL_RANK, LayerMetric.EFFECTIVE_RANK,
            LayerMetric.STABLE_RANK);

    private HtmlReport() {
    }

    /**
     * Writes the report of a run to a file, as UTF-8, replacing the file if it exists.
     *
     * @param run the run, e.g. {@link RunHistory#readJsonl(Path)} of a JSONL sink's file
     * @param out the HTML file to write; its directory must exist
     * @param title the page's title and heading (plain text; escaped here)
     * @throws IOException if the file cannot be written
     * @throws NullPointerException if an argument is null
     */
    public static void write(RunHistory run, Path out, String title) throws IOException {
        Objects.requireNonNull(out, "out");
        Files.writeString(out, render(run, title), StandardCharsets.UTF_8);
    }

    /**
     * The report of a run as HTML text, e.g. to serve it or attach it elsewhere.
     *
     * @param run the run
     * @param title the page's title and heading (plain text; escaped here)
     * @return a complete HTML document
     * @throws NullPointerException if an argument is null
     */
    public static String render(RunHistory run, String title) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(title, "title");
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:860px;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:left;font-size:13px}th{background:#f3f3f3}")
                .append("h2{margin-top:1.6em;border-bottom:1px solid #ddd}.note{color:#666;font-size:13px}")
                .append("</style></head><body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
        overview(h, run);
        llcAndLoss(h, run);
        metrics(h, run);
        symmetry(h, run);
        events(h, run.events());
        settings(h, run);
        problems(h, run.failures(), run.skips());
        h.append("<p class=\"note\">Written by slt4j. The record schema is described in docs/record-schema.md.</p>")
                .append("\n</body></html>\n");
        return h.toString();
    }

    private static void overview(StringBuilder h, RunHistory run) {
        h.append("<table>");
        run.header().ifPresent(header -> {
            row(h, "session", header.sessionId() + " (worker " + header.workerId() + ")");
            row(h, "model", header.modelType() + ", " + header.parameters() + " parameters, " + header.layers()
                    + " layers");
            row(h, "started", header.timestamp().toString());
            if (header.trainingSetSize() > 0) {
                row(h, "training-set size n", Long.toString(header.trainingSetSize()));
            }
        });
        run.latestLlc().ifPresent(r -> row(h, "last LLC", Format.withError(r.estimate().mean(),
                r.estimate().standardError()) + " (standard error) at iteration " + r.iteration()
                + (r.estimate().isReliable() ? "" : ", " + unreliable(r))));
        row(h, "records", run.llcRecords().size() + " LLC estimates, " + run.symmetryRecords().size()
                + " symmetry scans, " + run.lossRecords().size() + " loss values, " + run.events().size()
                + " events, " + run.failures().size() + " failures, " + run.skips().size() + " skipped");
        h.append("</table>\n");
    }

    private static void llcAndLoss(StringBuilder h, RunHistory run) {
        h.append("<h2>LLC and loss</h2>\n");
        Series llc = run.llc();
        Series loss = run.loss();
        List<LlcRecord> records = run.llcRecords();
        String[] flags = records.stream().map(r -> r.estimate().isReliable() ? null : unreliable(r))
                .toArray(String[]::new);
        String lossName = switch (run.lossKind()) {
            case DATA_LOSS -> "data loss";
            case SCORE -> "score, with regularization";
            case MIXED -> "data loss (score where none was recorded)";
            case NONE -> "loss";
        };
        SvgChart chart = new SvgChart("LLC", lossName)
                .line("LLC ± standard error", llc.iterations(), llc.values(), llc.errors(), false, flags,
                        "unreliable (hover for warnings)")
                .series(lossName, loss, true);
        for (EventRecord e : run.events()) {
            chart.marker(e.iteration(), "iteration " + e.iteration() + ": " + e.event().description());
        }
        List<Stage> stages = run.stages();
        for (Stage stage : stages) {
            chart.band(stage.start(), stage.end(), STAGE_COLORS.get(stage.kind()), stageText(stage));
        }
        long[] recalibrations = run.llcRecalibrations();
        for (long iteration : recalibrations) {
            chart.marker(iteration, "iteration " + iteration + ": the LLC settings were recalibrated (a new "
                    + "segment starts)", "recalibrated");
        }
        figure(h, chart, "Grey dashed vertical lines: symmetry events (hover for details)."
                + (recalibrations.length > 0 ? " Orange ones, labelled \"recalibrated\": the LLC step size and "
                + "localization were calibrated again from there on." : "")
                + (Arrays.stream(flags).anyMatch(Objects::nonNull) ? " Hollow points: unreliable estimates (hover "
                + "for their warnings; listed below)." : "")
                + (stages.isEmpty() ? "" : " Shaded: developmental stages of the LLC (green rising, red falling, grey "
                + "level; listed below)."));
        if (!stages.isEmpty()) {
            h.append("<table><tr><th>stage</th><th>iterations</th><th>LLC</th><th>estimates</th></tr>\n");
            for (int i = 0; i < stages.size(); i++) {
                Stage s = stages.get(i);
                h.append("<tr><td>").append(i + 1).append(": ").append(s.kind().name().toLowerCase(Locale.ROOT))
                        .append("</td><td>").append(s.start()).append(" - ").append(s.end()).append("</td><td>")
                        .append(Html.escape(String.format(Locale.ROOT, "%.4g to %.4g", s.startLlc(), s.endLlc())))
                        .append("</td><td>").append(s.estimates()).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (run.scoreDiffersFromLoss()) {
            Series score = run.score();
            figure(h, new SvgChart("score", "").series("score, with regularization", score, false), "DL4J's score: the data loss plus the regularization terms (L1, L2, "
                    + "weight decay), which the chart above leaves out.");
        }
        List<LlcRecord> flagged = records.stream().filter(r -> !r.estimate().isReliable()).toList();
        if (!flagged.isEmpty()) {
            h.append("<table><tr><th>iteration</th><th>LLC</th><th>segment</th><th>unreliable: warnings</th></tr>\n");
            for (LlcRecord r : flagged) {
                h.append("<tr><td>").append(r.iteration()).append("</td><td>")
                        .append(Html.escape(Format.withError(r.estimate().mean(), r.estimate().standardError())))
                        .append("</td><td>").append(r.segment()).append("</td><td>")
                        .append(Html.escape(String.join("; ", r.estimate().warnings()))).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    /** One chart per user metric, beside the LLC; nothing when the run has none. */
    private static void metrics(StringBuilder h, RunHistory run) {
        List<String> names = run.metricNames();
        if (names.isEmpty()) {
            return;
        }
        h.append("<h2>Your metrics</h2>\n");
        Series llc = run.llc();
        for (String name : names) {
            Series metric = run.metric(name);
            figure(h, new SvgChart("LLC", name).line("LLC ± standard error", llc.iterations(), llc.values(),
                    llc.errors(), false).series(name, metric, true),
                    "Baselines and slt4j check name this metric " + RunHistory.METRIC_PREFIX + name + ".");
        }
    }

    private static String stageText(Stage s) {
        return String.format(Locale.ROOT, "stage: LLC %s from %.4g to %.4g, iterations %d to %d (%d estimates)",
                s.kind().name().toLowerCase(Locale.ROOT), s.startLlc(), s.endLlc(), s.start(), s.end(), s.estimates());
    }

    /** "unreliable: " and the estimate's warnings. */
    private static String unreliable(LlcRecord record) {
        return "unreliable: " + String.join("; ", record.estimate().warnings());
    }

    private static void symmetry(StringBuilder h, RunHistory run) {
        h.append("<h2>Symmetry</h2>\n");
        Series bound = run.llcUpperBound();
        Series llc = run.llc();
        figure(h, new SvgChart("LLC", "").line("upper bound (d - k)/2", bound.iterations(), bound.values(), null,
                false).line("LLC", llc.iterations(), llc.values(), llc.errors(), false),
                "The symmetry bound on the LLC from the removable directions k found by the scans.");
        List<SymmetryRecord> scans = run.symmetryRecords();
        List<SymmetrySnapshot.SkippedLayer> skipped = scans.isEmpty() ? List.of()
                : scans.get(scans.size() - 1).snapshot().skippedLayers();
        if (!skipped.isEmpty()) {
            h.append("<p class=\"note\">Layers the latest scan did not analyse (the bound counts all their parameters: "
                    + "no removable directions are looked for in them):</p>\n<table><tr><th>layer</th><th>why</th></tr>\n");
            for (SymmetrySnapshot.SkippedLayer s : skipped) {
                h.append("<tr><td>").append(Html.escape(s.layerName())).append("</td><td>")
                        .append(Html.escape(s.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        for (LayerMetric metric : CHARTED) {
            SvgChart chart = new SvgChart(metric.label(), "");
            for (String layer : run.layerNames()) {
                Series s = run.layer(layer, metric);
                chart.line(layer, s.iterations(), s.values(), null, false);
            }
            String heading = metric.label().substring(0, 1).toUpperCase(Locale.ROOT) + metric.label().substring(1);
            h.append("<h3>").append(Html.escape(heading)).append(" per layer</h3>\n");
            figure(h, chart, null);
        }
    }

    private static void events(StringBuilder h, List<EventRecord> events) {
        h.append("<h2>Events</h2>\n");
        if (events.isEmpty()) {
            h.append("<p class=\"note\">No symmetry events.</p>\n");
            return;
        }
        h.append("<table><tr><th>iteration</th><th>confirmed</th><th>kind</th><th>layer</th><th>description</th>"
                + "</tr>\n");
        for (EventRecord e : events) {
            h.append("<tr><td>").append(e.iteration()).append("</td><td>").append(e.event().confirmedIteration())
                    .append("</td><td>").append(e.event().kind()).append("</td><td>")
                    .append(Html.escape(e.event().layerName())).append("</td><td>")
                    .append(Html.escape(e.event().description())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void settings(StringBuilder h, RunHistory run) {
        h.append("<h2>Estimator settings</h2>\n");
        List<LlcRecord> llc = run.llcRecords();
        if (llc.isEmpty()) {
            h.append("<p class=\"note\">No LLC estimates.</p>\n");
        } else {
            LlcRecord last = llc.get(llc.size() - 1);
            long distinct = llc.stream().map(r -> r.estimate().config()).distinct().count();
            h.append("<table>");
            JsonObject config = JsonParser.parseString(RecordJson.encode(last.estimate().config())).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : config.entrySet()) {
                row(h, e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString()
                        : e.getValue().toString());
            }
            h.append("</table>\n<p class=\"note\">Of the last estimate (iteration ").append(last.iteration())
                    .append(")").append(distinct > 1 ? "; the run used " + distinct + " different settings" : "")
                    .append(".</p>\n");
        }
        RunHeader header = run.header().orElse(null);
        if (header != null && !header.settings().isEmpty()) {
            h.append("<h3>Run settings</h3>\n<table>");
            header.settings().forEach((k, v) -> row(h, k, v));
            h.append("</table>\n");
        }
    }

    private static void problems(StringBuilder h, List<FailureRecord> failures, List<SkipRecord> skips) {
        if (failures.isEmpty() && skips.isEmpty()) {
            return;
        }
        h.append("<h2>Failed and skipped diagnostics</h2>\n<table><tr><th>iteration</th><th>diagnostic</th>"
                + "<th>what</th><th>detail</th></tr>\n");
        for (FailureRecord f : failures) {
            h.append("<tr><td>").append(f.iteration()).append("</td><td>").append(f.diagnostic())
                    .append("</td><td>failed: ").append(Html.escape(f.error())).append("</td><td>")
                    .append(Html.escape(String.valueOf(f.message()))).append("</td></tr>\n");
        }
        for (SkipRecord s : skips) {
            h.append("<tr><td>").append(s.iteration()).append("</td><td>").append(s.diagnostic())
                    .append("</td><td>skipped: ").append(s.reason()).append("</td><td>")
                    .append(Html.escape(String.valueOf(s.detail()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void figure(StringBuilder h, SvgChart chart, String note) {
        if (chart.isEmpty()) {
            h.append("<p class=\"note\">No data.</p>\n");
            return;
        }
        h.append("<figure>\n").append(chart.toSvg());
        if (note != null) {
            h.append("<figcaption class=\"note\">").append(Html.escape(note)).append("</figcaption>\n");
        }
        h.append("</figure>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value))
                .append("</td></tr>");
    }
}
