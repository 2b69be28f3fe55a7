package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.testkit.DeepLinearNetworks;
import org.slt4j.testing.TinyNetworks;

class LlcListenerOptionsTest {

    @Test
    void perLayerEstimatesAreRecordedBesideTheWholeNetworksWithTheLayersDimension() {
        LlcListener listener = new LlcListener.Builder(Fixtures.held(), Fixtures.EXAMPLES)
                .llcConfig(Fixtures.fastConfig()).llcSchedule(Schedule.atIterations(2, 5)).layerLlc("0", "1")
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        net.setListeners(listener);
        net.fit(Fixtures.training(), 1);
        listener.close();

        RunHistory history = listener.history();
        assertThat(history.llcRecords()).extracting(LlcRecord::iteration).containsExactly(2L, 5L);
        assertThat(history.llcRecords()).allSatisfy(r -> assertThat(r.estimate().dimension()).isEqualTo(67));
        // Indices name the layers as the symmetry scans do.
        assertThat(history.llcLayers()).containsExactly("layer0", "layer1");
        assertThat(history.layerLlcRecords("layer0")).extracting(r -> r.estimate().dimension())
                .containsExactly(40L, 40L);
        assertThat(history.layerLlcRecords("layer1")).extracting(r -> r.estimate().dimension())
                .containsExactly(27L, 27L);
        assertThat(history.layerLlc("layer1").iterations()).containsExactly(2, 5);
    }

    @Test
    void calibrationRunsOnTheFirstEstimateAndItsChoiceIsKeptForTheNext() {
        // A reduced rank regression at its exact minimum (noiseless teacher data): a stable step size exists.
        MultiLayerNetwork net = DeepLinearNetworks.atRank(new int[] {3, 3, 3}, 1, 1);
        DataSet data = DeepLinearNetworks.teacherData(net, 500, 2);
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(10_000).batchSize(500).chains(4).burnInSteps(50)
                .draws(100).stepSize(1e-7).threads(1).build();
        LlcListener listener = new LlcListener.Builder(data, 10_000).llcConfig(config)
                .llcSchedule(Schedule.atIterations(1, 4)).calibrate(true)
                .calibrator(c -> c.stepSizes(1e2, 6.25e-4, 3.125e-4, 1.5625e-4).localizations(10).tolerance(0.2))
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        net.setListeners(listener);
        net.fit(new ViewIterator(data, 100), 1);
        listener.close();

        List<LlcRecord> records = listener.history().llcRecords();
        assertThat(records).hasSize(2);
        double chosen = records.get(0).estimate().config().stepSize().getAsDouble();
        assertThat(chosen).as("a calibrated step size from the grid, not the configured 1e-7")
                .isIn(6.25e-4, 3.125e-4);
        assertThat(records.get(1).estimate().config().stepSize()).isEqualTo(chosen);
        assertThat(records.get(1).estimate().config().localization()).isEqualTo(10);
        assertThat(records.get(1).estimate().config().seed())
                .isEqualTo(records.get(0).estimate().config().seed() + 3);
    }
}
