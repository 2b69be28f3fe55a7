package org.slt4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.listener.LlcListener;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.RunHistory;

/** Faults inside diagnostics and sinks never stop training; each is recorded, and logged once. */
class FaultInjectionIT {

    @TempDir
    Path dir;

    @Test
    void anEstimatorThatThrowsIsRecordedLoggedOnceAndTrainingCompletes() {
        DataSet wrongShape = new DataSet(Nd4j.rand(20, 5).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                ItModels.held().getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 20)).dup());
        LlcListener listener = new LlcListener.Builder(wrongShape, ItModels.TRAINING_EXAMPLES)
                .llcConfig(ItModels.fastConfig()).llcSchedule(Schedule.everyNIterations(2))
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = ItModels.mln(WorkspaceMode.ENABLED);
        net.setListeners(listener);
        String log = stderrOf(() -> net.fit(ItModels.prefetchingTraining(), 2));
        listener.close();

        assertThat(net.getIterationCount()).isEqualTo(12);
        assertThat(listener.history().failures()).hasSize(6)
                .allSatisfy(f -> assertThat(f.diagnostic()).isEqualTo(Diagnostic.LLC));
        assertThat(occurrences(log, "LLC diagnostic failed")).isEqualTo(1);
    }

    @Test
    void anUnwritableSinkIsRecordedInTheOtherSinksLoggedOnceAndTrainingCompletes() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        Path good = dir.resolve("good.jsonl");
        SltListener listener = new SltListener.Builder(ItModels.held(), ItModels.TRAINING_EXAMPLES)
                .llcConfig(ItModels.fastConfig()).llcSchedule(Schedule.atIterations(3)).async(true)
                .overheadBudget(Double.POSITIVE_INFINITY).sink(new JsonlSink(blocker.resolve("run.jsonl")))
                .sink(new JsonlSink(good)).build();
        MultiLayerNetwork net = ItModels.mln(WorkspaceMode.ENABLED);
        net.setListeners(listener);
        String log = stderrOf(() -> {
            net.fit(ItModels.prefetchingTraining(), 2);
            listener.close();
        });

        assertThat(net.getIterationCount()).isEqualTo(12);
        RunHistory fromFile = RunHistory.readJsonl(good);
        assertThat(fromFile.failures()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.diagnostic()).isEqualTo(Diagnostic.SINK));
        assertThat(fromFile.llc().iterations()).containsExactly(3);
        assertThat(occurrences(log, "failed writing")).isEqualTo(1);
    }

    @Test
    void nanWeightsAreRecordedAsFailuresLoggedOnceAndTrainingCompletes() {
        SltListener listener = new SltListener.Builder(ItModels.held(), ItModels.TRAINING_EXAMPLES)
                .llcConfig(ItModels.fastConfig()).llcSchedule(Schedule.everyNIterations(2))
                .symmetrySchedule(Schedule.never()).async(true).maxPending(100)
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = ItModels.mln(WorkspaceMode.ENABLED);
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (iteration == 5) {
                    model.params().assign(Double.NaN);
                }
            }
        }, listener);
        String log = stderrOf(() -> {
            net.fit(ItModels.prefetchingTraining(), 2);
            listener.close();
        });

        assertThat(net.getIterationCount()).isEqualTo(12);
        RunHistory history = listener.history();
        assertThat(history.llc().iterations()).containsExactly(0, 2, 4);
        assertThat(history.failures()).extracting(FailureRecord::iteration).containsExactly(6L, 8L, 10L);
        assertThat(history.loss().lastValue()).isNaN();
        assertThat(occurrences(log, "LLC diagnostic failed")).isEqualTo(1);
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
