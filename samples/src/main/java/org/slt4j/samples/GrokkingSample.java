package org.slt4j.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SymmetryRecord;

/**
 * Grokking: an MLP learns modular addition (a + b) mod p from a fraction of all pairs, with weight decay, and is
 * trained well past the point where it has memorized its training set. Test accuracy stays low for a long time
 * and then jumps: the network switches from a memorizing solution to a simpler, generalizing one.
 *
 * <p>Singular Learning Theory reads the switch as a move to a more degenerate point: fewer effective
 * parameters, a lower local learning coefficient, a lower generalization error (about lambda / n). The sample
 * estimates the LLC and scans the weights for dead and duplicate units during training, and records train and
 * test accuracy beside them as user metrics ({@code SltListener.metric}): the UI page charts them with the LLC and
 * the data loss while it trains, and the JSONL records and the HTML report in the output directory keep them.
 */
public final class GrokkingSample {
    /**
     * SGLD settings, set by hand and the same at every point of the curve so that the points are comparable. The
     * automatic calibration cannot verify a plateau here: the network trains with weight decay, so its weights are
     * no minimum of the data loss the estimator samples, and the chains drift (measured: no plateau at any
     * evaluation, R-hat 2 to 4, 48,000 calibration steps per segment, about three minutes each on this network).
     * A fixed localization is what docs/trusting-the-llc.md recommends for such networks: the curve then compares
     * like with like, and every estimate still carries its own diagnostics.
     */
    private static final double STEP_SIZE = 1e-4;
    private static final double LOCALIZATION = 100;

    private GrokkingSample() {
    }

    /** The settings of one run (full or {@code --quick}). */
    record Settings(int modulus, double trainFraction, int hidden, int steps, int evaluateEvery, int draws) {
        static Settings of(boolean quick) {
            return quick ? new Settings(23, 0.5, 64, 300, 100, 100) : new Settings(53, 0.5, 128, 4_000, 200, 200);
        }
    }

    /** Train and test accuracy at one iteration, and the LLC estimated there (NaN if skipped). */
    record Point(long iteration, double trainAccuracy, double testAccuracy, double llc, double llcStandardError,
            int effectiveWidth, int deadUnits) {
    }

    /**
     * Runs the sample.
     *
     * @param args see {@link SampleRun}
     */
    public static void main(String[] args) {
        SampleRun run = SampleRun.start("grokking", args);
        Settings s = Settings.of(run.quick());
        ModularAddition data = ModularAddition.split(s.modulus(), s.trainFraction(), 7);
        DataSet train = data.train();
        System.out.printf(Locale.ROOT, "Modular addition mod %d: %d training pairs, %d test pairs; MLP %d-%d-%d "
                + "with weight decay, %d full-batch steps%n", s.modulus(), train.numExamples(),
                data.test().numExamples(), 2 * s.modulus(), s.hidden(), s.modulus(), s.steps());

        MultiLayerNetwork net = network(s);
        long[] evaluated = LongStream.concat(
                LongStream.iterate(0, i -> i < s.steps() - 1, i -> i + s.evaluateEvery()),
                LongStream.of(s.steps() - 1)).toArray();
        SltListener slt = new SltListener.Builder(train, train.numExamples())
                .llcSchedule(Schedule.atIterations(evaluated))
                .symmetrySchedule(Schedule.atIterations(evaluated))
                .llcConfig(new LlcConfig.Builder().trainingSetSize(train.numExamples()).stepSize(STEP_SIZE)
                        .localization(LOCALIZATION).chains(4).burnInSteps(s.draws()).draws(s.draws()).batchSize(64)
                        .seed(11)
                        .build())
                .probeSize(train.numExamples())
                .overheadBudget(Double.POSITIVE_INFINITY)
                .sessionId(run.sessionId())
                .statsStorage(run.storage())
                .sink(new JsonlSink(run.records()))
                .build();
        net.setListeners(run.statsListener(10), slt);

        List<Point> points = new ArrayList<>();
        for (int step = 0; step < s.steps(); step++) {
            net.fit(train);
            if (Arrays.binarySearch(evaluated, step) >= 0) {
                Point point = point(step, net, data, slt.history());
                slt.metric("train accuracy", point.trainAccuracy());
                slt.metric("test accuracy", point.testAccuracy());
                points.add(point);
                SampleRun.progress(step + 1, s.steps(), describe(point));
            }
        }
        slt.close();

        summarize(points);
        run.writeReport("slt4j grokking sample (mod " + s.modulus() + ")");
        run.finish();
    }

    private static MultiLayerNetwork network(Settings s) {
        int inputs = 2 * s.modulus();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(3e-3, 0.9, 0.98, 1e-8)).weightDecay(1.0).list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(s.hidden()).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(s.hidden()).nOut(s.modulus())
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static Point point(long iteration, MultiLayerNetwork net, ModularAddition data, RunHistory history) {
        Optional<LlcRecord> llc = history.llcRecords().stream().filter(r -> r.iteration() == iteration).findFirst();
        Optional<SymmetryRecord> scan = history.symmetryRecords().stream()
                .filter(r -> r.iteration() == iteration).findFirst();
        return new Point(iteration, ModularAddition.accuracy(net, data.train()),
                ModularAddition.accuracy(net, data.test()), llc.map(r -> r.estimate().mean()).orElse(Double.NaN),
                llc.map(r -> r.estimate().standardError()).orElse(Double.NaN),
                scan.map(r -> r.snapshot().totalEffectiveWidth()).orElse(-1),
                scan.map(r -> r.snapshot().layers().stream().mapToInt(l -> l.deadUnits().length).sum()).orElse(-1));
    }

    private static String describe(Point p) {
        return String.format(Locale.ROOT, "iteration %5d  train %5.1f%%  test %5.1f%%  LLC %7.2f ± %.2f  "
                + "effective width %d  dead units %d", p.iteration(), 100 * p.trainAccuracy(),
                100 * p.testAccuracy(), p.llc(), p.llcStandardError(), p.effectiveWidth(), p.deadUnits());
    }

    /** When train and test accuracy crossed 99% and 50%, and where the LLC peaked. */
    private static void summarize(List<Point> points) {
        Point peak = points.stream().filter(p -> Double.isFinite(p.llc()))
                .max(Comparator.comparingDouble(Point::llc)).orElseThrow();
        Point last = points.stream().filter(p -> Double.isFinite(p.llc())).reduce((a, b) -> b).orElseThrow();
        System.out.printf(Locale.ROOT, "%nTrain accuracy reached 99%% at iteration %s; test accuracy reached 50%% at "
                + "%s and ended at %.1f%%.%nThe LLC peaked at %.1f (iteration %d) while memorizing and ended at "
                + "%.1f (iteration %d).%n", firstReaching(points, Point::trainAccuracy, 0.99),
                firstReaching(points, Point::testAccuracy, 0.5), 100 * points.get(points.size() - 1).testAccuracy(),
                peak.llc(), peak.iteration(), last.llc(), last.iteration());
    }

    private static String firstReaching(List<Point> points, ToDoubleFunction<Point> accuracy, double level) {
        return points.stream().filter(p -> accuracy.applyAsDouble(p) >= level).findFirst()
                .map(p -> Long.toString(p.iteration())).orElse("no point");
    }
}
