package org.slt4j.symmetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.slt4j.symmetry.TestNets.column;
import static org.slt4j.symmetry.TestNets.gaussian;
import static org.slt4j.symmetry.TestNets.mlp;
import static org.slt4j.symmetry.TestNets.scaled;
import static org.slt4j.symmetry.TestNets.setUnit;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class SymmetryScannerTest {

    private static final INDArray PROBE = gaussian(7, 64, 3);
    private final SymmetryScanner scanner = SymmetryScanner.defaults();

    /** 3-5-4-2 ReLU net with generic random weights and small positive biases. */
    private static MultiLayerNetwork generic(Activation hidden) {
        MultiLayerNetwork net = mlp(hidden, 1, 3, 5, 4, 2);
        net.getLayer(0).getParam("b").assign(0.1);
        net.getLayer(1).getParam("b").assign(0.1);
        return net;
    }

    @Test
    void aUnitWithNegativePreActivationOnTheProbeIsDeadAndFreesItsIncomingAndOutgoingWeights() {
        MultiLayerNetwork net = generic(Activation.RELU);
        setUnit(net, 0, 2, new double[] {0.01, -0.01, 0.02}, -100);

        SymmetrySnapshot s = scanner.scan(net, PROBE, 5);
        LayerSymmetry l0 = s.layer("layer0").orElseThrow();

        assertThat(l0.deadUnits()).containsExactly(2);
        assertThat(l0.activeFractions()[2]).isZero();
        assertThat(l0.deadFraction()).isEqualTo(0.2);
        assertThat(l0.effectiveWidth()).isEqualTo(4);
        // dead: 3 weights + bias + 4 outgoing; four live ReLU units: one rescaling each
        assertThat(l0.removableDirections()).isEqualTo(8 + 4);
        assertThat(s.iteration()).isEqualTo(5);
        assertThat(s.totalParameters()).isEqualTo(net.numParams());
        assertThat(s.removableDirections())
                .isEqualTo(s.layers().stream().mapToLong(LayerSymmetry::removableDirections).sum());
        assertThat(s.llcUpperBound()).isEqualTo((net.numParams() - s.removableDirections()) / 2.0);
        assertThat(s.thresholds()).isEqualTo(SymmetryThresholds.defaults());
    }

    @Test
    void aGenericReluNetworkHasNoDegeneracyButOneRescalingPerHiddenUnit() {
        SymmetrySnapshot s = scanner.scan(generic(Activation.RELU), PROBE, -1);

        LayerSymmetry l0 = s.layer("layer0").orElseThrow();
        assertThat(l0.deadUnits()).isEmpty();
        assertThat(l0.duplicateClusters()).isEmpty();
        assertThat(l0.effectiveWidth()).isEqualTo(5);
        assertThat(l0.numericalRank()).isEqualTo(3);
        assertThat(s.removableDirections()).isEqualTo(5 + 4);
        LayerSymmetry out = s.layer("layer2").orElseThrow();
        assertThat(out.outgoingUnavailableReason()).contains("last layer: no outgoing weights");
        assertThat(out.rescalingBalance()).isEmpty();
        assertThat(out.rescalingBalanceMean()).isNaN();
        assertThat(out.activeFractions()).isEmpty();
    }

    /** Units: 0 = r, 1 = 2.5 r, 2 = s, 3 = -s, 4 = r, 5 generic. */
    private static MultiLayerNetwork plantedDuplicates(Activation hidden) {
        MultiLayerNetwork net = mlp(hidden, 2, 3, 6, 2);
        double[] r = {0.8, -0.3, 0.5};
        double[] s = {-0.2, 0.9, 0.4};
        setUnit(net, 0, 0, r, 0.1);
        setUnit(net, 0, 1, scaled(r, 2.5), 0.25);
        setUnit(net, 0, 2, s, 0.2);
        setUnit(net, 0, 3, scaled(s, -1), -0.2);
        setUnit(net, 0, 4, r, 0.1);
        setUnit(net, 0, 5, new double[] {0.3, 0.3, -0.7}, 0.05);
        return net;
    }

    @Test
    void reluMergesPositivelyCollinearUnitsOfAnyScaleButNotNegatedOnes() {
        LayerSymmetry l = scanner.scan(plantedDuplicates(Activation.RELU), PROBE, 0).layer("layer0").orElseThrow();

        assertThat(l.duplicateClusters()).containsExactly(new int[] {0, 1, 4});
        assertThat(l.effectiveWidth()).isEqualTo(4);
        assertThat(l.duplicateFraction()).isEqualTo(2.0 / 6);
        // cluster of 3 with 2 outgoing each: (3-1)*2 + 3 rescalings; units 2, 3, 5: one rescaling each
        assertThat(l.removableDirections()).isEqualTo(4 + 3 + 3);
    }

    @Test
    void tanhMergesNegatedUnitsButOnlyUnitsOfEqualNorm() {
        LayerSymmetry l = scanner.scan(plantedDuplicates(Activation.TANH), PROBE, 0).layer("layer0").orElseThrow();

        assertThat(l.duplicateClusters()).containsExactly(new int[] {0, 4}, new int[] {2, 3});
        assertThat(l.effectiveWidth()).isEqualTo(4);
        assertThat(l.rescalingBalance()).isEmpty();
        assertThat(l.activeFractions()).isEmpty();
        // no rescaling symmetry for tanh: (2-1)*2 per cluster
        assertThat(l.removableDirections()).isEqualTo(4);
    }

    @Test
    void identityMergesCollinearUnitsUpToSignAndScale() {
        LayerSymmetry l = scanner.scan(plantedDuplicates(Activation.IDENTITY), PROBE, 0).layer("layer0").orElseThrow();

        assertThat(l.duplicateClusters()).containsExactly(new int[] {0, 1, 4}, new int[] {2, 3});
        assertThat(l.effectiveWidth()).isEqualTo(3);
    }

    @Test
    void zeroIncomingAndZeroOutgoingUnitsAreRemovedFromTheEffectiveWidth() {
        MultiLayerNetwork net = generic(Activation.RELU);
        setUnit(net, 0, 1, new double[] {0, 0, 0}, 0.5);
        net.getLayer(1).getParam("W").getRow(3).assign(0);

        LayerSymmetry l = scanner.scan(net, PROBE, 0).layer("layer0").orElseThrow();

        assertThat(l.zeroIncomingUnits()).containsExactly(1);
        assertThat(l.zeroOutgoingUnits()).containsExactly(3);
        assertThat(l.alwaysActiveUnits()).contains(1);
        assertThat(l.deadUnits()).isEmpty();
        assertThat(l.effectiveWidth()).isEqualTo(3);
        // constant unit: bias + 4 outgoing (absorbed by the next bias); zero-out: 3 + bias; three live: 1 each
        assertThat(l.removableDirections()).isEqualTo(5 + 4 + 3);
    }

    @Test
    void aDeadUnitInTheConsumerIsNotCountedTwiceWithTheProducersFreedRows() {
        MultiLayerNetwork net = generic(Activation.RELU);
        setUnit(net, 0, 2, new double[] {0.01, -0.01, 0.02}, -100);
        net.getLayer(1).getParam("b").putScalar(1, -1000);

        SymmetrySnapshot s = scanner.scan(net, PROBE, 0);

        assertThat(s.layer("layer1").orElseThrow().deadUnits()).containsExactly(1);
        // producer: 12 as before, minus the entry W1[2,1] and bias b1[1] shared with the consumer's dead unit
        assertThat(s.layer("layer0").orElseThrow().removableDirections()).isEqualTo(12 - 2);
        // consumer: dead unit 1: 5 weights + bias + 2 outgoing; three live units: 1 each
        assertThat(s.layer("layer1").orElseThrow().removableDirections()).isEqualTo(8 + 3);
    }

    @Test
    void ranksOfAMatrixWithKnownSingularValuesAreExact() {
        MultiLayerNetwork net = mlp(Activation.RELU, 3, 4, 4, 2);
        INDArray v = Nd4j.createFromArray(1.0, 2.0, -1.0, 0.5).reshape(4, 1);
        INDArray q = Nd4j.eye(4).castTo(v.dataType()).sub(v.mmul(v.transpose()).mul(2 / v.norm2Number().doubleValue()
                / v.norm2Number().doubleValue()));
        INDArray w = q.mmul(Nd4j.diag(Nd4j.createFromArray(3.0, 2.0, 1.0, 1e-5))).mmul(q);
        net.getLayer(0).getParam("W").assign(w);

        LayerSymmetry l = scanner.scan(net, gaussian(3, 32, 4), 0).layer("layer0").orElseThrow();

        double[] p = {3 / 6.0, 2 / 6.0, 1 / 6.0};
        double entropy = -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]) + p[2] * Math.log(p[2]));
        assertThat(l.numericalRank()).isEqualTo(3);
        assertThat(l.stableRank()).isCloseTo(14 / 9.0, within(1e-9));
        assertThat(l.effectiveRank()).isCloseTo(Math.exp(entropy), within(1e-4));
    }

    @Test
    void aLowRankProductHasThatNumericalRank() {
        MultiLayerNetwork net = mlp(Activation.RELU, 4, 6, 5, 2);
        net.getLayer(0).getParam("W").assign(gaussian(11, 6, 2).mmul(gaussian(12, 2, 5)));

        LayerSymmetry l = scanner.scan(net, gaussian(3, 32, 6), 0).layer("layer0").orElseThrow();

        assertThat(l.numericalRank()).isEqualTo(2);
    }

    @Test
    void withoutSpectraRanksAreReportedAsNotComputed() {
        LayerSymmetry l = new SymmetryScanner.Builder().spectra(false).build()
                .scan(generic(Activation.RELU), PROBE, 0).layer("layer0").orElseThrow();

        assertThat(l.numericalRank()).isEqualTo(-1);
        assertThat(l.effectiveRank()).isNaN();
        assertThat(l.stableRank()).isNaN();
    }

    @Test
    void rescalingAlongTheReluSymmetryKeepsWidthRankAndDirectionsButMovesTheBalance() {
        MultiLayerNetwork net = plantedDuplicates(Activation.RELU);
        setUnit(net, 0, 5, new double[] {0.01, 0.01, 0.01}, -50);
        MultiLayerNetwork rescaled = net.clone();
        double[] c = {0.5, 3, 2, 0.25, 7, 4};
        for (int i = 0; i < c.length; i++) {
            setUnit(rescaled, 0, i, scaled(column(net, 0, i), c[i]),
                    c[i] * net.getLayer(0).getParam("b").getDouble(i));
            rescaled.getLayer(1).getParam("W").getRow(i).muli(1 / c[i]);
        }
        assertThat(rescaled.output(PROBE).equalsWithEps(net.output(PROBE), 1e-9)).isTrue();

        LayerSymmetry a = scanner.scan(net, PROBE, 0).layer("layer0").orElseThrow();
        LayerSymmetry b = scanner.scan(rescaled, PROBE, 0).layer("layer0").orElseThrow();

        assertThat(b.effectiveWidth()).isEqualTo(a.effectiveWidth()).isEqualTo(3);
        assertThat(b.numericalRank()).isEqualTo(a.numericalRank());
        assertThat(b.deadUnits()).containsExactly(a.deadUnits());
        assertThat(b.duplicateClusters()).containsExactlyElementsOf(a.duplicateClusters());
        assertThat(b.removableDirections()).isEqualTo(a.removableDirections());
        assertThat(b.rescalingBalance()[1]).isNotCloseTo(a.rescalingBalance()[1], within(1e-3));
    }

    @Test
    void rescalingBalanceIsIncomingMinusOutgoingSquaredNorm() {
        MultiLayerNetwork net = generic(Activation.RELU);
        LayerSymmetry l = scanner.scan(net, PROBE, 0).layer("layer0").orElseThrow();

        INDArray w = net.getLayer(0).getParam("W").getColumn(2);
        double b = net.getLayer(0).getParam("b").getDouble(2);
        double a = net.getLayer(1).getParam("W").getRow(2).norm2Number().doubleValue();
        double expected = w.norm2Number().doubleValue() * w.norm2Number().doubleValue() + b * b - a * a;
        assertThat(l.rescalingBalance()[2]).isCloseTo(expected, within(1e-12));
        assertThat(l.rescalingBalanceMaxAbs()).isGreaterThanOrEqualTo(Math.abs(expected));
    }

    @Test
    void scanningLeavesTheNetworkBitForBitUnchanged() {
        MultiLayerNetwork net = generic(Activation.RELU);
        net.fit(new DataSet(PROBE, gaussian(8, 64, 2)));
        INDArray params = net.params().dup();
        INDArray updaterState = net.getUpdater().getStateViewArray().dup();
        INDArray input = net.getInput() == null ? null : net.getInput().dup();
        int listeners = net.getListeners().size();

        scanner.scan(net, PROBE, 1);

        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).isEqualTo(updaterState);
        assertThat(net.getInput() == null ? null : net.getInput().dup()).isEqualTo(input);
        assertThat(net.getListeners()).hasSize(listeners);
    }

    @Test
    void anUninitializedNetworkOrEmptyProbeIsRejected() {
        MultiLayerNetwork net = generic(Activation.RELU);
        assertThatThrownBy(() -> scanner.scan(net, null, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> scanner.scan(net, Nd4j.create(3), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probeFeatures");
    }

    @Test
    void snapshotsRejectMoreRemovableDirectionsThanParameters() {
        LayerSymmetry l = new LayerSymmetry.Builder("x", 2).removableDirections(10).build();
        assertThatThrownBy(() -> SymmetrySnapshot.of(0, SymmetryThresholds.defaults(), List.of(l), List.of(), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalParameters=5");
    }
}
