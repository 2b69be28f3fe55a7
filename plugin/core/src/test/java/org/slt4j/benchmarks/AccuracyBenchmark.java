package org.slt4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.platform.BlasDiagnostics;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.ExactCase;
import org.slt4j.testkit.ExactCases;

/**
 * The default path against exact learning coefficients: {@link ExactCases#draw} cases (regular linear models,
 * reduced rank regressions, deep linear networks at n = 2,000 and 10,000), each estimated with nothing set but the
 * training-set size (minibatches, PAIRED baseline, automatic step size, localization, burn-in and draws) on one
 * thread. Writes the table to a Markdown file (default docs/accuracy.md), row by row as cases finish.
 *
 * <p>Arguments: [cases (default 40)] [seed (default 7)] [output file (default docs/accuracy.md)] [first case, last
 * case + 1 (default: all)] [the estimator's seed (default: {@link LlcConfig}'s, as a user who sets nothing gets)].
 * The first and last case split the suite between machines or processes (each part writes its own file; the cases
 * and their estimates do not depend on the split); another estimator seed draws other chains for the same cases,
 * which shows how much of the table is the luck of one seed.
 */
public final class AccuracyBenchmark {

    private AccuracyBenchmark() {
    }

    /** One case's outcome. */
    record Row(int index, ExactCase exactCase, LlcEstimate estimate, Calibration calibration, double seconds) {
        double relativeError() {
            return estimate.mean() / exactCase.lambda() - 1;
        }

        long steps() {
            return calibration.totalSteps() + estimate.totalSteps();
        }
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        Path out = Path.of(args.length > 2 ? args[2] : "docs/accuracy.md");
        String machine = String.format(Locale.ROOT, "%s, %d cores, OMP_NUM_THREADS=%s, Java %s, load average %.2f "
                + "at the start", cpu(), Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Row> rows = new ArrayList<>();
        List<ExactCase> cases = ExactCases.draw(count, seed);
        int from = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int to = args.length > 4 ? Integer.parseInt(args[4]) : count;
        LlcConfig.Builder defaults = new LlcConfig.Builder().threads(1);
        String reproduce = count + " " + seed + " " + out;
        if (args.length > 5) {
            defaults.seed(Long.parseLong(args[5]));
            reproduce += " 0 " + count + " " + args[5];
        }
        for (int i = from; i < to; i++) {
            Row row = run(i, cases.get(i), defaults);
            rows.add(row);
            System.out.println(line(row));
            write(out, rows, count, seed, defaults.build().seed(), reproduce, machine);
        }
    }

    /** Estimates one case with nothing set in {@code defaults} (one thread, maybe a seed) but the training-set size. */
    static Row run(int index, ExactCase exactCase, LlcConfig.Builder defaults) {
        MultiLayerNetwork net = exactCase.network();
        LossSurface surface = NetworkSurfaces.of(net, exactCase.data(net));
        LlcEstimator estimator = new LlcEstimator(defaults.trainingSetSize(exactCase.trainingSetSize()).build());
        long start = System.nanoTime();
        // estimator.estimate(surface) does exactly these two steps; they are split here to report the
        // calibration's cost.
        Calibration calibration = estimator.calibrate(surface);
        LlcEstimate estimate = estimator.estimate(surface, calibration);
        return new Row(index, exactCase, estimate, calibration, (System.nanoTime() - start) / 1e9);
    }

    private static String line(Row r) {
        LlcEstimate e = r.estimate();
        LlcConfig c = e.config();
        return String.format(Locale.ROOT, "| %d | %s | %d | %.4g | %.4g | %.3g (%.1f%%) | %+.1f%% | %s | %.2g | %.2g "
                + "| %d | %d | %s | %d | %.1f |", r.index(), r.exactCase().label(), r.exactCase().dimension(),
                r.exactCase().lambda(), e.mean(), e.standardError(), 100 * e.relativeStandardError(),
                100 * r.relativeError(), e.isReliable() ? "yes" : "no", c.stepSize().getAsDouble(),
                c.localization().getAsDouble(), c.burnInSteps().getAsInt(), c.draws().getAsInt(),
                e.tuning().drawsStop().name().toLowerCase(Locale.ROOT), r.steps(), r.seconds());
    }

