package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
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
    void withAutomaticSettingsTheEstimatesSampleWithTheListenersCalibrationAndAFallbackIsFlaggedAndRecalibrated() {
        // One setting to try: the calibration cannot find a plateau, so it falls back to that setting.
        LlcConfig automatic = Fixtures.fastConfig().toBuilder().automatic(LlcConfig.Setting.STEP_SIZE,
                LlcConfig.Setting.LOCALIZATION).maxStepsPerChain(400).build();
        LlcListener listener = new LlcListener.Builder(Fixtures.held(), Fixtures.EXAMPLES).llcConfig(automatic)
                .calibrator(c -> c.stepSizes(2e-5).localizations(50)).llcSchedule(Schedule.atIterations(1, 2))
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        net.setListeners(listener);
        String log = Fixtures.stderrOf(() -> net.fit(Fixtures.training(), 1));
        listener.close();

        List<LlcRecord> records = listener.history().llcRecords();
        assertThat(records).extracting(LlcRecord::segment).as("a fallback is recalibrated at the next estimate")
                .containsExactly(0, 1);
        for (LlcRecord record : records) {
            LlcEstimate estimate = record.estimate();
            assertThat(estimate.config().stepSize()).hasValue(2e-5);
            assertThat(estimate.config().localization()).hasValue(50);
            assertThat(estimate.tuning().automatic()).contains(LlcConfig.Setting.STEP_SIZE,
                    LlcConfig.Setting.LOCALIZATION);
            assertThat(estimate.tuning().calibration()).contains("fallback: stepSize 2.00e-05");
            assertThat(estimate.isReliable()).isFalse();
            assertThat(estimate.warnings()).anySatisfy(w -> assertThat(w).contains("calibration found no plateau"));
        }
        assertThat(log).contains("LLC calibration 0 at iteration 1 (first estimate) found no plateau")
                .contains("LLC calibration 1 at iteration 2 (after the previous estimate: the calibration found no plateau")
                .contains("no recommendation: ");
    }
}
