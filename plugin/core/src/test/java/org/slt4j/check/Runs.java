package org.slt4j.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.slt4j.llc.ChainResult;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryThresholds;

/** Hand-made runs with chosen numbers, built with the record types and read through {@link RunHistory}. */
final class Runs {
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    static final LlcConfig CONFIG = new LlcConfig.Builder().trainingSetSize(1000).chains(4).build();

    private final List<DiagnosticRecord> records = new ArrayList<>();

    static Runs run() {
        return new Runs();
    }

    /** An LLC record whose 4 chains give the mean and standard error asked for; {@code diverged} extra chains. */
    Runs llc(long iteration, double mean, double standardError, int diverged) {
        List<ChainResult> chains = new ArrayList<>();
        double spread = standardError * Math.sqrt(4) / Math.sqrt(4.0 / 3);
        double[] offsets = {-spread, spread, -spread, spread};
        for (int i = 0; i < 4; i++) {
            chains.add(chain(i, mean + offsets[i], null));
        }
        for (int i = 0; i < diverged; i++) {
            chains.add(chain(4 + i, Double.NaN, "loss NaN at step 3"));
        }
        LlcEstimate estimate = LlcEstimate.of(CONFIG, 67, 100, 0.5, chains, mean, standardError * 2, standardError,
                1.0, 400, 0.1, Duration.ofMillis(50), List.of(), LlcEstimate.Tuning.FIXED);
        records.add(LlcRecord.of(estimate, iteration, 0, T0.plusSeconds(iteration)));
        return this;
    }

    Runs llc(long iteration, double mean, double standardError) {
        return llc(iteration, mean, standardError, 0);
    }

    Runs loss(long iteration, double score) {
        records.add(new LossRecord(iteration, 0, T0.plusSeconds(iteration), score));
        return this;
    }

    /** A scan of one 8-unit ReLU layer "layer0" with the given dead units and effective rank. */
    Runs symmetry(long iteration, int deadUnits, double effectiveRank) {
        records.add(new SymmetryRecord(0, T0.plusSeconds(iteration), Duration.ofMillis(5),
                snapshot(iteration, deadUnits, effectiveRank)));
        return this;
    }

    /**
     * A scan of one ReLU layer "layer0" of {@code units} units with the first {@code deadUnits} dead; with a spectrum
     * of the given effective rank, or without one (as scans between {@code spectraEvery} ones) when it is NaN.
     */
    Runs scan(long iteration, int units, int deadUnits, double effectiveRank) {
        boolean spectrum = !Double.isNaN(effectiveRank);
        LayerSymmetry layer = new LayerSymmetry.Builder("layer0", units).layerIndex(0).layerType("DenseLayer")
                .activation("relu").fanIn(4).parameters(5L * units)
                .deadUnits(IntStream.range(0, deadUnits).toArray())
                .numericalRank(spectrum ? Math.min(units, 4) : -1).effectiveRank(effectiveRank)
                .stableRank(spectrum ? 2.5 : Double.NaN).build();
        records.add(new SymmetryRecord(0, T0.plusSeconds(iteration), Duration.ofMillis(5), SymmetrySnapshot.of(
                iteration, SymmetryThresholds.defaults(), List.of(layer), List.of(), 10L * units)));
        return this;
    }

    RunHistory history() {
        return RunHistory.of(records);
    }

    static SymmetrySnapshot snapshot(long iteration, int deadUnits, double effectiveRank) {
        int[] dead = new int[deadUnits];
        for (int i = 0; i < deadUnits; i++) {
            dead[i] = i;
        }
        LayerSymmetry hidden = new LayerSymmetry.Builder("layer0", 8).layerIndex(0).layerType("DenseLayer")
                .activation("relu").fanIn(4).parameters(40).deadUnits(dead)
                .duplicateClusters(deadUnits < 6 ? List.of(new int[] {6, 7}) : List.of()).numericalRank(6)
                .effectiveRank(effectiveRank).stableRank(2.5).removableDirections(5L * deadUnits).build();
        return SymmetrySnapshot.of(iteration, SymmetryThresholds.defaults(), List.of(hidden), List.of(), 67);
    }

    private static ChainResult chain(int index, double llc, String divergence) {
        return ChainResult.of(index, index, llc, 100, 200, 0.6, 0.5, 0.1, 100, divergence, new double[0],
                new double[0]);
    }
}
