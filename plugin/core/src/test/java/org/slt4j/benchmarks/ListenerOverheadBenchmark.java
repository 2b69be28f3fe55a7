package org.slt4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slt4j.listener.DiagnosticsListener;
import org.slt4j.listener.SltListener;
import org.slt4j.listener.SymmetryListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.RunHistory;

/**
 * Wall-clock overhead of the listeners on an MLP training run (784-256-256-10, float, Adam, batch 128, synthetic
 * teacher-labelled data): training alone versus (1) the combined {@link SltListener} in async mode with a 10%
 * overhead budget and (2) a {@link SymmetryListener} at its default schedule. Runs alternate (baseline, combined,
 * symmetry) and the median of each is reported. Arguments: epochs (default 40, 50 iterations each), repetitions
 * (default 3), and optionally the LLC's localization (default: automatic, so the listener calibrates it at its first
 * estimate; a number sets it, and with the step size set too the listener does not calibrate). Run with
 * OMP_NUM_THREADS=1 (see docs/benchmarks.md).
 */
public final class ListenerOverheadBenchmark {
    private static final int EXAMPLES = 6400;
    private static final int BATCH = 128;

    private ListenerOverheadBenchmark() {
    }

    /**
     * @param args epochs, repetitions, [localization]
     */
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        LlcConfig.Builder llc = new LlcConfig.Builder().trainingSetSize(EXAMPLES).chains(2).burnInSteps(50).draws(50)
                .batchSize(32).stepSize(1e-5).threads(1).keepTraces(false);
        if (args.length > 2) {
            llc.localization(Double.parseDouble(args[2]));
        }
        LlcConfig llcConfig = llc.build();
        DataSet train = data(EXAMPLES, 1);
        DataSet held = data(512, 2);
        System.out.printf("OMP_NUM_THREADS=%s, cores=%d, %d iterations per run, %d repetitions%n",
                System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors(),
                epochs * EXAMPLES / BATCH, reps);
        train(train, 2, null);
        List<Double> base = new ArrayList<>();
        List<Double> combined = new ArrayList<>();
        List<Double> symmetry = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            base.add(train(train, epochs, null));
            combined.add(train(train, epochs, () -> new SltListener.Builder(held, EXAMPLES).llcConfig(llcConfig)
                    .async(true).overheadBudget(0.1).build()));
            symmetry.add(train(train, epochs, () -> new SymmetryListener.Builder(held).build()));
        }
        double b = median(base);
        System.out.printf("baseline            %7.2f s  (runs %s)%n", b, base);
        System.out.printf("combined async 10%%  %7.2f s  overhead %+5.1f%%  (runs %s)%n", median(combined),
                100 * (median(combined) / b - 1), combined);
        System.out.printf("symmetry default    %7.2f s  overhead %+5.1f%%  (runs %s)%n", median(symmetry),
                100 * (median(symmetry) / b - 1), symmetry);
    }

    private static double train(DataSet data, int epochs, Supplier<DiagnosticsListener> listenerFactory) {
        MultiLayerNetwork net = BenchmarkNetworks.reluMlp(1, new Adam(1e-3), 784, 256, 256, 10);
        DiagnosticsListener listener = listenerFactory == null ? null : listenerFactory.get();
        if (listener != null) {
            net.setListeners((TrainingListener) listener);
        }
        long start = System.nanoTime();
        net.fit(new ViewIterator(data, BATCH), epochs);
        if (listener != null) {
            listener.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (listener != null) {
            RunHistory h = listener.history();
            double diagnostics = (h.llcRecords().stream().mapToLong(r -> r.estimate().wallTime().toNanos()).sum()
                    + h.symmetryRecords().stream().mapToLong(r -> r.wallTime().toNanos()).sum()) / 1e9;
            System.out.printf("  %s: %d LLC, %d scans, %d skipped, %d failures, %.2f s; diagnostics ran %.2f s "
                            + "(%.1f%% of the run)%n", listener.getClass().getSimpleName(), h.llcRecords().size(),
                    h.symmetryRecords().size(), h.skips().size(), h.failures().size(), seconds, diagnostics,
                    100 * diagnostics / seconds);
            h.skips().stream().filter(k -> k.diagnostic() == Diagnostic.LLC).findFirst().ifPresent(k -> System.out
                    .printf("  first LLC skip, iteration %d: %s%n", k.iteration(), k.detail()));
            h.llcRecords().forEach(r -> System.out.printf("  LLC estimate at iteration %d: %.3f +- %.3f, %d steps "
                    + "in %.1f s, time limit %s, draws ended by %s, %s%n", r.iteration(), r.estimate().mean(),
                    r.estimate().standardError(), r.estimate().totalSteps(), r.estimate().wallTime().toMillis() / 1e3,
                    r.estimate().config().timeLimit().map(Object::toString).orElse("none"),
                    r.estimate().tuning().drawsStop(), r.estimate().isReliable() ? "reliable"
                            : "flagged: " + String.join("; ", r.estimate().warnings())));
        }
        return Math.round(seconds * 100) / 100.0;
    }

    /** Uniform features, labels from a fixed random linear teacher. */
    private static DataSet data(int examples, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, examples, 784);
        Nd4j.getRandom().setSeed(99);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, 784, 10);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, 10);
        INDArray argmax = x.mmul(teacher).argMax(1);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, argmax.getInt(i), 1f);
        }
        return new DataSet(x, labels);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

}
