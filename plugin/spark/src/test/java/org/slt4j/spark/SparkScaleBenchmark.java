package org.slt4j.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.slt4j.cli.SltCli;
import org.slt4j.testing.TinyNetworks;

/**
 * How the Spark job scales from one core to two: the same 8 checkpoints (the tests' fixture) measured with
 * {@code --master local[1]} and {@code local[2]}, one thread per task, the LLC settings given (2 chains, 1,000
 * burn-in steps and {@code draws} draws each), alternating the two masters for {@code rounds} rounds. Each time is
 * the job's wall-clock time, its Spark context's start and stop included, beside the process's CPU time over it
 * (cores busy = CPU time / wall time). A first, shorter job on {@code local[2]} warms the JVM up (its JIT compiler
 * spends several CPU seconds on ND4J's and DL4J's code, on a core the measured jobs would otherwise share) and is
 * not counted. Prints a Markdown table.
 *
 * <p>Args: {@code [draws (20000)] [rounds (3)] [cores (1,2)]}; the last one restricts the masters run (e.g.
 * {@code 1}, to see under {@code time} how many cores a one-core run uses). Run with OMP_NUM_THREADS=1 on an
 * otherwise idle machine.
 */
public final class SparkScaleBenchmark {

    private SparkScaleBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args draws per chain, rounds, cores of the masters to run
     */
    public static void main(String[] args) throws IOException {
        int draws = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] masters = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        Path dir = Files.createTempDirectory("slt4j-spark-scale");
        Path checkpoints = SparkFixtures.checkpointDir(dir);
        Path csv = TinyNetworks.blobsCsv(dir.resolve("blobs.csv"), 48);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        job(checkpoints, csv, dir.resolve("warm-up.jsonl"), Math.max(1, draws / 10), 2);
        System.out.println("warmed up");
        double[][] seconds = new double[3][rounds];
        double[][] busy = new double[3][rounds];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < rounds; round++) {
            for (int cores : masters) {
                Path out = dir.resolve("run-" + round + "-" + cores + ".jsonl");
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                job(checkpoints, csv, out, draws, cores);
                seconds[cores - 1][round] = (System.nanoTime() - start) / 1e9;
                busy[cores - 1][round] = (os.getProcessCpuTime() - cpu) / 1e9 / seconds[cores - 1][round];
            }
        }
        System.out.printf(Locale.ROOT, "8 checkpoints, 2 chains x (1,000 + %d) steps each, %d rounds after a warm-up, "
                + "load average %.2f at the start, %.2f at the end%n%n", draws, rounds, load,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| master | median wall time | cores busy | all rounds |");
        System.out.println("|---|---:|---:|---|");
        for (int cores : masters) {
            System.out.printf(Locale.ROOT, "| local[%d] | %.1f s | %.2f | %s |%n", cores, median(seconds[cores - 1]),
                    median(busy[cores - 1]), Arrays.toString(seconds[cores - 1]));
        }
        if (masters.length == 2) {
            System.out.printf(Locale.ROOT, "%nspeed-up local[2] / local[1]: %.2fx%n",
                    median(seconds[0]) / median(seconds[1]));
        }
    }

    private static void job(Path checkpoints, Path csv, Path out, int draws, int cores) {
        int exit = SltCli.commandLine(new SparkCheckpoints()).execute("--dir", checkpoints.toUri().toString(),
                "--data", csv.toString(), "--classes", "3", "--chains", "2", "--threads", "1", "--burn-in", "1000",
                "--draws", String.valueOf(draws), "--eps", "1e-4", "--gamma", "100", "--out", out.toString(),
                "--master", "local[" + cores + "]");
        if (exit != SltCli.EXIT_OK) {
            throw new IllegalStateException("the job exited with " + exit);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
