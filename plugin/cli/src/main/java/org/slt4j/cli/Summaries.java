package org.slt4j.cli;

import static org.slt4j.report.Format.num;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
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

    /**
     * The settings of an estimate on one line; an automatic setting not yet resolved (a configuration before it was
     * estimated) reads {@code auto}.
     */
    static String settings(LlcConfig c) {
        return String.format(Locale.ROOT, "nBeta=%s%s eps=%s gamma=%s weightDecay=%s chains=%d burnIn=%s draws=%s"
                        + " thinning=%d batchSize=%d seed=%d baseline=%s sampler=%s", num(c.nBeta()),
                c.trainingSetSize().isPresent() ? " (n=" + c.trainingSetSize().getAsLong() + ")" : "",
                orAuto(c.stepSize()), orAuto(c.localization()), num(c.weightDecay()), c.chains(),
                orAuto(c.burnInSteps()), orAuto(c.draws()), c.stepsBetweenDraws(), c.batchSize(), c.seed(),
                c.baseline(), c.sampler());
    }

    /**
     * An estimate as the {@code llc} command prints it: the value with its standard error and whether it is
     * reliable on the first line, then one {@code UNRELIABLE:} line per warning, the chains and diagnostics, the
     * resolved settings with the seed, and how the automatic ones were chosen.
     */
    static String llc(LlcEstimate e) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "LLC        %s ± %s (SE, %s)  %s%n", num(e.mean()),
                num(e.standardError()), percent(e.relativeStandardError()),
                e.isReliable() ? "reliable" : "UNRELIABLE (" + e.warnings().size() + " warning"
                        + (e.warnings().size() == 1 ? "" : "s") + ")"));
        for (String w : e.warnings()) {
            s.append("UNRELIABLE: ").append(w).append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT, "chains     %d used, std %s: ", e.usedChains(), num(e.std())));
        s.append(e.chains().stream().map(c -> c.diverged() ? "diverged" : num(c.llc()))
                .collect(Collectors.joining("  ")));
        s.append(String.format(Locale.ROOT, "%ndiverged   %d of %d%n", e.divergedChains(), e.chains().size()));
        s.append(String.format(Locale.ROOT, "R-hat      %s   ESS %s%n", num(e.rHat()),
                num(e.effectiveSampleSize())));
        s.append(String.format(Locale.ROOT, "d          %d parameters (a regular model would have LLC d/2 = %s)%n",
                e.dimension(), num(e.dimension() / 2.0)));
        s.append(String.format(Locale.ROOT, "loss L0    %s at the model, on %d rows%n", num(e.baselineLoss()),
                e.dataSize()));
        LlcConfig c = e.config();
        LlcEstimate.Tuning t = e.tuning();
        s.append(String.format(Locale.ROOT, "sampling   step size %s%s, localization %s%s, burn-in %s steps%s, "
                        + "draws %s%s, seed %d%n", orAuto(c.stepSize()), chosen(t, LlcConfig.Setting.STEP_SIZE),
                orAuto(c.localization()), chosen(t, LlcConfig.Setting.LOCALIZATION), orAuto(c.burnInSteps()),
                chosen(t, LlcConfig.Setting.BURN_IN_STEPS), orAuto(c.draws()), chosen(t, LlcConfig.Setting.DRAWS),
                c.seed()));
        s.append("burn-in    ").append(t.burnIn()).append(System.lineSeparator());
        s.append("draws      ended by ").append(t.drawsStop()).append(": ").append(drawsStop(t.drawsStop(), c))
                .append(System.lineSeparator());
        if (!t.calibration().isEmpty()) {
            s.append("calibrated ").append(t.calibration()).append(System.lineSeparator());
        }
        s.append("settings   ").append(settings(c)).append(System.lineSeparator());
        for (ChainResult chain : e.chains()) {
            chain.divergence().ifPresent(why -> s.append("chain ").append(chain.index()).append(" diverged: ")
                    .append(why).append(System.lineSeparator()));
        }
        return s.toString();
    }

    /** What ended the draws, in words. */
    private static String drawsStop(LlcEstimate.DrawsStop stop, LlcConfig c) {
        String target = percent(c.targetRelativeError());
        return switch (stop) {
            case FIXED -> "the given number of draws";
            case TARGET_REACHED -> "the standard error reached the target " + target + " of the estimate";
            case STEP_CAP -> "the step cap of " + c.maxStepsPerChain() + " steps per chain, before the target "
                    + target + " of the estimate";
            case TIME_LIMIT -> "the time limit " + c.timeLimit().map(Object::toString).orElse("?")
                    + ", before the target " + target + " of the estimate; not reproducible";
            case NEGATIVE -> "an estimate more than two standard errors below zero (the centre is no minimum)";
        };
    }

    private static String chosen(LlcEstimate.Tuning tuning, LlcConfig.Setting setting) {
        return tuning.automatic().contains(setting) ? " (automatic)" : "";
    }

    private static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction) : "n/a";
    }

    private static String orAuto(OptionalDouble value) {
        return value.isPresent() ? num(value.getAsDouble()) : "auto";
    }

    private static String orAuto(OptionalInt value) {
        return value.isPresent() ? String.valueOf(value.getAsInt()) : "auto";
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
