package org.slt4j.check;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slt4j.check.BaselineCheck.MetricResult;
import org.slt4j.check.RunMetric.Measurement;
import org.slt4j.report.LayerMetric;
import org.slt4j.report.RunHistory;

/**
 * Expected values of a run's metrics with their standard errors and tolerances, recorded from one run and checked
 * against later ones (format: {@code docs/baselines.md}). A metric regresses when it moves beyond k combined
 * standard errors <em>and</em> beyond its relative tolerance (see {@link Tolerance}), so reruns with different
 * sampling noise do not fail, while with fixed seeds a rerun reproduces the same numbers exactly. Immutable.
 *
 * <p>Metric names: {@code llc}, {@code loss}, {@code llcUpperBound}, {@code LAYER/METRIC} with METRIC a
 * {@link LayerMetric} name (e.g. {@code layer0/EFFECTIVE_WIDTH}); each optionally with {@code @ITERATION} for the
 * value at that iteration instead of the run's last one.
 */
public final class RunBaseline {
    /** The {@code format} field of baseline files. */
    public static final String FORMAT = "slt4j-baseline";
    /** The version of the baseline format this class writes and the newest it reads. */
    public static final int VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final List<LayerMetric> DEFAULT_LAYER_METRICS = List.of(LayerMetric.EFFECTIVE_WIDTH,
            LayerMetric.DEAD_FRACTION, LayerMetric.EFFECTIVE_RANK);

    private final String source;
    private final List<Entry> entries;

