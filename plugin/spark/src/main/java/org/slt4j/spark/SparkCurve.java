package org.slt4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.cli.SltCli;
import org.slt4j.report.RunHistory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The checkpoint curve of {@link SparkCheckpoints} for a program that already holds its data as an RDD of
 * DataSets, instead of a CSV file:
 *
 * <pre>{@code
 * RunHistory curve = new SparkCurve.Builder(sc, trainingData)
 *         .directory("hdfs:///runs/a/checkpoints")
 *         .options("--chains", "8", "--eps", "1e-4", "--gamma", "100")
 *         .granularity(SparkCheckpoints.Granularity.CHAIN)
 *         .build()
 *         .run(Path.of("curve.jsonl"));
 * }</pre>
 *
 * <p><b>Data.</b> Every task holds the whole data set: the SGLD minibatches are drawn from all of it. So the
 * driver collects the RDD (its examples in partition order, features and labels as the CSV's would be read,
 * before the model's normalizer) and broadcasts it once, prepared for the first checkpoint's model. It first
 * sums the data's size on the executors; above {@link Builder#maxBroadcastBytes} (default
 * {@value #DEFAULT_MAX_BROADCAST_BYTES} bytes) it collects nothing and fails, naming the size: take a sample of the
 * RDD ({@code data.sample(false, fraction, seed)}), which estimates the LLC on fewer examples (n in nBeta stays
 * {@code --n} if given), or raise the limit if the driver and every executor can hold it.
 */
public final class SparkCurve {
    /** The default most bytes of features and labels that are broadcast: 256 MiB. */
    public static final long DEFAULT_MAX_BROADCAST_BYTES = 256L << 20;

    private final JavaSparkContext sc;
    private final JavaRDD<DataSet> data;
    private final long maxBroadcastBytes;
    private final List<String> args;

    private SparkCurve(Builder b, List<String> args) {
        this.sc = b.sc;
        this.data = b.data;
        this.maxBroadcastBytes = b.maxBroadcastBytes;
        this.args = args;
    }

    /**
     * Measures the checkpoints and writes the records to {@code out} (and the storage and report, if set).
     *
     * @return the curve's records, as written
     * @throws IllegalArgumentException if the data is empty or larger than the broadcast limit, or does not fit the
     *                                  first checkpoint's model, or a checkpoint source is invalid
     * @throws IOException              if a file cannot be read or written
     */
    public RunHistory run(Path out) throws IOException {
        Objects.requireNonNull(out, "out");
        SparkCheckpoints job = parse(args, out);
        job.rawData = this::collect;
        try {
            job.run(sc);
        } catch (org.slt4j.cli.BadInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return RunHistory.readJsonl(out);
    }

    /** The RDD's examples as one DataSet, in partition order, after checking their size. */
    private DataSet collect() {
        long bytes = data.map(SparkCurve::bytes).fold(0L, Long::sum);
        check(bytes > 0, "data must hold examples (got: an empty RDD)");
        check(bytes <= maxBroadcastBytes, "data must be at most maxBroadcastBytes %s bytes to be "
                + "broadcast to every task (got: %s bytes of features and labels): sample the RDD, or raise "
                + "maxBroadcastBytes", maxBroadcastBytes, bytes);
        List<DataSet> parts = new ArrayList<>(data.collect());
        parts.removeIf(d -> d.isEmpty());
        return parts.size() == 1 ? parts.get(0) : DataSet.merge(parts);
    }

    /** The bytes of a DataSet's features and labels (masks aside). */
    static long bytes(DataSet d) {
        if (d.isEmpty()) {
            return 0;
        }
        return d.getFeatures().length() * d.getFeatures().dataType().width()
                + d.getLabels().length() * d.getLabels().dataType().width();
    }

    /** The job with these options, --data not required (the data comes from elsewhere). */
    static SparkCheckpoints parse(List<String> args, Path out) {
        SparkCheckpoints job = new SparkCheckpoints();
        CommandLine cl = SltCli.commandLine(job);
        // The data comes from the RDD: --data is not required here (and not accepted, see the builder).
        OptionSpec data = cl.getCommandSpec().findOption("--data");
        cl.getCommandSpec().remove(data);
        cl.getCommandSpec().addOption(data.toBuilder().required(false).build());
        cl.setErr(new PrintWriter(new StringWriter()));
        List<String> all = new ArrayList<>(args);
        all.add("--out");
        all.add(out.toString());
        try {
            cl.parseArgs(all.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("invalid options: " + e.getMessage(), e);
        }
        return job;
    }

    /** Guava's checkArgument, without Guava: Spark brings its own, of another version. */
    private static void check(boolean condition, String message, Object... values) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, message, values));
        }
    }

    /** Builder for {@link SparkCurve}; the checkpoints are required, the rest has the command's defaults. */
    public static final class Builder {
        private final JavaSparkContext sc;
        private final JavaRDD<DataSet> data;
        private String directory;
        private List<String> checkpoints;
        private List<String> options = List.of();
        private SparkCheckpoints.Granularity granularity = SparkCheckpoints.Granularity.CHECKPOINT;
        private long maxBroadcastBytes = DEFAULT_MAX_BROADCAST_BYTES;
        private Path storage;
        private Path report;

        /**
         * A curve on the context, with the RDD's examples as the data (features and labels as the model takes
         * them before its normalizer).
         */
        public Builder(JavaSparkContext sc, JavaRDD<DataSet> data) {
            this.sc = Objects.requireNonNull(sc, "sc");
            this.data = Objects.requireNonNull(data, "data");
        }

        /** A directory written by DL4J's CheckpointListener, as a path or URI the cluster's Hadoop reads. */
        public Builder directory(String directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Model zips, as paths or URIs the cluster's Hadoop reads; each one's iteration is the one it saved. */
        public Builder checkpoints(List<String> modelZips) {
            this.checkpoints = List.copyOf(modelZips);
            return this;
        }

        /**
         * The {@code checkpoints} command's estimator, calibration and {@code --layer-llc} options, as on the
         * command line (default: none, so every estimator setting is automatic); not the data options.
         */
        public Builder options(String... options) {
            this.options = List.of(options);
            return this;
        }

        /** What a Spark task does (default {@link SparkCheckpoints.Granularity#CHECKPOINT}). */
        public Builder granularity(SparkCheckpoints.Granularity granularity) {
            this.granularity = Objects.requireNonNull(granularity, "granularity");
            return this;
        }

        /** The most bytes of features and labels that are broadcast (default 256 MiB). */
        public Builder maxBroadcastBytes(long bytes) {
            this.maxBroadcastBytes = bytes;
            return this;
        }

        /** Also write the records into this DL4J FileStatsStorage file (replaced). */
        public Builder storage(Path file) {
            this.storage = Objects.requireNonNull(file, "storage");
            return this;
        }

        /** Also write the HTML report of the curve. */
        public Builder report(Path file) {
            this.report = Objects.requireNonNull(file, "report");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SparkCurve build() {
            check((directory == null) != (checkpoints == null),
                    "exactly one of directory and checkpoints must be set (got: %s)",
                    directory == null ? "neither" : "both");
            check(checkpoints == null || !checkpoints.isEmpty(),
                    "checkpoints must not be empty (got: 0 model zips)");
            check(maxBroadcastBytes > 0, "maxBroadcastBytes must be > 0 (got: %s)",
                    maxBroadcastBytes);
            for (String option : options) {
                check(!List.of("--data", "--classes", "--targets", "--out", "--dir",
                        "--checkpoint", "--granularity", "--master").contains(option.split("=")[0]),
                        "options must not hold %s: the data comes from the RDD, the rest from the builder", option);
            }
            List<String> args = new ArrayList<>(options);
            if (directory != null) {
                args.addAll(List.of("--dir", directory));
            } else {
                args.addAll(List.of("--checkpoint", String.join(",", checkpoints)));
            }
            args.addAll(List.of("--granularity", granularity.name()));
            if (storage != null) {
                args.addAll(List.of("--storage", storage.toString()));
            }
            if (report != null) {
                args.addAll(List.of("--report", report.toString()));
            }
            parse(args, Path.of("check.jsonl"));
            return new SparkCurve(this, args);
        }
    }
}
