package org.slt4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.slt4j.cli.SltCli;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.testing.TinyNetworks;
import picocli.CommandLine;

/** Checkpoints of a tiny training run, its data as CSV, and runs of the Spark job and of the command line. */
final class SparkFixtures {
    /** Fast LLC settings, given (no calibration): 2 chains of 5 + 20 steps. */
    static final List<String> FAST = List.of("--classes", "3", "--chains", "2", "--burn-in", "5", "--draws", "20",
            "--eps", "1e-4", "--gamma", "100");

    /**
     * Automatic step size, localization, burn-in and draws, kept cheap: 2 chains of at most 300 steps, a 10%
     * target error, two step sizes and one localization to calibrate over.
     */
    static final List<String> AUTOMATIC = List.of("--classes", "3", "--chains", "2", "--max-steps-per-chain", "300",
            "--target-error", "0.1", "--calibration-eps", "1e-4,5e-5", "--calibration-gamma", "100");

    private SparkFixtures() {
    }

    /** Eight checkpoints (iterations 2, 4, ..., 16) of the tiny classifier training on blobs; in dir/checkpoints. */
    static Path checkpointDir(Path dir) throws IOException {
        return TinyNetworks.checkpointDir(dir, 2, 18);
    }

    /** A copy of the checkpoint directory. */
    static Path copy(Path checkpoints, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    /** The command-line arguments: the first ones, the fast settings, then the rest. */
    private static String[] args(List<String> first, Object... rest) {
        return args(first, FAST, rest);
    }

    /** The command-line arguments: the first ones, the settings, then the rest. */
    static String[] args(List<String> first, List<String> settings, Object... rest) {
        List<String> args = new ArrayList<>(first);
        args.addAll(settings);
        for (Object arg : rest) {
            args.add(String.valueOf(arg));
        }
        return args.toArray(String[]::new);
    }

    /** Runs the command line's {@code checkpoints} command with the fast settings; returns its exit code. */
    static int cli(Object... args) {
        return SltCli.commandLine().execute(args(List.of("checkpoints"), args));
    }

    /** Runs the command line's {@code checkpoints} command with the given settings; returns its exit code. */
    static int cliWith(List<String> settings, Object... args) {
        return SltCli.commandLine().execute(args(List.of("checkpoints"), settings, args));
    }

    /** Runs the Spark job with the given settings on the context; returns its exit code. */
    static int sparkWith(JavaSparkContext sc, List<String> settings, Object... args) throws IOException {
        SparkCheckpoints job = new SparkCheckpoints();
        CommandLine cl = SltCli.commandLine(job);
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.parseArgs(args(List.of(), settings, args));
        return job.run(sc);
    }

    /** Runs the Spark job's main with the fast settings (it makes its Spark context); returns its exit code. */
    static int sparkMain(Object... args) {
        return SltCli.commandLine(new SparkCheckpoints()).execute(args(List.of(), args));
    }

    /** Runs the Spark job with the fast settings on the context, as its main would after parsing the arguments. */
    static int spark(JavaSparkContext sc, SparkCheckpoints job, Object... args) throws IOException {
        CommandLine cl = SltCli.commandLine(job);
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.parseArgs(args(List.of(), args));
        return job.run(sc);
    }

    /** The records of a JSONL file. */
    static List<DiagnosticRecord> records(Path jsonl) throws IOException {
        return Files.readAllLines(jsonl).stream().map(RecordJson::decode).toList();
    }
}