    private RunBaseline(String source, List<Entry> entries) {
        this.source = Objects.requireNonNull(source, "source");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a baseline must have at least one metric (got: none)");
        }
        this.entries = List.copyOf(entries);
    }

    /**
     * One metric of a baseline.
     *
     * @param metric        the metric's name (see the class comment)
     * @param expected      the expected value, finite
     * @param standardError its standard error, finite and &gt;= 0 (0 for metrics without uncertainty)
     * @param tolerance     how far it may move
     */
    public record Entry(String metric, double expected, double standardError, Tolerance tolerance) {
        /** Validates the entry. */
        public Entry {
            RunMetric.parse(metric);
            Objects.requireNonNull(tolerance, "tolerance");
            if (!Double.isFinite(expected)) {
                throw new IllegalArgumentException("expected value of metric '" + metric + "' must be finite (got: "
                        + expected + ")");
            }
            if (!Double.isFinite(standardError) || standardError < 0) {
                throw new IllegalArgumentException("standardError of metric '" + metric
                        + "' must be finite and >= 0 (got: " + standardError + ")");
            }
        }
    }

    /** A baseline of the given entries; {@code source} says where they came from (a file name, a test). */
    public static RunBaseline of(String source, List<Entry> entries) {
        return new RunBaseline(source, entries);
    }

    /**
     * The metrics {@link #record(RunHistory, String, List, Tolerance)} takes by default: {@code llc},
     * {@code loss} and {@code llcUpperBound} where the run has them, every user metric ({@code metric:NAME}), and
     * per scanned layer its effective width, dead fraction and, where some scan computed the layer's spectrum, its
     * effective rank.
     */
    public static List<String> defaultMetrics(RunHistory run) {
        List<String> metrics = new ArrayList<>();
        if (!run.llc().isEmpty()) {
            metrics.add("llc");
        }
        if (!run.loss().isEmpty()) {
            metrics.add("loss");
        }
        if (!run.llcUpperBound().isEmpty()) {
            metrics.add("llcUpperBound");
        }
        run.metricNames().forEach(name -> metrics.add(RunHistory.METRIC_PREFIX + name));
        for (String layer : run.layerNames()) {
            DEFAULT_LAYER_METRICS.stream()
                    .filter(m -> m != LayerMetric.EFFECTIVE_RANK || RunMetric.hasSpectrum(run, layer))
                    .forEach(m -> metrics.add(layer + "/" + m.name()));
        }
        return metrics;
    }

    /**
     * Records a baseline from a run.
     *
     * <p>The fractions of a layer's units ({@code DEAD_FRACTION}, {@code ALWAYS_ACTIVE_FRACTION},
     * {@code DUPLICATE_FRACTION}) are usually 0, where a relative tolerance allows no change at all: their absolute
     * tolerance is at least the relative one, so they may move by that fraction of the whole layer (10% of its units
     * by default), as its effective width may.
     *
     * @param source    where the run came from, stored in the file
     * @param metrics   the metrics to record (e.g. {@link #defaultMetrics(RunHistory)})
     * @param tolerance the tolerance of every metric (edit the file for per-metric tolerances)
     * @throws IllegalArgumentException for an unknown metric, one the run does not have, or a non-finite value
     */
    public static RunBaseline record(RunHistory run, String source, List<String> metrics, Tolerance tolerance) {
        Objects.requireNonNull(run, "run");
        List<Entry> entries = new ArrayList<>();
        for (String metric : metrics) {
            RunMetric parsed = RunMetric.parse(metric);
            Measurement m = parsed.measure(run);
            Tolerance t = parsed.isFraction()
                    ? tolerance.withAbsolute(Math.max(tolerance.absolute(), tolerance.relative())) : tolerance;
            entries.add(new Entry(metric, m.value(), m.standardError(), t));
        }
        return new RunBaseline(source, entries);
    }

    /** Where the baseline was recorded from. */
    public String source() {
        return source;
    }

    /** The metrics, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Checks a run against this baseline.
     *
     * @throws IllegalArgumentException when the run lacks a metric of the baseline (no such series, layer or
     *                                  iteration), naming it
     */
    public BaselineCheck check(RunHistory run) {
        Objects.requireNonNull(run, "run");
        List<MetricResult> results = new ArrayList<>();
        for (Entry e : entries) {
            Measurement m = RunMetric.parse(e.metric()).measure(run);
            double combined = Math.hypot(e.standardError(), m.standardError());
            double allowed = Math.max(e.tolerance().standardErrors() * combined,
                    e.tolerance().allowedChange(e.expected()));
            results.add(new MetricResult(e.metric(), e.expected(), e.standardError(), m.value(), m.standardError(),
                    m.iteration(), allowed, e.tolerance().isRegression(e.expected(), m.value(), combined)));
        }
        return new BaselineCheck(results);
    }

    /** The baseline as pretty-printed JSON (the file format). */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("source", source);
        JsonArray metrics = new JsonArray();
        for (Entry e : entries) {
            JsonObject m = new JsonObject();
            m.addProperty("metric", e.metric());
            m.addProperty("expected", e.expected());
            m.addProperty("standardError", e.standardError());
            m.addProperty("k", e.tolerance().standardErrors());
            m.addProperty("relativeTolerance", e.tolerance().relative());
            m.addProperty("absoluteTolerance", e.tolerance().absolute());
            metrics.add(m);
        }
        o.add("metrics", metrics);
        return GSON.toJson(o);
    }

    /** Writes {@link #toJson()} to a file (replacing it). */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a baseline file.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is not a valid baseline, naming the file and the problem
     */
    public static RunBaseline read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseline " + file + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the file format.
     *
     * @throws IllegalArgumentException if the text is not a valid baseline, naming the problem
     */
    public static RunBaseline fromJson(String json) {
        JsonObject o;
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException("must be a JSON object (got: " + parsed + ")");
            }
            o = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        String format = string(o, "format", "baseline");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be '" + FORMAT + "' (got: '" + format + "')");
        }
        int version = (int) number(o, "version", "baseline");
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("version must be 1.." + VERSION + " (got: " + version + ")");
        }
        JsonElement metrics = o.get("metrics");
        if (metrics == null || !metrics.isJsonArray()) {
            throw new IllegalArgumentException("'metrics' must be an array of metric objects");
        }
        List<Entry> entries = new ArrayList<>();
        int index = 0;
        for (JsonElement element : metrics.getAsJsonArray()) {
            String where = "metrics[" + index++ + "]";
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException(where + " must be an object (got: " + element + ")");
            }
            JsonObject m = element.getAsJsonObject();
            Tolerance tolerance = Tolerance.of(number(m, "k", where), number(m, "relativeTolerance", where))
                    .withAbsolute(m.has("absoluteTolerance") ? number(m, "absoluteTolerance", where) : 0);
            entries.add(new Entry(string(m, "metric", where), number(m, "expected", where),
                    m.has("standardError") ? number(m, "standardError", where) : 0, tolerance));
        }
        return new RunBaseline(o.has("source") ? string(o, "source", "baseline") : "", entries);
    }

    private static String string(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where + " must have a string field '" + field + "' (got: " + e + ")");
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(where + " must have a numeric field '" + field + "' (got: " + e + ")");
        }
        return e.getAsDouble();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunBaseline b && source.equals(b.source) && entries.equals(b.entries);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + entries.hashCode();
    }

    @Override
    public String toString() {
        return "RunBaseline{" + source + ", " + entries.size() + " metrics}";
    }
}
