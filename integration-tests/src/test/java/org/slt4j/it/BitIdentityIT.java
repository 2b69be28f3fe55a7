package org.slt4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.report.RunHistory;

/** Training with the listeners attached gives exactly the parameters of training without them. */
class BitIdentityIT {

    static Stream<Arguments> cases() {
        return Stream.of(WorkspaceMode.ENABLED, WorkspaceMode.NONE).flatMap(ws -> Stream.of(true, false)
                .flatMap(async -> Stream.of("MultiLayerNetwork", "ComputationGraph")
                        .map(model -> Arguments.of(model, ws, async))));
    }

    @ParameterizedTest(name = "{0}, workspaces {1}, async {2}")
    @MethodSource("cases")
    void trainingWithTheListenersGivesBitIdenticalParameters(String model, WorkspaceMode workspaces,
            boolean async) {
        double[] without = train(model, workspaces, null);
        SltListener listener = new SltListener.Builder(ItModels.held(), ItModels.TRAINING_EXAMPLES)
                .llcConfig(ItModels.fastConfig()).llcSchedule(Schedule.everyNIterations(4))
                .symmetrySchedule(Schedule.everyNIterations(3)).async(async).maxPending(100)
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        double[] with = train(model, workspaces, listener);
        listener.close();

        assertThat(with).containsExactly(without);
        RunHistory history = listener.history();
        assertThat(history.failures()).isEmpty();
        assertThat(history.llc().iterations()).containsExactly(0, 4, 8);
        assertThat(history.symmetryRecords()).hasSize(4);
        assertThat(history.loss().size()).isEqualTo(12);
    }

    private static double[] train(String model, WorkspaceMode workspaces, TrainingListener listener) {
        Model trained;
        if (model.equals("MultiLayerNetwork")) {
            MultiLayerNetwork net = ItModels.mln(workspaces);
            if (listener != null) {
                net.setListeners(listener);
            }
            net.fit(ItModels.prefetchingTraining(), 2);
            trained = net;
        } else {
            ComputationGraph graph = ItModels.graph(workspaces);
            if (listener != null) {
                graph.setListeners(listener);
            }
            graph.fit(ItModels.prefetchingTraining(), 2);
            trained = graph;
        }
        return trained.params().toDoubleVector();
    }
}
