package org.slt4j.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slt4j.listener.Schedule;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.EventRecord;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.MetricRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryThresholds;

/**
 * The records of a long training run, made up but shaped like SltListener's defaults, for the page's long-run
 * tests and benchmark: a loss record every iteration (a decaying data loss with noise and a spike every 100,000
 * iterations; the score 0.5 above it), two user metrics every {@code metricEvery} iterations, an LLC estimate on
 * the default {@code logSpaced(4)} schedule, a symmetry scan of three layers every {@code scanEvery} iterations
 * (SltListener's default: 500), and a symmetry event every {@code eventEvery} iterations. Deterministic: iteration
 * {@code i} always gives the same records.
 */
public final class SyntheticRun {
    /** The session ID of the run. */
    public static final String SESSION = "long-run";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Schedule LLC_SCHEDULE = Schedule.logSpaced(4);

    private final int metricEvery;
    private final int scanEvery;
    private final int eventEvery;
    private final LlcEstimate estimate;

    /** A run with user metrics, symmetry scans and events at the given intervals. */
    public SyntheticRun(int metricEvery, int scanEvery, int eventEvery) {
        this.metricEvery = metricEvery;
        this.scanEvery = scanEvery;
        this.eventEvery = eventEvery;
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(1000).chains(4).burnInSteps(20).draws(100)
                .stepSize(1e-3).localization(100).threads(1).seed(1).build();
        this.estimate = new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 2, 3, 4, 5, 6));
    }

    /** The run header. */
    public RunHeader header() {
        return new RunHeader(RecordJson.SCHEMA_VERSION, SESSION, "worker-0", START, "MultiLayerNetwork", 5_379, 3,
                60_000, Map.of("mode", "async", "llc.schedule", "logSpaced(4)"));
    }

    /** The records of iterations {@code from} (inclusive) to {@code to} (exclusive), in the order a listener writes them. */
    public List<DiagnosticRecord> records(long from, long to) {
        List<DiagnosticRecord> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            Instant t = START.plusMillis(i);
            Random random = new Random(i);
            double dataLoss = 0.05 + 2 * Math.exp(-i / 200_000.0) * (1 + 0.2 * random.nextGaussian())
                    + (i % 100_000 == 99_999 ? 5 : 0);
            out.add(new LossRecord(i, 0, t, dataLoss + 0.5, dataLoss));
            if (i % metricEvery == 0) {
                out.add(new MetricRecord(i, 0, t, "test accuracy", 1 - 0.9 * Math.exp(-i / 300_000.0)));
                out.add(new MetricRecord(i, 0, t, "test loss", dataLoss * (1.1 + 0.1 * random.nextDouble())));
            }
            if (LLC_SCHEDULE.firesAtIteration(i)) {
                out.add(LlcRecord.of(estimate, i, 0, t));
            }
            if (i % scanEvery == 0) {
                out.add(new SymmetryRecord(0, t, Duration.ofMillis(3), scan(i, random)));
            }
            if (i % eventEvery == eventEvery - 1) {
                out.add(new EventRecord(0, t, new SymmetryEvent(SymmetryEvent.Kind.UNIT_DIED, "dense_1",
                        new int[] {(int) (i / eventEvery % 64)}, i - eventEvery / 2, i, 0, 1)));
            }
        }
        return out;
    }

    private static SymmetrySnapshot scan(long iteration, Random random) {
        List<LayerSymmetry> layers = new ArrayList<>();
        int[] widths = {64, 64, 3};
        for (int l = 0; l < widths.length; l++) {
            int dead = l == 2 ? 0 : (int) Math.min(widths[l] / 2, iteration / 50_000 + random.nextInt(2));
            int[] deadUnits = new int[dead];
            for (int u = 0; u < dead; u++) {
                deadUnits[u] = u;
            }
            layers.add(new LayerSymmetry.Builder("dense_" + l, widths[l]).layerIndex(l)
                    .layerType(l == 2 ? "OutputLayer" : "DenseLayer").activation(l == 2 ? "softmax" : "relu")
                    .fanIn(l == 0 ? 20 : 64).parameters((l == 0 ? 20 : 64) * widths[l] + widths[l])
                    .deadUnits(deadUnits).numericalRank(widths[l] - dead).effectiveRank(widths[l] - dead - 0.5
                            - random.nextDouble()).stableRank(1 + 10 * random.nextDouble()).build());
        }
        return SymmetrySnapshot.of(iteration, SymmetryThresholds.defaults(), layers,
                List.of(new SymmetrySnapshot.SkippedLayer("pool", "SubsamplingLayer has no weights")), 5_379);
    }
}
