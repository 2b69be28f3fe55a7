package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testing.TinyNetworks;

class ChainRunnerTest {

    /**
     * Runs each plan as a remote worker would: the plans and the progress cross a Java serialization round trip,
     * the chains run in reverse order, and every round is replayed from each chain's start on the given surface.
     */
    private static final class Replaying implements ChainRunner {
        final LossSurface surface;
        final List<ChainPlan> seen = new ArrayList<>();
        int rounds;

        Replaying(LossSurface surface) {
            this.surface = surface;
        }

        @Override
        public List<ChainProgress> run(List<ChainPlan> plans) {
            rounds++;
            List<ChainPlan> shipped = roundTrip(plans);
            seen.addAll(shipped);
            ChainProgress[] done = new ChainProgress[shipped.size()];
            for (int i = shipped.size() - 1; i >= 0; i--) {
                done[i] = shipped.get(i).run(surface);
            }
            return roundTrip(List.of(done));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(new ArrayList<>((List<?>) value));
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void chainsRunByARunnerGiveTheLocalEstimateBitForBitWithEverySettingAutomatic() {
        LossSurface surface = AnalyticSurfaces.quadratic(0.5, 1, 2, 0);
        LlcConfig config = new LlcConfig.Builder().nBeta(100).chains(3).targetRelativeError(0.05)
                .maxStepsPerChain(8_000).threads(2).seed(9).build();
        Replaying runner = new Replaying(surface);

        LlcEstimate local = new LlcEstimator(config).estimate(surface);
        LlcEstimate remote = new LlcEstimator(config, UnaryOperator.identity(), runner).estimate(surface);

        assertThat(runner.rounds).as("calibration settings, burn-in and draw rounds").isGreaterThan(3);
        assertSame(remote, local);
        assertThat(remote.tuning()).isEqualTo(local.tuning());
    }

    @Test
    void aRestrictedSurfacesChainsCarryTheirBlockAndGiveTheLocalEstimate() {
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 11);
        DataSet data = TinyNetworks.blobs(60, 12);
        for (int i = 0; i < 50; i++) {
            net.fit(data);
        }
        LossSurface full = NetworkSurfaces.of(net, data);
        long[] block = NetworkSurfaces.layerRange(net, "0");
        LossSurface layer = full.restrictTo(block[0], block[1]);
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(60).chains(2).burnInSteps(10).draws(15)
                .batchSize(16).stepSize(1e-4).localization(100).seed(5).build();
        Replaying runner = new Replaying(full);

        LlcEstimate local = new LlcEstimator(config).estimate(layer);
        LlcEstimate remote = new LlcEstimator(config, UnaryOperator.identity(), runner).estimate(layer);

        assertThat(runner.rounds).as("fixed burn-in and draws: a round of each").isEqualTo(2);
        assertThat(runner.seen).allSatisfy(plan -> assertThat(plan.restriction()).hasValueSatisfying(
                r -> assertThat(r).containsExactly(block)));
        assertSame(remote, local);
    }

    @Test
    void aRunnerThatLosesAChainFailsTheEstimateNamingIt() {
        LossSurface surface = AnalyticSurfaces.quadratic(1, 1);
        LlcConfig config = new LlcConfig.Builder().nBeta(100).chains(2).burnInSteps(10).draws(10).stepSize(1e-3)
                .localization(1).build();
        ChainRunner lossy = plans -> List.of(plans.get(0).run(surface));

        assertThatThrownBy(() -> new LlcEstimator(config, UnaryOperator.identity(), lossy).estimate(surface))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("returned 1 results for 2 chains");
    }

    private static void assertSame(LlcEstimate remote, LlcEstimate local) {
        assertThat(remote.chains()).isEqualTo(local.chains());
        assertThat(remote.mean()).isEqualTo(local.mean());
        assertThat(remote.std()).isEqualTo(local.std());
        assertThat(remote.standardError()).isEqualTo(local.standardError());
        assertThat(remote.rHat()).isEqualTo(local.rHat());
        assertThat(remote.baselineLoss()).isEqualTo(local.baselineLoss());
        assertThat(remote.config()).isEqualTo(local.config());
        assertThat(remote.warnings()).isEqualTo(local.warnings());
    }
}
