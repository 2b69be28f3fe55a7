package org.slt4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import org.slt4j.symmetry.LayerSymmetry;

/**
 * A training run's diagnostics, loaded for reading: records by type and as {@link Series} (LLC with its
 * standard error, loss, symmetry metrics per layer). The UI, the CLI and the assertions read runs through it.
 * Immutable. Read a JSONL file with {@link #readJsonl(Path)}, a DL4J StatsStorage session with
 * {@code org.slt4j.report.storage.StoredRun}.
 *
 * <p>Training records are sorted by iteration, then timestamp, so results of asynchronous diagnostics,
 * which arrive late, appear where they belong.
 */
public final class RunHistory {
    /** The prefix of user metrics' series names: {@code metric:NAME} cannot collide with the other series. */
    public static final String METRIC_PREFIX = "metric:";
    private final RunHeader header;
    private final List<TrainingRecord> records;

    private RunHistory(RunHeader header, List<TrainingRecord> records) {
        this.header = header;
        this.records = records;
    }

    /** A history of the given records: the first header, if any, and every training record. */
    public static RunHistory of(Collection<? extends DiagnosticRecord> records) {
        RunHeader header = null;
        List<TrainingRecord> training = new ArrayList<>();
        for (DiagnosticRecord r : records) {
            if (r instanceof RunHeader h) {
                header = header == null ? h : header;
            } else {
                training.add((TrainingRecord) r);
            }
        }
        training.sort(Comparator.comparingLong(TrainingRecord::iteration).thenComparing(TrainingRecord::timestamp));
        return new RunHistory(header, List.copyOf(training));
    }

    /**
     * Reads a JSONL file written by {@link JsonlSink}. Blank lines are skipped, and so is an incomplete last line
     * (a run killed while writing), and so are records of types this version does not know (written by a later
     * version: the forward compatibility rule of docs/record-schema.md).
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if a line other than the last is not a valid record, with its line number
     */
    public static RunHistory readJsonl(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<DiagnosticRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                RecordJson.decodeKnown(line).ifPresent(records::add);
            } catch (IllegalArgumentException e) {
                if (i < lines.size() - 1) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return of(records);
    }

    /** The run header; empty when the records had none. */
    public Optional<RunHeader> header() {
        return Optional.ofNullable(header);
    }

    /** Every training record, sorted by iteration. */
    public List<TrainingRecord> records() {
        return records;
    }

    /** The loss records, by iteration. */
    public List<LossRecord> lossRecords() {
        return ofType(LossRecord.class);
    }

    /** The whole-network LLC records, by iteration (per-layer ones: {@link #layerLlcRecords(String)}). */
    public List<LlcRecord> llcRecords() {
        return ofType(LlcRecord.class).stream().filter(LlcRecord::isWholeNetwork).toList();
    }

    /** The per-layer (restricted) LLC records of one layer, by iteration. */
    public List<LlcRecord> layerLlcRecords(String layer) {
        return ofType(LlcRecord.class).stream().filter(r -> layer.equals(r.layer())).toList();
    }

    /** The layers with per-layer LLC records, in order of first appearance. */
    public List<String> llcLayers() {
        return ofType(LlcRecord.class).stream().map(LlcRecord::layer).filter(java.util.Objects::nonNull)
                .distinct().toList();
    }

    /** One layer's restricted LLC over iterations, with standard errors. */
    public Series layerLlc(String layer) {
        return llcSeries("llc:" + layer, layerLlcRecords(layer));
    }

    /** The user metric records, by iteration. */
    public List<MetricRecord> metricRecords() {
        return ofType(MetricRecord.class);
    }

    /** The names of the user metrics, in order of first appearance. */
    public List<String> metricNames() {
        return metricRecords().stream().map(MetricRecord::name).distinct().toList();
    }

    /**
     * One user metric over iterations, named {@code metric:NAME} (as baselines name it); empty when the run has no
     * such metric.
     */
    public Series metric(String name) {
        return series(METRIC_PREFIX + name, metricRecords().stream().filter(r -> r.name().equals(name)).toList(),
                MetricRecord::iteration, MetricRecord::value, r -> Double.NaN);
    }

    /** The symmetry scans, by iteration. */
    public List<SymmetryRecord> symmetryRecords() {
        return ofType(SymmetryRecord.class);
    }

    /** The symmetry events, by first-seen iteration. */
    public List<EventRecord> events() {
        return ofType(EventRecord.class);
    }

    /** The failures, by iteration. */
    public List<FailureRecord> failures() {
        return ofType(FailureRecord.class);
    }

    /** The skipped diagnostics, by iteration. */
    public List<SkipRecord> skips() {
        return ofType(SkipRecord.class);
    }

    /** The latest LLC estimate by iteration. */
    public Optional<LlcRecord> latestLlc() {
        List<LlcRecord> llc = llcRecords();
        return llc.isEmpty() ? Optional.empty() : Optional.of(llc.get(llc.size() - 1));
    }

    /** The LLC estimates over iterations, with their standard errors. */
    public Series llc() {
        return llcSeries("llc", llcRecords());
    }

