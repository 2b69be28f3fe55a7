package org.slt4j.it.ui;

import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.testing.TinyNetworks;

/**
 * Tiny real training runs for the UI tests: a 4-16-3 ReLU classifier on Gaussian blobs, full batch, fixed seeds,
 * with weight decay, which makes hidden units merge, die and split within 60 iterations (symmetry events of both
 * kinds), with the combined slt4j listener
 * (synchronous, no overhead budget: every scheduled diagnostic runs).
 */
final class UiRuns {
    /** A name for the hidden layer that is HTML: the page must show it as text. */
    static final String HOSTILE_LAYER = "<img src=x onerror=window.__xss=1>";
    static final int EXAMPLES = 90;
    static final int ITERATIONS = 60;
    /** LLC estimates of a run: at these iterations. */
    static final long[] LLC_ITERATIONS = {19, 39, 59};
    /** The EvaluativeListener's frequency in iterations: "test accuracy" has ITERATIONS / 5 points. */
    static final int EVALUATION_EVERY = 5;

    private UiRuns() {
    }

    /** A listener for one run: records to the router (and the extra sinks) under the given session. */
    static SltListener listener(String sessionId, StatsStorageRouter router, DiagnosticsSink... sinks) {
        SltListener.Builder builder = new SltListener.Builder(blobs(), EXAMPLES).sessionId(sessionId)
                .statsStorage(router).overheadBudget(Double.POSITIVE_INFINITY)
                .llcSchedule(Schedule.atIterations(LLC_ITERATIONS))
                .llcConfig(new LlcConfig.Builder().trainingSetSize(EXAMPLES).chains(3).burnInSteps(30).draws(40)
                        .batchSize(30).stepSize(1e-4).localization(100).seed(3).threads(1).keepTraces(true).build())
                .symmetrySchedule(Schedule.everyNIterations(5)).persistence(2);
        for (DiagnosticsSink sink : sinks) {
            builder.sink(sink);
        }
        return builder.build();
    }

    /**
     * Trains a fresh network for the given iterations with the listeners, then closes the slt4j listener. User
     * metrics come with it: DL4J's EvaluativeListener evaluates held-out blobs every {@value #EVALUATION_EVERY}
     * iterations into {@code "test accuracy"} and the other {@code "test ..."} metrics, and after every iteration
     * the listener records {@code "weight norm " + hiddenLayer} by hand.
     *
     * @param hiddenLayer the name of the hidden layer
     */
    static void train(int iterations, String hiddenLayer, SltListener slt, TrainingListener... others) {
        MultiLayerNetwork net = network(hiddenLayer);
        EvaluativeListener evaluative = new EvaluativeListener(TinyNetworks.blobs(EXAMPLES, 6, 0.7),
                EVALUATION_EVERY, InvocationType.ITERATION_END);
        evaluative.setCallback(slt.evaluationMetrics("test"));
        TrainingListener[] all = new TrainingListener[others.length + 2];
        all[0] = slt;
        all[1] = evaluative;
        System.arraycopy(others, 0, all, 2, others.length);
        net.setListeners(all);
        DataSet data = blobs();
        for (int i = 0; i < iterations; i++) {
            net.fit(data);
            slt.metric("weight norm " + hiddenLayer, net.params().norm2Number().doubleValue());
        }
        slt.close();
    }

    /** The network being trained, with the given name for its hidden layer. */
    static MultiLayerNetwork network(String hiddenLayer) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .updater(new Adam(0.05)).l2(0.02).list()
                .layer(new DenseLayer.Builder().name(hiddenLayer).nIn(4).nOut(16).activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Three Gaussian blobs in 4 dimensions with one-hot labels (the shared fixture, noise 0.7). */
    static DataSet blobs() {
        return TinyNetworks.blobs(EXAMPLES, 5, 0.7);
    }
}
