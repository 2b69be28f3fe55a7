package org.slt4j.symmetry;

import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The diagnostics of one layer before cross-layer bookkeeping: a filled {@link LayerSymmetry.Builder} plus the
 * counts the scanner needs to avoid counting a direction twice across a producer/consumer pair.
 *
 * @param builder         filled builder, removable directions not yet set
 * @param view            the analysed view
 * @param rawDirections   directions from this layer's rules (see {@link SymmetrySnapshot})
 * @param rowFreeUnits    units whose counted directions move their outgoing weights (in the consumer)
 * @param columnFreeUnits units whose counted directions move their own incoming weights or bias
 */
record LayerAnalysis(LayerSymmetry.Builder builder, LayerView view, long rawDirections, int rowFreeUnits,
                     int columnFreeUnits) {

    static LayerAnalysis of(LayerView v, SymmetryThresholds t, boolean spectra) {
        ActivationFamily family = ActivationFamily.of(v.activation());
        INDArray w = v.incoming();
        int units = (int) w.rows();
        long fanIn = w.columns();
        int biasCount = v.bias() == null ? 0 : 1;
        double[] bias = v.bias() == null ? null : v.bias().toDoubleVector();

        boolean[] dead = new boolean[units];
        boolean[] alwaysActive = new boolean[units];
        double[] fractions = family.reluFamily ? v.activeFractions() : new double[0];
        for (int i = 0; i < fractions.length; i++) {
            dead[i] = family.zeroBelow && fractions[i] <= t.deadFraction();
            alwaysActive[i] = fractions[i] >= 1.0 - t.deadFraction();
        }
        double[] inNorms = w.norm2(1).toDoubleVector();
        boolean[] zeroIn = nearZero(inNorms, t.zeroNorm());
        boolean outKnown = v.outgoing() != null;
        double[] outNorms = outKnown ? v.outgoing().norm2(1).toDoubleVector() : null;
        boolean[] zeroOut = outKnown ? nearZero(outNorms, t.zeroNorm()) : new boolean[units];
        double[] rowNormsSq = new double[units]; // |(w_i, b_i)|^2
        for (int i = 0; i < units; i++) {
            rowNormsSq[i] = inNorms[i] * inNorms[i] + (bias == null ? 0.0 : bias[i] * bias[i]);
        }

        int[] candidates = IntStream.range(0, units).filter(i -> !dead[i] && !zeroIn[i] && !zeroOut[i]).toArray();
        List<int[]> clusters = candidates.length < 2 ? List.of()
                : DuplicateFinder.clusters(w, bias, DoubleStream.of(rowNormsSq).map(Math::sqrt).toArray(),
                candidates, family, t);

        LayerSymmetry.Builder b = new LayerSymmetry.Builder(v.name(), units)
                .layerIndex(v.index())
                .layerType(v.type())
                .activation(v.activation().toString())
                .fanIn(fanIn)
                .parameters(v.parameters())
                .outgoingUnavailableReason(v.outgoingUnavailableReason())
                .activeFractions(fractions)
                .deadUnits(indices(dead))
                .alwaysActiveUnits(indices(alwaysActive))
                .zeroIncomingUnits(indices(zeroIn))
                .zeroOutgoingUnits(indices(zeroOut))
                .duplicateClusters(clusters);
        if (spectra) {
            Spectrum s = Spectrum.of(Spectrum.singularValues(w), t.rankTolerance());
            b.numericalRank(s.numericalRank()).effectiveRank(s.effectiveRank()).stableRank(s.stableRank());
        }
        if (outKnown && family.homogeneous) {
            double[] balance = new double[units];
            for (int i = 0; i < units; i++) {
                balance[i] = rowNormsSq[i] - outNorms[i] * outNorms[i];
            }
            b.rescalingBalance(balance);
        }

        // Flat-direction rules, first match per unit (documented on SymmetrySnapshot).
        long nOut = outKnown ? v.outgoing().columns() : 0;
        boolean[] clustered = new boolean[units];
        clusters.forEach(c -> IntStream.of(c).forEach(i -> clustered[i] = true));
        long directions = 0;
        int rowFree = 0;
        int columnFree = 0;
        for (int i = 0; i < units; i++) {
            if (dead[i]) {
                directions += fanIn + biasCount + nOut;
                columnFree++;
                rowFree += outKnown ? 1 : 0;
            } else if (zeroOut[i]) {
                directions += fanIn + biasCount;
                columnFree++;
            } else if (zeroIn[i]) {
                if (outKnown && v.constantFoldsIntoBias()) {
                    directions += biasCount + nOut;
                    rowFree++;
                    columnFree++; // it moves its own bias
                }
            } else if (clustered[i]) {
                rowFree += outKnown ? 1 : 0;
            } else if (outKnown && family.homogeneous) {
                directions++;
            }
        }
        if (outKnown) {
            for (int[] c : clusters) {
                directions += (c.length - 1) * nOut + (family.homogeneous ? c.length : 0);
            }
        }
        return new LayerAnalysis(b, v, directions, rowFree, columnFree);
    }

    /** Directions shared with the consumer's rules, subtracted once (see {@link SymmetrySnapshot}). */
    long sharedWith(LayerAnalysis consumer) {
        if (view.outgoing() == null || rowFreeUnits == 0 || consumer.columnFreeUnits == 0) {
            return 0;
        }
        long sharedPerPair = view.outgoing().columns() / view.consumerUnits() + (view.consumerHasBias() ? 1 : 0);
        return (long) rowFreeUnits * consumer.columnFreeUnits * sharedPerPair;
    }

    private static boolean[] nearZero(double[] norms, double relative) {
        double mean = 0;
        for (double n : norms) {
            mean += n / norms.length;
        }
        boolean[] zero = new boolean[norms.length];
        for (int i = 0; i < norms.length; i++) {
            zero[i] = norms[i] <= relative * mean;
        }
        return zero;
    }

    private static int[] indices(boolean[] flags) {
        return IntStream.range(0, flags.length).filter(i -> flags[i]).toArray();
    }
}