    /**
     * The developmental stages of the whole-network LLC curve: stretches of at least three estimates over which it
     * rose, fell or stayed level, between critical points found as {@link Stages} describes. Derived on every call
     * from the records, never stored.
     */
    public List<Stage> stages() {
        return Stages.of(llcRecords());
    }

    /**
     * The iterations at which the LLC estimates were recalibrated: those of the whole-network records whose
     * {@link LlcRecord#segment() segment} differs from the previous one's (the first record's calibration is not a
     * recalibration).
     */
    public long[] llcRecalibrations() {
        List<LlcRecord> llc = llcRecords();
        return IntStream.range(1, llc.size())
                .filter(i -> llc.get(i).segment() != llc.get(i - 1).segment())
                .mapToLong(i -> llc.get(i).iteration()).toArray();
    }

    /** What {@link #loss()} holds. */
    public enum LossKind {
        /** Every loss record's data loss: the loss without regularization terms. */
        DATA_LOSS,
        /** Every loss record's score, regularization included: no record has a data loss (older files, DL4J's own
         *  StatsListener scores). */
        SCORE,
        /** Data losses, and scores where a record has none. */
        MIXED,
        /** There are no loss records. */
        NONE
    }

    /**
     * The training loss over iterations: each record's data loss (without regularization terms), or its score where
     * the record has no data loss ({@link #lossKind()} says which). This is the loss the page, the report, the
     * baselines and {@code slt4j check} use (the metric {@code loss}).
     */
    public Series loss() {
        return series("loss", lossRecords(), LossRecord::iteration, LossRecord::loss, r -> Double.NaN);
    }

    /** DL4J's score over iterations: the minibatch loss with the regularization terms. */
    public Series score() {
        return series("score", lossRecords(), LossRecord::iteration, LossRecord::score, r -> Double.NaN);
    }

    /**
     * Whether the score says something the data loss does not: some loss record has a data loss that differs from
     * its score (the run was regularized). Charts then show the score as a second series.
     */
    public boolean scoreDiffersFromLoss() {
        return lossRecords().stream().anyMatch(r -> r.hasDataLoss() && Double.compare(r.dataLoss(), r.score()) != 0);
    }

    /** Whether {@link #loss()} is the data loss, the score, or both. */
    public LossKind lossKind() {
        List<LossRecord> loss = lossRecords();
        long withDataLoss = loss.stream().filter(LossRecord::hasDataLoss).count();
        return loss.isEmpty() ? LossKind.NONE : withDataLoss == loss.size() ? LossKind.DATA_LOSS
                : withDataLoss == 0 ? LossKind.SCORE : LossKind.MIXED;
    }

    /** The symmetry bound (d - k) / 2 on the LLC over iterations. */
    public Series llcUpperBound() {
        return series("llcUpperBound", symmetryRecords(), SymmetryRecord::iteration,
                s -> s.snapshot().llcUpperBound(), s -> Double.NaN);
    }

    /** The names of the layers seen in symmetry scans, in network order of their first scan. */
    public List<String> layerNames() {
        Set<String> names = new LinkedHashSet<>();
        symmetryRecords().forEach(s -> s.snapshot().layers().forEach(l -> names.add(l.layerName())));
        return List.copyOf(names);
    }

    /**
     * One layer's symmetry metric over the scans that analysed it.
     *
     * @param layerName a name from {@link #layerNames()}
     * @param metric    the metric
     * @return the series, named {@code layerName/METRIC}; empty when no scan analysed that layer
     */
    public Series layer(String layerName, LayerMetric metric) {
        List<LayerSymmetry> layers = new ArrayList<>();
        List<Long> iterations = new ArrayList<>();
        for (SymmetryRecord s : symmetryRecords()) {
            s.snapshot().layer(layerName).ifPresent(l -> {
                layers.add(l);
                iterations.add(s.iteration());
            });
        }
        long[] its = iterations.stream().mapToLong(Long::longValue).toArray();
        double[] values = layers.stream().mapToDouble(metric::of).toArray();
        double[] errors = new double[its.length];
        Arrays.fill(errors, Double.NaN);
        return new Series(layerName + "/" + metric, its, values, errors);
    }

    private <T extends TrainingRecord> List<T> ofType(Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Series llcSeries(String name, List<LlcRecord> records) {
        return series(name, records, LlcRecord::iteration, r -> r.estimate().mean(),
                r -> r.estimate().standardError());
    }

    private static <T> Series series(String name, List<T> items, ToLongFunction<T> iteration,
            ToDoubleFunction<T> value, ToDoubleFunction<T> error) {
        return new Series(name, items.stream().mapToLong(iteration).toArray(),
                items.stream().mapToDouble(value).toArray(), items.stream().mapToDouble(error).toArray());
    }

    @Override
    public String toString() {
        return "RunHistory{" + (header == null ? "no header" : header.sessionId()) + ", " + records.size()
                + " records, " + llcRecords().size() + " LLC, " + symmetryRecords().size() + " scans}";
    }
}
