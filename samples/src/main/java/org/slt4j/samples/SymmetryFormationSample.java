package org.slt4j.samples;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.EventRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SymmetryRecord;

/**
 * Symmetries forming: a 10-64-64-3 ReLU MLP first fits three overlapping classes with plain SGD, then, from 40% of
 * the run on, trains on with an L1 penalty that drives hidden units to disconnect. Each unit whose incoming or
 * outgoing weights vanish, or that dies, is a set of directions in which the loss is flat, so the symmetry bound
 * (d - k)/2 on the LLC falls with every such formation event; the LLC falls too, as L1 shrinks the weights and then
 * the units go: the network becomes simpler, one unit at a time. (L1 is switched on by setting the layers'
 * regularization, which DL4J reads at every iteration.)
 *
 * <p>The listener scans the weights every {@value #SCAN_EVERY} iterations (an event is confirmed after it persists for
 * 3 scans) and estimates the LLC at regular points, with hand-set SGLD settings that stay the same along the run, as
 * in the grokking sample: with L1 the weights are no minimum of the data loss the estimator samples, so the
 * calibration could not verify a plateau. The records go to the UI page, a JSONL file and the HTML report.
 */
public final class SymmetryFormationSample {
    /** Iterations between symmetry scans. */
    static final int SCAN_EVERY = 25;
    private static final int INPUTS = 10;
    private static final int HIDDEN = 64;
    private static final int CLASSES = 3;
    /** The L1 penalty of the pruning phase. */
    static final double L1 = 1e-2;

    private SymmetryFormationSample() {
    }

    /**
     * Runs the sample.
     *
     * @param args see {@link SampleRun}
     */
    public static void main(String[] args) {
        SampleRun run = SampleRun.start("symmetry-formation", args);
        int steps = run.quick() ? 500 : 1_500;
        int pruneFrom = run.quick() ? 200 : 600;
        int estimateEvery = run.quick() ? 100 : 150;
        DataSet data = blobs(600, 5);
        MultiLayerNetwork net = network();
        System.out.printf(Locale.ROOT, "MLP %d-%d-%d-%d (ReLU), SGD 0.1, %d full-batch steps on %d examples, L1 "
                + "%.0e from iteration %d; d = %d, d/2 = %d%n", INPUTS, HIDDEN, HIDDEN, CLASSES, steps,
                data.numExamples(), L1, pruneFrom, net.numParams(), net.numParams() / 2);

        long[] estimated = LongStream.concat(LongStream.iterate(0, i -> i < steps - 1, i -> i + estimateEvery),
                LongStream.of(steps - 1)).toArray();
        SltListener slt = new SltListener.Builder(data, data.numExamples())
                .llcSchedule(Schedule.atIterations(estimated))
                .symmetrySchedule(Schedule.everyNIterations(SCAN_EVERY))
                .llcConfig(new LlcConfig.Builder().trainingSetSize(data.numExamples()).stepSize(1e-4)
                        .localization(1).chains(4).burnInSteps(500).draws(500).batchSize(100).seed(13).build())
                .overheadBudget(Double.POSITIVE_INFINITY)
                .sessionId(run.sessionId())
                .statsStorage(run.storage())
                .sink(new JsonlSink(run.records()))
                .build();
        net.setListeners(run.statsListener(10), slt);

        for (int step = 0; step < steps; step++) {
            if (step == pruneFrom) {
                setL1(net, L1);
                System.out.printf(Locale.ROOT, "iteration %d: L1 %.0e on every layer's weights from here on%n", step,
                        L1);
            }
            net.fit(data);
            if (step % estimateEvery == 0 || step == steps - 1) {
                SampleRun.progress(step + 1, steps, describe(step, slt.history()));
            }
        }
        slt.close();

        summarize(slt.history());
        run.writeReport("slt4j symmetry formation sample");
        run.finish();
    }

    /** 10-64-64-3, ReLU, softmax; SGD 0.1, no regularization (the pruning phase adds L1: {@link #setL1}). */
    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Puts an L1 penalty of the given strength on every layer's weights from the next iteration on. */
    static void setL1(MultiLayerNetwork net, double l1) {
        for (int i = 0; i < net.getnLayers(); i++) {
            ((BaseLayer) net.getLayer(i).conf().getLayer()).setRegularization(List.of(new L1Regularization(l1)));
        }
    }

    /**
     * Three overlapping Gaussian classes in 10 dimensions (centres drawn with standard deviation 0.6, unit noise),
     * so the loss cannot reach zero and the fit needs many of the units; same seed, same data.
     */
    static DataSet blobs(int examples, long seed) {
        Random random = new Random(seed);
        double[][] centres = new double[CLASSES][INPUTS];
        for (double[] centre : centres) {
            for (int j = 0; j < INPUTS; j++) {
                centre[j] = 0.6 * random.nextGaussian();
            }
        }
        INDArray x = Nd4j.create(DataType.FLOAT, examples, INPUTS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, examples, CLASSES);
        for (int i = 0; i < examples; i++) {
            int c = i % CLASSES;
            for (int j = 0; j < INPUTS; j++) {
                x.putScalar(i, j, centres[c][j] + random.nextGaussian());
            }
            y.putScalar(i, c, 1);
        }
        return new DataSet(x, y);
    }

    private static String describe(int step, RunHistory history) {
        Optional<SymmetryRecord> scan = lastScan(history);
        Optional<LlcRecord> llc = history.latestLlc();
        return String.format(Locale.ROOT, "iteration %5d  LLC %s  bound (d-k)/2 %s  effective width %s  events %d",
                step, llc.map(r -> String.format(Locale.ROOT, "%7.1f ± %.1f", r.estimate().mean(),
                        r.estimate().standardError())).orElse("-"),
                scan.map(s -> String.format(Locale.ROOT, "%.0f", s.snapshot().llcUpperBound())).orElse("-"),
                scan.map(s -> Integer.toString(s.snapshot().totalEffectiveWidth())).orElse("-"),
                history.events().size());
    }

    private static Optional<SymmetryRecord> lastScan(RunHistory history) {
        List<SymmetryRecord> scans = history.symmetryRecords();
        return scans.isEmpty() ? Optional.empty() : Optional.of(scans.get(scans.size() - 1));
    }

    /** The events, and the LLC and bound at the start and the end. */
    private static void summarize(RunHistory history) {
        List<EventRecord> events = history.events();
        long formations = events.stream().filter(e -> e.event().kind().isFormation()).count();
        System.out.printf(Locale.ROOT, "%n%d symmetry events (%d formations, %d breakings)", events.size(),
                formations, events.size() - formations);
        if (!events.isEmpty()) {
            System.out.printf(Locale.ROOT, ", first at iteration %d, last at %d", events.get(0).iteration(),
                    events.get(events.size() - 1).iteration());
        }
        List<SymmetryRecord> scans = history.symmetryRecords();
        List<LlcRecord> llc = history.llcRecords();
        System.out.printf(Locale.ROOT, ".%nBound (d-k)/2: %.0f at iteration %d, %.0f at %d. LLC: %.1f ± %.1f at "
                        + "iteration %d, %.1f ± %.1f at %d.%n", scans.get(0).snapshot().llcUpperBound(),
                scans.get(0).iteration(), scans.get(scans.size() - 1).snapshot().llcUpperBound(),
                scans.get(scans.size() - 1).iteration(), llc.get(0).estimate().mean(),
                llc.get(0).estimate().standardError(), llc.get(0).iteration(),
                llc.get(llc.size() - 1).estimate().mean(), llc.get(llc.size() - 1).estimate().standardError(),
                llc.get(llc.size() - 1).iteration());
    }
}
