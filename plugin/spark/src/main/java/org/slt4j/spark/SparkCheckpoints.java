package org.slt4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.slt4j.cli.BadInputException;
import org.slt4j.cli.CheckpointCurve;
import org.slt4j.cli.CurveOptions;
import org.slt4j.cli.SltCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slt4j checkpoints} on Apache Spark: the LLC and symmetry curve of a CheckpointListener directory, one
 * checkpoint per task. A main for {@code spark-submit} that takes the command line's options (the same
 * {@link CurveOptions}) and writes the same JSONL records; see docs/spark.md.
 *
 * <p>The driver lists the checkpoints (on any file system Hadoop reads, through Spark's Hadoop configuration),
 * reads the CSV data and prepares it with the first checkpoint, and broadcasts it with the estimator settings.
 * Each task loads its checkpoint and measures it with its own listener: the same computation as the command
 * line's, with the same seed ({@code --seed + iteration}), so with {@code --eps} and {@code --gamma} given the
 * records carry the same numbers. With an automatic step size or localization each checkpoint is calibrated in
 * its task, where the command line calibrates once per segment of checkpoints. The driver writes the records in
 * checkpoint order and finds the symmetry events across them. A checkpoint that cannot be loaded gives failure
 * records and the others complete; a task that fails (a file system error, a lost executor) is retried by Spark
 * and gives the same records.
 */
@Command(name = "slt4j-spark-checkpoints", sortOptions = false, usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {"The checkpoints command on Apache Spark: LLC and symmetry of every checkpoint of a "
            + "CheckpointListener directory, one checkpoint per task, as JSONL (the same records as slt4j "
            + "checkpoints). Run it with spark-submit, or with --master."})
public final class SparkCheckpoints implements Callable<Integer> {

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Directory written by CheckpointListener (with checkpointInfo.txt), as a path or a URI "
                    + "that the cluster's Hadoop reads: file:///..., hdfs://..., s3a://...")
    String dir;

    @Mixin
    CurveOptions curve;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl",
            description = "Output file, on the driver's file system.")
    Path out;

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

    /** Decorates each task's work; tests inject faults here. */
    UnaryOperator<Function<Checkpoint, List<String>>> tasks = UnaryOperator.identity();

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
        CheckpointFiles files = new CheckpointFiles(dir, hadoop);
        List<Checkpoint> checkpoints = files.list();
        CurveRecords records = resume ? CurveRecords.read(out) : new CurveRecords();
        List<Checkpoint> todo = checkpoints.stream().filter(c -> !records.measured(c.getIteration())).toList();
        CheckpointCurve measured = prepare(files, checkpoints.get(0));
        if (!todo.isEmpty()) {
            Broadcast<CheckpointCurve> shared = sc.broadcast(measured);
            Broadcast<SerializableWritable<Configuration>> sharedConf =
                    sc.broadcast(new SerializableWritable<>(hadoop));
            Function<Checkpoint, List<String>> work = tasks.apply(new MeasureCheckpoint(shared, sharedConf, dir));
            List<List<String>> results = sc.parallelize(todo, todo.size()).map(work).collect();
            todo.forEach(c -> records.forget(c.getIteration()));
            results.forEach(records::add);
        }
        records.write(out, measured.eventTracker());
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "Measured %d of %d checkpoints on Spark (%s); wrote %s%n", todo.size(),
                checkpoints.size(), sc.master(), out);
        err.flush();
        return SltCli.EXIT_OK;
    }

    /** The curve, with the data prepared by the first checkpoint and every option checked, before any task runs. */
    private CheckpointCurve prepare(CheckpointFiles files, Checkpoint first) throws IOException {
        Path local = files.fetch(first);
        try {
            CheckpointCurve measured = curve.curve(local, "checkpoints:" + files.dir().getName(), "slt4j-spark");
            measured.listener(record -> { }).close();
            return measured;
        } catch (BadInputException e) {
            throw new BadInputException(files.message(e, local, first), e);
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
