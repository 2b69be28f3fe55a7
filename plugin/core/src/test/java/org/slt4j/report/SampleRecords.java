package org.slt4j.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryThresholds;

/** One record of every type, with awkward values (NaN, infinities, nulls, line breaks), for codec and sink tests. */
public final class SampleRecords {
    /** The start of the sample run. */
    public static final Instant START = Instant.parse("2024-05-01T12:00:00.123456789Z");

    private SampleRecords() {
    }

    private static List<DiagnosticRecord> all;

    /** A header, then one record of every other type (always the same instances: estimates are timed). */
    public static synchronized List<DiagnosticRecord> all() {
        if (all == null) {
            all = List.of(header(), loss(0, 1.25), llc(10), symmetry(10, 2), event(12), failure(20), skip(30),
                    loss(30, Double.NaN), metric(30, HOSTILE_METRIC, 0.875));
        }
        return all;
    }

    /** A user metric's name that is HTML: pages and reports must show it as text. */
    public static final String HOSTILE_METRIC = "test <img src=x onerror=alert(1)> \"accuracy\"";

    /** A user metric record. */
    public static MetricRecord metric(long iteration, String name, double value) {
        return new MetricRecord(iteration, 0, START.plusMillis(iteration + 1), name, value);
    }

    /** A run header. */
    public static RunHeader header() {
        return new RunHeader(RecordJson.SCHEMA_VERSION, "session-1", "worker-1", START, "MultiLayerNetwork", 67, 2,
                1000, Map.of("mode", "async", "llc.schedule", "every 10 iterations"));
    }

    /** A loss record. */
    public static LossRecord loss(long iteration, double score) {
        return new LossRecord(iteration, 0, START.plusMillis(iteration), score);
    }

    /** A loss record with its data loss, as the listeners write them. */
    public static LossRecord loss(long iteration, double score, double dataLoss) {
        return new LossRecord(iteration, 0, START.plusMillis(iteration), score, dataLoss);
    }

    /** A real estimate on a quadratic surface, with traces. */
    public static LlcRecord llc(long iteration) {
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(1000).chains(2).burnInSteps(5).draws(8)
                .stepSize(1e-3).localization(100).threads(1).seed(iteration).build();
        return LlcRecord.of(new LlcEstimator(config).estimate(AnalyticSurfaces.quadratic(1, 2, 0)), iteration, 0,
                START.plusSeconds(1));
    }

    /** A two-layer snapshot with dead units, a duplicate cluster and a layer whose spectrum was not computed. */
    public static SymmetryRecord symmetry(long iteration, int deadUnits) {
        int[] dead = new int[deadUnits];
        for (int i = 0; i < deadUnits; i++) {
            dead[i] = i;
        }
        LayerSymmetry hidden = new LayerSymmetry.Builder("0", 8).layerIndex(0).layerType("DenseLayer")
                .activation("relu").fanIn(4).parameters(40).deadUnits(dead)
                .duplicateClusters(List.of(new int[] {5, 6})).numericalRank(6).effectiveRank(5.5).stableRank(2.1)
                .activeFractions(0, 0, 0.5, 0.5, 0.5, 0.4, 0.4, 1).rescalingBalance(1, 2, 3, 4, 5, 6, 7, 8)
                .removableDirections(10).build();
        LayerSymmetry out = new LayerSymmetry.Builder("1", 3).layerIndex(1).layerType("OutputLayer")
                .activation("softmax").fanIn(8).parameters(27).outgoingUnavailableReason("output layer\nhas none")
                .build();
        SymmetrySnapshot snapshot = SymmetrySnapshot.of(iteration, SymmetryThresholds.defaults(),
                List.of(hidden, out), List.of(new SymmetrySnapshot.SkippedLayer("pool", "no weights")), 67);
        return new SymmetryRecord(0, START.plusSeconds(2), Duration.ofMillis(12), snapshot);
    }

    /** A unit-died event. */
    public static EventRecord event(long iteration) {
        return new EventRecord(0, START.plusSeconds(3), new SymmetryEvent(SymmetryEvent.Kind.UNIT_DIED, "0",
                new int[] {0, 1}, iteration, iteration + 4, 0, 2));
    }

    /** A failure with a multi-line message. */
    public static FailureRecord failure(long iteration) {
        return new FailureRecord(iteration, 0, START.plusSeconds(4), Diagnostic.LLC, "java.lang.IllegalStateException",
                "boom, \"quoted\"\nsecond line");
    }

    /** A budget skip. */
    public static SkipRecord skip(long iteration) {
        return new SkipRecord(iteration, 0, START.plusSeconds(5), Diagnostic.SYMMETRY, SkipRecord.Reason.OVER_BUDGET,
                "spent 1.2 s of 10.0 s");
    }
}
