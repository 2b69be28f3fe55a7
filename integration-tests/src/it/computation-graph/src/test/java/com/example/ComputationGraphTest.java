package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.LoggerFactory;
import org.slt4j.listener.SltListener;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;

/** A ComputationGraph user's project: the same listener, records and warnings as for a MultiLayerNetwork. */
class ComputationGraphTest {
    @TempDir
    Path dir;

    @Test
    void theListenerMeasuresAComputationGraphAndWarnsThroughLogback() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);

        DataSet data = Tiny.data();
        ComputationGraph graph = graph();
        Path records = dir.resolve("graph.jsonl");
        SltListener slt = new SltListener.Builder(data, data.numExamples()).sink(new JsonlSink(records))
                .sink(record -> {
                    throw new IllegalStateException("sink offline");
                })
                .llcConfig(Tiny.quickLlc()).overheadBudget(Double.POSITIVE_INFINITY).build();
        graph.addListeners(slt);
        for (int epoch = 0; epoch < 10; epoch++) {
            graph.fit(data);
        }
        slt.close();

        RunHistory run = RunHistory.readJsonl(records);
        assertFalse(run.llcRecords().isEmpty(), "LLC records");
        assertTrue(run.llcRecords().stream().allMatch(r -> Double.isFinite(r.estimate().mean())), "finite estimates");
        assertEquals(2, run.symmetryRecords().get(0).snapshot().layers().size(), "two layers scanned");
        assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                && e.getLoggerName().startsWith("org.slt4j") && e.getFormattedMessage().contains("sink offline")),
                () -> "logged: " + logged.list);
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(3).nOut(12).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(12).nOut(1)
                        .activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
