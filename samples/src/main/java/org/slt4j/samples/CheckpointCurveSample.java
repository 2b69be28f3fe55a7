package org.slt4j.samples;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.nd4j.linalg.dataset.DataSet;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.EventRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHeader;
import org.slt4j.report.SymmetryRecord;
import org.slt4j.report.storage.StatsStorageSink;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.symmetry.SymmetryEvent;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;
import org.slt4j.symmetry.SymmetryTracker;

/**
 * The LLC curve after the fact: train as usual with DL4J's {@link CheckpointListener}, then go through the
 * checkpoints and estimate the LLC and scan the symmetries of each, with one estimator configuration and seed,
 * so the points are comparable. Training pays nothing for the diagnostics.
 *
 * <p>The records go to the JSONL file and to the UI's StatsStorage as they are computed, so the UI page fills in
 * checkpoint by checkpoint. The command-line tool does the same for any checkpoint directory:
 * {@code slt4j checkpoints --dir DIR --data D.csv --classes 3 --out run.jsonl}.
 */
public final class CheckpointCurveSample {

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

        // 2. Afterwards: LLC and symmetry of every checkpoint, in iteration order.
        List<Checkpoint> checkpoints = CheckpointListener.availableCheckpoints(directory).stream()
                .sorted(Comparator.comparingInt(Checkpoint::getIteration)).toList();
        LlcConfig config = new LlcConfig.Builder().trainingSetSize(data.numExamples()).seed(42).build();
        SymmetryScanner scanner = SymmetryScanner.defaults();
        SymmetryTracker tracker = new SymmetryTracker.Builder().build();
        StatsStorageSink ui = new StatsStorageSink(run.storage());
        try (JsonlSink jsonl = new JsonlSink(run.records())) {
            DiagnosticsSink sinks = record -> {
                jsonl.write(record);
                ui.write(record);
            };
            sinks.write(new RunHeader(RecordJson.SCHEMA_VERSION, run.sessionId(), "checkpoints", Instant.now(),
                    "MultiLayerNetwork", net.numParams(), net.getnLayers(), data.numExamples(),
                    Map.of("source", "CheckpointListener directory " + directory, "estimator", config.toString())));
            for (int i = 0; i < checkpoints.size(); i++) {
                Checkpoint c = checkpoints.get(i);
                MultiLayerNetwork saved = CheckpointListener.loadCheckpointMLN(directory, c);
                sinks.write(new LossRecord(c.getIteration(), c.getEpoch(), Instant.now(), saved.score(data)));
                LlcEstimate llc = new LlcEstimator(config).estimate(NetworkSurfaces.of(saved, data));
                sinks.write(LlcRecord.of(llc, c.getIteration(), c.getEpoch(), Instant.now()));
                Instant scanStart = Instant.now();
                SymmetrySnapshot snapshot = scanner.scan(saved, data.getFeatures(), c.getIteration());
                sinks.write(new SymmetryRecord(c.getEpoch(), Instant.now(), Duration.between(scanStart,
                        Instant.now()), snapshot));
                for (SymmetryEvent event : tracker.update(snapshot)) {
                    sinks.write(new EventRecord(c.getEpoch(), Instant.now(), event));
                }
                SampleRun.progress(i + 1, checkpoints.size(), String.format(Locale.ROOT, "checkpoint %d "
                        + "(iteration %d): LLC %.2f ± %.2f, effective width %d, bound (d-k)/2 %.1f",
                        c.getCheckpointNum(), c.getIteration(), llc.mean(), llc.standardError(),
                        snapshot.totalEffectiveWidth(), snapshot.llcUpperBound()));
            }
        }
        run.writeReport("slt4j checkpoint curve sample");
        run.finish();
    }
}
