package org.slt4j.samples;

import java.io.File;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.listener.SltListener;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.report.JsonlSink;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * The LLC curve after the fact: train as usual with DL4J's {@link CheckpointListener}, then go through the
 * checkpoints with an {@link SltListener}'s {@code measure}: the LLC and the symmetries of each with one estimator
 * configuration, so the points are comparable, and the symmetry events across them. Training pays nothing for the
 * diagnostics.
 *
 * <p>The records go to the JSONL file and to the UI's StatsStorage as they are computed, so the UI page fills in
 * checkpoint by checkpoint. The command-line tool does the same for any checkpoint directory:
 * {@code slt4j checkpoints --dir DIR --data D.csv --classes 3 --out run.jsonl}.
 */
public final class CheckpointCurveSample {
    /** The step cap per chain of a quick run. */
    private static final long QUICK_STEP_CAP = 5_000;

    private CheckpointCurveSample() {
    }

    /**
     * Runs the sample.
     *
     * @param args see {@link SampleRun}
     */
    public static void main(String[] args) {
        SampleRun run = SampleRun.start("checkpoint-curve", args);
        int epochs = run.quick() ? 4 : 40;
        DataSet data = Spirals.data(run.quick() ? 600 : 2_000, 7);
        File directory = run.file("checkpoints").toFile();
        directory.mkdirs();

        // 1. Training, with checkpoints and nothing else.
        MultiLayerNetwork net = Spirals.network(1);
        net.setListeners(run.statsListener(10), new CheckpointListener.Builder(directory)
                .saveEveryNEpochs(run.quick() ? 1 : 4).keepAll().deleteExisting(true).build());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            net.fit(new ListDataSetIterator<>(data.asList(), 50));
            SampleRun.progress(epoch, epochs, String.format(Locale.ROOT, "training: epoch %d  loss %.4f", epoch,
                    net.score()));
        }

        // 2. Afterwards: the listener's own diagnostics on every checkpoint, in iteration order (measure() runs
        // them now, whatever the schedules; the seed of the estimate at iteration i is 42 + i, as in training).
        List<Checkpoint> checkpoints = CheckpointListener.availableCheckpoints(directory).stream()
                .sorted(Comparator.comparingInt(Checkpoint::getIteration)).toList();
        try (SltListener slt = new SltListener.Builder(data, data.numExamples())
                .llcConfig(llcConfig(data.numExamples(), run.quick()))
                .statsStorage(run.storage()).sessionId(run.sessionId()).sink(new JsonlSink(run.records()))
                .probeSize(data.numExamples()).build()) {
            for (int i = 0; i < checkpoints.size(); i++) {
                Checkpoint c = checkpoints.get(i);
                MultiLayerNetwork saved = CheckpointListener.loadCheckpointMLN(directory, c);
                slt.measure(saved, c.getIteration(), c.getEpoch(), saved.score(data));
                LlcEstimate llc = slt.history().latestLlc().orElseThrow().estimate();
                SymmetrySnapshot snapshot = slt.history().symmetryRecords()
                        .get(slt.history().symmetryRecords().size() - 1).snapshot();
                SampleRun.progress(i + 1, checkpoints.size(), String.format(Locale.ROOT, "checkpoint %d "
                        + "(iteration %d): LLC %.2f ± %.2f, effective width %d, bound (d-k)/2 %.1f",
                        c.getCheckpointNum(), c.getIteration(), llc.mean(), llc.standardError(),
                        snapshot.totalEffectiveWidth(), snapshot.llcUpperBound()));
            }
        }
        run.writeReport("slt4j checkpoint curve sample");
        run.finish();
    }

    /**
     * The defaults, but a quick run caps each chain at {@value #QUICK_STEP_CAP} steps, which bounds a calibration
     * at 5 x 4 x that: on the quick run's first checkpoints, far from a minimum, the default cap let two
     * calibrations take 222,000 and 254,000 steps. Estimates that miss their target at the cap are flagged.
     */
    private static LlcConfig llcConfig(int examples, boolean quick) {
        LlcConfig.Builder config = new LlcConfig.Builder().trainingSetSize(examples).seed(42);
        return quick ? config.maxStepsPerChain(QUICK_STEP_CAP).build() : config.build();
    }
}
