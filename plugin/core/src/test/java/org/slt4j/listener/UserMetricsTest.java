package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.report.CsvSink;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.MetricRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.storage.StoredRun;
import org.slt4j.testing.TinyNetworks;

/** User metrics: the listener's metric(...) call and the adapter for DL4J's EvaluativeListener. */
class UserMetricsTest {

    @TempDir
    Path dir;

    @Test
    void aMetricIsStampedWithTheLastIterationAndReadsBackFromEverySink() throws IOException {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        Path jsonl = dir.resolve("run.jsonl");
        SymmetryListener listener = new SymmetryListener.Builder(Fixtures.held()).symmetrySchedule(Schedule.never())
                .sink(new JsonlSink(jsonl)).sink(new CsvSink(dir.resolve("csv"))).statsStorage(storage)
                .sessionId("metrics").build();
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        net.setListeners(listener);
        DataSet data = Fixtures.held();
        for (int i = 0; i < 3; i++) {
            net.fit(data);
            listener.metric("held-out <loss>", 10.0 - i);
        }
        listener.metric("never computed", Double.NaN);
        listener.close();

        for (RunHistory run : List.of(listener.history(), RunHistory.readJsonl(jsonl),
                StoredRun.read(storage, "metrics").history())) {
            assertThat(run.metricNames()).containsExactly("held-out <loss>", "never computed");
            assertThat(run.metric("held-out <loss>").iterations()).containsExactly(0, 1, 2);
            assertThat(run.metric("held-out <loss>").values()).containsExactly(10, 9, 8);
            assertThat(run.metric("held-out <loss>").name()).isEqualTo("metric:held-out <loss>");
            assertThat(run.metric("never computed").values()).containsExactly(Double.NaN);
        }
        assertThat(Files.readAllLines(dir.resolve("csv").resolve("metrics.csv"))).first()
                .isEqualTo("iteration,epoch,timestamp,name,value");
        assertThat(Files.readAllLines(dir.resolve("csv").resolve("metrics.csv"))).hasSize(5)
                .anySatisfy(line -> assertThat(line).startsWith("2,0,").endsWith(",held-out <loss>,8.0"));
    }

    @Test
    void badNamesAndCallsBeforeTrainingFailClearly() {
        SymmetryListener listener = new SymmetryListener.Builder(Fixtures.held()).symmetrySchedule(Schedule.never())
                .build();

        assertThatThrownBy(() -> listener.metric("accuracy", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has seen none yet");
        assertThatThrownBy(() -> listener.metric("top@5", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain '@'");
        assertThatThrownBy(() -> listener.metric(" ", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> listener.metric("a\nb", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> listener.evaluationMetrics("top@5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEvaluativeListenersClassificationIsRecordedAtTheIterationsItEvaluated() {
        SymmetryListener listener = new SymmetryListener.Builder(Fixtures.held()).symmetrySchedule(Schedule.never())
                .build();
        DataSet test = TinyNetworks.blobs(40, 9);
        EvaluativeListener evaluative = new EvaluativeListener(test, 2, InvocationType.ITERATION_END);
        evaluative.setCallback(listener.evaluationMetrics("test"));
        MultiLayerNetwork net = TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
        // The evaluation first: at iteration i it runs before slt4j's listener has seen i.
        net.setListeners(evaluative, listener);
        net.fit(new ViewIterator(TinyNetworks.blobs(50, 3), 10), 1);   // iterations 0 to 4
        listener.close();

        RunHistory run = listener.history();
        assertThat(run.metricNames()).containsExactly("test accuracy", "test precision", "test recall", "test F1");
        assertThat(run.metric("test accuracy").iterations()).containsExactly(0, 2, 4);
        Evaluation direct = net.evaluate(new ViewIterator(test, 40));
        // The last evaluation was at the last iteration's end, after its update: the parameters of now.
        assertThat(run.metric("test accuracy").lastValue()).isEqualTo(direct.accuracy());
        assertThat(run.metric("test F1").lastValue()).isEqualTo(direct.f1());
        assertThat(run.metricRecords()).extracting(MetricRecord::epoch).containsOnly(0);
    }

    @Test
    void anEvaluativeListenersRegressionAtEpochEndIsStampedWithTheEpochsLastIteration() {
        SymmetryListener listener = new SymmetryListener.Builder(regressionData(30, 1))
                .symmetrySchedule(Schedule.never()).build();
        DataSet test = regressionData(20, 2);
        EvaluativeListener evaluative = new EvaluativeListener(test, 1, InvocationType.EPOCH_END,
                new RegressionEvaluation());
        evaluative.setCallback(listener.evaluationMetrics("validation"));
        MultiLayerNetwork net = regressionNetwork();
        net.setListeners(listener, evaluative);
        net.fit(new ViewIterator(regressionData(30, 1), 10), 2);
        listener.close();

        RunHistory run = listener.history();
        assertThat(run.metricNames()).containsExactly("validation MSE", "validation MAE", "validation R2");
        assertThat(run.metric("validation MSE").iterations()).containsExactly(2, 5);
        assertThat(run.metricRecords()).extracting(MetricRecord::epoch).containsExactly(0, 0, 0, 1, 1, 1);
        RegressionEvaluation direct = net.evaluateRegression(new ViewIterator(test, 20));
        assertThat(run.metric("validation MSE").lastValue()).isEqualTo(direct.averageMeanSquaredError());
        assertThat(run.metric("validation R2").lastValue()).isEqualTo(direct.averageRSquared());
    }

    private static MultiLayerNetwork regressionNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The blobs' features with the class index as a regression target. */
    private static DataSet regressionData(int examples, long seed) {
        DataSet blobs = TinyNetworks.blobs(examples, seed);
        return new DataSet(blobs.getFeatures(), blobs.getLabels().argMax(1).castTo(DataType.DOUBLE)
                .reshape(examples, 1));
    }
}
