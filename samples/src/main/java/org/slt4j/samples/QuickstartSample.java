package org.slt4j.samples;

import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slt4j.listener.SltListener;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RunHistory;

/**
 * The quickstart: an ordinary DL4J training loop with the DL4J UI (a StatsStorage and a StatsListener) gets LLC
 * and symmetry diagnostics by adding one listener - the lines between the {@code [quickstart]} markers, which the
 * README quotes. The listener's defaults estimate the LLC at log-spaced iterations and scan the weights every 500
 * iterations; the overhead budget lets them take as much time as training itself (this network trains in
 * seconds; the default is 10%). The records go to the UI page and to a JSONL file.
 */
public final class QuickstartSample {

    private QuickstartSample() {
    }

    /**
     * Runs the sample.
     *
     * @param args see {@link SampleRun}
     */
    public static void main(String[] args) {
        SampleRun run = SampleRun.start("quickstart", args);
        int epochs = run.quick() ? 10 : 40;
        DataSet data = Spirals.data(run.quick() ? 400 : 2_000, 7);
        DataSetIterator batches = new ListDataSetIterator<>(data.asList(), 20);
        MultiLayerNetwork net = Spirals.network(1);
        // An existing DL4J set-up with the training UI: a StatsStorage attached to the UIServer, a StatsListener.
        StatsStorage storage = run.storage();
        net.setListeners(run.statsListener(10));
        Path records = run.records();

        // [quickstart]
        SltListener slt = new SltListener.Builder(data, data.numExamples())
                .statsStorage(storage).sink(new JsonlSink(records)).overheadBudget(1.0).build();
        net.addListeners(slt);
        // [/quickstart]

        for (int epoch = 1; epoch <= epochs; epoch++) {
            net.fit(batches);
            SampleRun.progress(epoch, epochs, String.format(Locale.ROOT, "epoch %d  loss %.4f%s", epoch,
                    net.score(), slt.history().latestLlc().map(QuickstartSample::describe).orElse("")));
        }
        slt.close();

        RunHistory history = slt.history();
        System.out.printf(Locale.ROOT, "%d LLC estimates, %d symmetry scans, %d events, %d skipped (overhead "
                        + "budget); parameters d = %d, so a regular model would have LLC d/2 = %d%n",
                history.llcRecords().size(), history.symmetryRecords().size(), history.events().size(),
                history.skips().size(), net.numParams(), net.numParams() / 2);
        run.writeReport("slt4j quickstart sample");
        run.finish();
    }

    private static String describe(LlcRecord llc) {
        return String.format(Locale.ROOT, "  LLC %.2f ± %.2f (iteration %d)", llc.estimate().mean(),
                llc.estimate().standardError(), llc.iteration());
    }
}
