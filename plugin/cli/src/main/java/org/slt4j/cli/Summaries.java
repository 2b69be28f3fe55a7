package org.slt4j.cli;

import static org.slt4j.report.Format.num;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slt4j.llc.ChainResult;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.symmetry.LayerSymmetry;
import org.slt4j.symmetry.SymmetrySnapshot;

/** Readable text for estimates and snapshots, as printed without {@code --json}. */
final class Summaries {

    private Summaries() {
    }

    /** The settings of an estimate on one line. */
    static String settings(LlcConfig c) {
        return String.format(Locale.ROOT, "nBeta=%s%s eps=%s gamma=%s weightDecay=%s chains=%d burnIn=%d draws=%d"
                        + " thinning=%d batchSize=%d seed=%d baseline=%s", num(c.nBeta()),
                c.trainingSetSize().isPresent() ? " (n=" + c.trainingSetSize().getAsLong() + ")" : "",
                num(c.stepSize()), num(c.localization()), num(c.weightDecay()), c.chains(), c.burnInSteps(),
                c.draws(), c.stepsBetweenDraws(), c.batchSize(), c.seed(), c.baseline());
    }

    static String llc(LlcEstimate e) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "LLC        %s ± %s (standard error over %d chains; std %s)%n",
                num(e.mean()), num(e.standardError()), e.usedChains(), num(e.std())));
        s.append("chains     ").append(e.chains().stream()
                .map(c -> c.diverged() ? "diverged" : num(c.llc())).collect(Collectors.joining("  ")));
        s.append(String.format(Locale.ROOT, "%ndiverged   %d of %d%n", e.divergedChains(), e.chains().size()));
        s.append(String.format(Locale.ROOT, "R-hat      %s   ESS %s%n", num(e.rHat()),
                num(e.effectiveSampleSize())));
        s.append(String.format(Locale.ROOT, "d          %d parameters (a regular model would have LLC d/2 = %s)%n",
                e.dimension(), num(e.dimension() / 2.0)));
        s.append(String.format(Locale.ROOT, "loss L0    %s at the model, on %d rows%n", num(e.baselineLoss()),
                e.dataSize()));
        s.append("settings   ").append(settings(e.config())).append(System.lineSeparator());
        for (ChainResult c : e.chains()) {
            c.divergence().ifPresent(why -> s.append("chain ").append(c.index()).append(" diverged: ").append(why)
                    .append(System.lineSeparator()));
        }
        for (String w : e.warnings()) {
            s.append("warning: ").append(w).append(System.lineSeparator());
        }
        return s.toString();
    }

    static String symmetry(SymmetrySnapshot snapshot) {
        StringBuilder s = new StringBuilder();
        String format = "%-12s %-20s %6s %5s %10s %10s %9s %9s %9s %9s%n";
        s.append(String.format(Locale.ROOT, format, "layer", "type", "units", "dead", "duplicates", "eff.width",
                "num.rank", "eff.rank", "st.rank", "removable"));
        for (LayerSymmetry l : snapshot.layers()) {
            s.append(String.format(Locale.ROOT, format, l.layerName(), l.layerType() + "/" + l.activation(),
                    l.units(), l.deadUnits().length, l.duplicateClusters().size(), l.effectiveWidth(),
                    l.numericalRank() < 0 ? "n/a" : String.valueOf(l.numericalRank()), num(l.effectiveRank()),
                    num(l.stableRank()), l.removableDirections()));
        }
        for (LayerSymmetry l : snapshot.layers()) {
            if (!l.duplicateClusters().isEmpty()) {
                s.append("duplicate units in ").append(l.layerName()).append(": ").append(l.duplicateClusters()
                        .stream().map(Arrays::toString).collect(Collectors.joining(" "))).append(System.lineSeparator());
            }
        }
        for (SymmetrySnapshot.SkippedLayer skipped : snapshot.skippedLayers()) {
            s.append("skipped ").append(skipped.layerName()).append(": ").append(skipped.reason())
                    .append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT, "network: %d parameters, %d removable directions, LLC upper bound"
                        + " (d-k)/2 = %s, total effective width %d%n", snapshot.totalParameters(),
                snapshot.removableDirections(), num(snapshot.llcUpperBound()), snapshot.totalEffectiveWidth()));
        return s.toString();
    }
}
