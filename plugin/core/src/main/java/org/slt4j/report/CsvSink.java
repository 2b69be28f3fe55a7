package org.slt4j.report;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetryEvent;

/**
 * Writes records as CSV files in a directory, one file per record type, each with a header row, flushed per
 * record, created at the first record of its type:
 * <ul>
 *   <li>{@code run.csv}: key,value rows of the run header;</li>
 *   <li>{@code loss.csv}: iteration,epoch,timestamp,score,data_loss (the score without regularization; NaN where
 *       not known);</li>
 *   <li>{@code llc.csv}: iteration,epoch,timestamp,llc,std,standard_error,r_hat,ess,chains,diverged_chains,
 *       baseline_loss,n_beta,seed,wall_time_s,warnings,segment;</li>
 *   <li>{@code symmetry.csv}: one row per layer and scan: iteration,epoch,timestamp,layer,units,effective_width,
 *       dead,always_active,zero_outgoing,zero_incoming,duplicate_units,numerical_rank,effective_rank,stable_rank,
 *       removable_directions,llc_upper_bound (the network's);</li>
 *   <li>{@code events.csv}: iteration,confirmed_iteration,epoch,timestamp,layer,kind,units,before,after;</li>
 *   <li>{@code failures.csv}: iteration,epoch,timestamp,diagnostic,error,message;</li>
 *   <li>{@code skips.csv}: iteration,epoch,timestamp,diagnostic,reason,detail;</li>
 *   <li>{@code metrics.csv}: iteration,epoch,timestamp,name,value (user metrics).</li>
 * </ul>
 * Numbers are written as Java prints them (NaN and Infinity included); text is quoted when needed (RFC 4180).
 * The CSV files are for spreadsheets; the JSONL file is the lossless format.
 */
public final class CsvSink implements DiagnosticsSink {
    private final Path directory;
    private final Map<RecordType, LineFile> files = new EnumMap<>(RecordType.class);

    /** A sink writing into the given directory (created when needed). */
    public CsvSink(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public void write(DiagnosticRecord record) {
        if (record instanceof RunHeader h) {
            LineFile f = file(RecordType.HEADER, "run.csv", "key,value");
            row(f, "schemaVersion", h.schemaVersion());
            row(f, "sessionId", h.sessionId());
            row(f, "workerId", h.workerId());
            row(f, "timestamp", h.timestamp());
            row(f, "modelType", h.modelType());
            row(f, "parameters", h.parameters());
            row(f, "layers", h.layers());
            row(f, "trainingSetSize", h.trainingSetSize());
            h.settings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> row(f, "settings." + e.getKey(), e.getValue()));
        } else if (record instanceof LossRecord l) {
            row(file(RecordType.LOSS, "loss.csv", "iteration,epoch,timestamp,score,data_loss"), l.iteration(),
                    l.epoch(), l.timestamp(), l.score(), l.dataLoss());
        } else if (record instanceof MetricRecord m) {
            row(file(RecordType.METRIC, "metrics.csv", "iteration,epoch,timestamp,name,value"), m.iteration(),
                    m.epoch(), m.timestamp(), m.name(), m.value());
        } else if (record instanceof LlcRecord l) {
            LlcEstimate e = l.estimate();
            row(file(RecordType.LLC, "llc.csv", "iteration,epoch,timestamp,llc,std,standard_error,r_hat,ess,chains,"
                            + "diverged_chains,baseline_loss,n_beta,seed,wall_time_s,warnings,segment"), l.iteration(),
                    l.epoch(), l.timestamp(), e.mean(), e.std(), e.standardError(), e.rHat(),
                    e.effectiveSampleSize(), e.chains().size(), e.divergedChains(), e.baselineLoss(),
                    e.config().nBeta(), e.config().seed(), e.wallTime().toNanos() / 1e9,
                    String.join("; ", e.warnings()), l.segment());
        } else if (record instanceof SymmetryRecord s) {
            LineFile f = file(RecordType.SYMMETRY, "symmetry.csv", "iteration,epoch,timestamp,layer,units,"
                    + "effective_width,dead,always_active,zero_outgoing,zero_incoming,duplicate_units,numerical_rank,"
                    + "effective_rank,stable_rank,removable_directions,llc_upper_bound");
            for (LayerSymmetry l : s.snapshot().layers()) {
                row(f, s.iteration(), s.epoch(), s.timestamp(), l.layerName(), l.units(), l.effectiveWidth(),
                        l.deadUnits().length, l.alwaysActiveUnits().length, l.zeroOutgoingUnits().length,
                        l.zeroIncomingUnits().length, l.duplicateClusters().stream().mapToInt(c -> c.length).sum(),
                        l.numericalRank(), l.effectiveRank(), l.stableRank(), l.removableDirections(),
                        s.snapshot().llcUpperBound());
            }
        } else if (record instanceof EventRecord e) {
            SymmetryEvent ev = e.event();
            row(file(RecordType.EVENT, "events.csv", "iteration,confirmed_iteration,epoch,timestamp,layer,kind,units,"
                            + "before,after"), ev.iteration(), ev.confirmedIteration(), e.epoch(), e.timestamp(),
                    ev.layerName(), ev.kind(), Arrays.stream(ev.units()).mapToObj(Integer::toString)
                            .collect(Collectors.joining(" ")), ev.before(), ev.after());
        } else if (record instanceof FailureRecord f) {
            row(file(RecordType.FAILURE, "failures.csv", "iteration,epoch,timestamp,diagnostic,error,message"),
                    f.iteration(), f.epoch(), f.timestamp(), f.diagnostic(), f.error(), f.message());
        } else if (record instanceof SkipRecord s) {
            row(file(RecordType.SKIP, "skips.csv", "iteration,epoch,timestamp,diagnostic,reason,detail"),
                    s.iteration(), s.epoch(), s.timestamp(), s.diagnostic(), s.reason(), s.detail());
        }
    }

    private LineFile file(RecordType type, String name, String columns) {
        LineFile f = files.computeIfAbsent(type, t -> new LineFile(directory.resolve(name)));
        if (f.isNew()) {
            f.writeLine(columns);
        }
        return f;
    }

    private static void row(LineFile file, Object... cells) {
        file.writeLine(Stream.of(cells).map(c -> quote(String.valueOf(c))).collect(Collectors.joining(",")));
    }

    private static String quote(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }

    @Override
    public void close() {
        files.values().forEach(LineFile::close);
    }

    @Override
    public String toString() {
        return "CsvSink(" + directory + ")";
    }
}
