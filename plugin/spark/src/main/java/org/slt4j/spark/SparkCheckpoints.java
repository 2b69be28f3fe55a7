package org.slt4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.slt4j.cli.BadInputException;
import org.slt4j.cli.CheckpointCurve;
import org.slt4j.cli.CurveOptions;
import org.slt4j.cli.SltCli;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.ChainProgress;
import org.slt4j.report.RecordJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slt4j checkpoints} on Apache Spark: the LLC and symmetry curve of a CheckpointListener directory or of
 * model zips given one by one. A main for {@code spark-submit} that takes the command line's options (the same
 * {@link CurveOptions}) and writes the same JSONL records, and optionally a DL4J FileStatsStorage and the HTML
 * report; see docs/spark.md.
 *
 * <p>The driver lists the checkpoints (on any file system Hadoop reads, through Spark's Hadoop configuration),
 * reads the CSV data and prepares it with the first checkpoint, and broadcasts it with the estimator settings.
 * Then, by {@code --granularity}:
 * <ul>
 *   <li>{@code checkpoint} (default): one task per checkpoint loads it and measures it with its own listener,
 *       the command line's computation with the same seed ({@code --seed + iteration}). With an automatic step
 *       size or localization each checkpoint is calibrated in its task, where the command line calibrates once per
 *       segment of checkpoints.</li>
 *   <li>{@code chain}: the driver measures the checkpoints one after another with one listener, as the command
 *       line does, and every SGLD chain of every estimate and calibration setting is a task
 *       ({@link SparkChains}); the records equal the command line's with automatic settings too.</li>
 * </ul>
 * The driver writes the records in checkpoint order and finds the symmetry events across them. A checkpoint that
 * cannot be loaded gives failure records and the others complete; a task that fails (a file system error, a lost
 * executor) is retried by Spark and gives the same records.
 */
@Command(name = "slt4j-spark-checkpoints", sortOptions = false, usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {"The checkpoints command on Apache Spark: LLC and symmetry of every checkpoint, as JSONL (the "
            + "same records as slt4j checkpoints), one checkpoint or one SGLD chain per task. Run it with "
            + "spark-submit, or with --master."})
public final class SparkCheckpoints implements Callable<Integer> {

    /** What a Spark task does. */
    public enum Granularity {
        /** One checkpoint per task, its chains on the task's threads; each checkpoint calibrated on its own. */
        CHECKPOINT,
        /** One SGLD chain (of an estimate, or of a calibration setting) per task; checkpoints one after another. */
        CHAIN
    }

    /** {@code checkpoint} or {@code chain}, in any case. */
    static final class GranularityConverter implements picocli.CommandLine.ITypeConverter<Granularity> {
        @Override
        public Granularity convert(String value) {
            for (Granularity g : Granularity.values()) {
                if (g.name().equalsIgnoreCase(value.strip())) {
                    return g;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("--granularity must be checkpoint or chain (got: '"
                    + value + "')");
        }
    }

    /** Where the checkpoints are: exactly one of the two. */
    static final class Source {
        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "Directory written by CheckpointListener (with checkpointInfo.txt), as a path or a "
                        + "URI that the cluster's Hadoop reads: file:///..., hdfs://..., s3a://...")
        String dir;

        @Option(names = "--checkpoint", required = true, split = ",", paramLabel = "ZIP",
                description = "Model zips, as paths or URIs the cluster's Hadoop reads (repeat the option or "
                        + "separate with commas); each one's iteration and epoch are those saved in the model.")
        List<String> models;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    CurveOptions curve;

    @Option(names = "--granularity", paramLabel = "checkpoint|chain", defaultValue = "checkpoint",
            converter = GranularityConverter.class,
            description = "A task per checkpoint (default; each checkpoint calibrated on its own), or per SGLD chain "
                    + "(checkpoints one after another, each estimate's and calibration's chains spread; the "
                    + "command line's records with automatic settings too).")
    Granularity granularity;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl",
            description = "Output file, on the driver's file system.")
    Path out;

    @Option(names = "--storage", paramLabel = "FILE",
            description = "Also write the records into this DL4J FileStatsStorage (replaced), for the UI's slt4j page.")
    Path storage;

    @Option(names = "--report", paramLabel = "REPORT.html", description = "Also write the HTML report of the curve.")
    Path report;

    @Option(names = "--resume",
            description = "Measure only the checkpoints that --out has no LLC or symmetry record of yet (again the "
                    + "ones that failed), and write them into it.")
    boolean resume;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[4] (default: the one spark-submit sets).")
    String master;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** The data, when a program gives it ({@link SparkCurve}) instead of --data; null: the CSV. */
    java.util.function.Supplier<org.nd4j.linalg.dataset.DataSet> rawData;
    /** Decorates each checkpoint task's work; tests inject faults here. */
    UnaryOperator<Function<CheckpointFile, List<String>>> tasks = UnaryOperator.identity();
    /** Decorates each chain task's work; tests inject faults here. */
    UnaryOperator<Function<SparkChains.ChainTask, ChainProgress>> chainTasks = UnaryOperator.identity();

    /** Runs the job and exits the JVM with the command line's exit codes ({@link SltCli}). */
    public static void main(String[] args) {
        System.exit(SltCli.commandLine(new SparkCheckpoints()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        SparkConf conf = new SparkConf().setAppName("slt4j checkpoints");
        if (master != null) {
            conf.setMaster(master);
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            return run(sc);
        }
    }

    /** Runs the job on the context. */
    int run(JavaSparkContext sc) throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        CheckpointFiles files = new CheckpointFiles(hadoop);
        List<CheckpointFile> checkpoints = source.dir != null ? files.list(source.dir) : files.of(source.models);
        CurveRecords records = resume ? CurveRecords.read(out) : new CurveRecords();
        List<CheckpointFile> todo = checkpoints.stream().filter(c -> !records.measured(c.iteration())).toList();
        CheckpointCurve measured = prepare(files, checkpoints.get(0));
        long tasksRun = 0;
        if (!todo.isEmpty()) {
            Broadcast<CheckpointCurve> shared = sc.broadcast(measured);
            Broadcast<SerializableWritable<Configuration>> sharedConf =
                    sc.broadcast(new SerializableWritable<>(hadoop));
            List<List<String>> results;
            if (granularity == Granularity.CHECKPOINT) {
                Function<CheckpointFile, List<String>> work = tasks.apply(new MeasureCheckpoint(shared, sharedConf));
                results = sc.parallelize(todo, todo.size()).map(work).collect();
                tasksRun = todo.size();
            } else {
                SparkChains chains = new SparkChains(sc, shared, sharedConf, chainTasks);
                results = List.of(measureOneByOne(files, measured, chains, todo));
                tasksRun = chains.tasks();
            }
            todo.forEach(c -> records.forget(c.iteration()));
            results.forEach(records::add);
        }
        records.write(out, measured.eventTracker(), describe(granularity));
        DriverOutputs.write(out, storage, report);
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "Measured %d of %d checkpoints on Spark (%s, %d tasks of granularity %s); wrote %s%n",
                todo.size(), checkpoints.size(), sc.master(), tasksRun, granularity.name().toLowerCase(Locale.ROOT),
                out);
        err.flush();
        return SltCli.EXIT_OK;
    }

    /** The chain granularity: one listener on the driver, checkpoint after checkpoint, the chains as tasks. */
    private static List<String> measureOneByOne(CheckpointFiles files, CheckpointCurve measured, SparkChains chains,
            List<CheckpointFile> todo) throws IOException {
        List<String> lines = new ArrayList<>();
        try (SltListener listener = measured.listener(record -> lines.add(RecordJson.encode(record)), chains)) {
            for (CheckpointFile c : todo) {
                Path local = files.fetch(c);
                try {
                    chains.measuring(c);
                    measured.measure(listener, local, c.checkpoint());
                } catch (RuntimeException e) {
                    lines.addAll(MeasureCheckpoint.failures(c, CheckpointFiles.message(e, local, c), e));
                } finally {
                    Files.deleteIfExists(local);
                }
            }
        }
        return lines;
    }

    private static String describe(Granularity granularity) {
        return granularity == Granularity.CHECKPOINT
                ? "one checkpoint per Spark task: its chains run in the task, and automatic LLC settings are "
                        + "calibrated per checkpoint; events are found across the checkpoints"
                : "one SGLD chain per Spark task: the driver measures the checkpoints in order with one listener "
                        + "(calibrating per segment, as the command line does), each round of an estimate's or "
                        + "calibration setting's chains is a Spark job; events are found across the checkpoints";
    }

    /** The curve, with the data prepared by the first checkpoint and every option checked, before any task runs. */
    private CheckpointCurve prepare(CheckpointFiles files, CheckpointFile first) throws IOException {
        Path local = files.fetch(first);
        try {
            // The session is named after the directory: the one given, or the first model zip's.
            org.apache.hadoop.fs.Path named = new org.apache.hadoop.fs.Path(source.dir != null ? source.dir
                    : first.path());
            String name = source.dir != null || named.getParent() == null ? named.getName()
                    : named.getParent().getName();
            CheckpointCurve measured = rawData == null ? curve.curve(local, "checkpoints:" + name, "slt4j-spark")
                    : curve.curve(local, rawData.get(), "checkpoints:" + name, "slt4j-spark");
            measured.listener(record -> { }).close();
            return measured;
        } catch (BadInputException e) {
            throw new BadInputException(CheckpointFiles.message(e, local, first), e);
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