    private static void write(Path out, List<Row> rows, int count, long seed, long chainSeed, String reproduce,
            String machine) {
        StringBuilder md = new StringBuilder();
        md.append("# LLC accuracy with the default settings\n\n")
                .append("Every case is a network with an exact learning coefficient, drawn at random by the test kit's ")
                .append("`ExactCases.draw(").append(count).append(", ").append(seed).append(")`: regular linear ")
                .append("models, reduced rank regressions (sizes up to 10) and deep linear networks (3 to 5 weight ")
                .append("layers, widths 2 to 8), each at a deepest-stratum true parameter of random rank with ")
                .append("noiseless teacher data of n = 2,000 or 10,000 examples. Each is estimated with nothing set ")
                .append("but the training-set size: minibatches of 256, the PAIRED baseline, and the step size, ")
                .append("localization, burn-in and draws chosen automatically (target standard error 2% of the ")
                .append("estimate). One thread per estimate; the estimator's seed is ").append(chainSeed)
                .append(".\n\n")
                .append("Reproduce (from a clean clone; about six minutes on one core):\n\n")
                .append("    OMP_NUM_THREADS=1 mvn -q -pl plugin/core -Dexec.skip=false test-compile ")
                .append("org.codehaus.mojo:exec-maven-plugin:3.2.0:java \\\n")
                .append("        -Dexec.classpathScope=test -Dexec.mainClass=org.slt4j.benchmarks.AccuracyBenchmark ")
                .append("-Dexec.args=\"").append(reproduce).append("\"\n\n")
                .append("Measured on ").append(LocalDate.now()).append(", ").append(machine).append(".\n\n");
        summary(md, rows, count);
        md.append("\nColumns: λ is the exact learning coefficient; SE the estimate's standard error (the largest of ")
                .append("the batch-means, effective-sample-size and chain-means errors); error the relative error of the estimate; eps, γ, burn-in ")
                .append("and draws the settings the estimator chose; stop what ended the draws; steps all SGLD steps ")
                .append("of all chains, calibration included; time the wall-clock seconds of calibration and ")
                .append("estimate on one thread.\n\n")
                .append("| # | case | d | λ | estimate | SE | error | reliable | eps | γ | burn-in | draws | stop | ")
                .append("steps | time (s) |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|\n");
        rows.forEach(r -> md.append(line(r)).append('\n'));
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CPU and its widest vector extension: the time per estimate depends on it, since HotSpot vectorizes the
     * plain-Java SGLD loops with the widest vectors the CPU has.
     */
    private static String cpu() {
        BlasDiagnostics blas = BlasDiagnostics.detect();
        List<String> vectors = blas.vectorExtensions();
        String widest = vectors.contains("avx512f") ? "AVX-512" : vectors.contains("avx2") ? "AVX2"
                : vectors.isEmpty() ? "unknown vector extensions" : vectors.get(vectors.size() - 1);
        return blas.cpuModel().orElse("unknown CPU") + " with " + widest;
    }

    private static void summary(StringBuilder md, List<Row> rows, int count) {
        long within5 = rows.stream().filter(r -> Math.abs(r.relativeError()) <= 0.05).count();
        long reliable = rows.stream().filter(r -> r.estimate().isReliable()).count();
        Row worst = rows.stream().max(Comparator.comparingDouble(r -> Math.abs(r.relativeError()))).orElseThrow();
        Row slowest = rows.stream().max(Comparator.comparingDouble(Row::seconds)).orElseThrow();
        double[] times = rows.stream().mapToDouble(Row::seconds).sorted().toArray();
        long over30 = rows.stream().filter(r -> r.seconds() > 30).count();
        String missed = rows.stream()
                .filter(r -> r.estimate().isReliable() && Math.abs(r.relativeError()) > 0.05)
                .map(r -> String.format(Locale.ROOT, "#%d %s, %+.1f%% (%.1f standard errors)", r.index(),
                        r.exactCase().label(), 100 * r.relativeError(),
                        (r.estimate().mean() - r.exactCase().lambda()) / r.estimate().standardError()))
                .collect(Collectors.joining("; "));
        md.append(String.format(Locale.ROOT, "**Summary** (%d of %d cases run): %d within 5%% of λ; %d reliable. ",
                rows.size(), count, within5, reliable))
                .append(missed.isEmpty() ? "Every estimate outside 5% is flagged unreliable. "
                        : "Reported reliable yet outside 5%: " + missed + ". ")
                .append(String.format(Locale.ROOT, "Worst case: #%d %s, %+.1f%% (estimate %.4g ± %.2g, λ %.4g). ",
                        worst.index(), worst.exactCase().label(), 100 * worst.relativeError(), worst.estimate().mean(),
                        worst.estimate().standardError(), worst.exactCase().lambda()))
                .append(String.format(Locale.ROOT, "Time per estimate on one thread: median %.1f s, slowest %.1f s "
                        + "(#%d %s); %d over 30 s.\n", times[times.length / 2], slowest.seconds(), slowest.index(),
                        slowest.exactCase().label(), over30));
        md.append("\nError by family (mean, root mean square):");
        for (ExactCase.Family family : ExactCase.Family.values()) {
            double[] errors = rows.stream().filter(r -> r.exactCase().family() == family)
                    .mapToDouble(r -> 100 * r.relativeError()).toArray();
            if (errors.length > 0) {
                md.append(String.format(Locale.ROOT, " %s %+.2f%%, %.2f%% (%d cases);", family.shortName(),
                        Arrays.stream(errors).average().orElseThrow(),
                        Math.sqrt(Arrays.stream(errors).map(e -> e * e).average().orElseThrow()), errors.length));
            }
        }
        md.setLength(md.length() - 1);
        md.append(".\n");
    }
}
