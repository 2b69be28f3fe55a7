package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.llc.LlcEstimator;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LlcRecord;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.SkipRecord;
import org.slt4j.report.storage.StoredRun;
import org.slt4j.surface.LossSurface;
import org.slt4j.testing.TinyNetworks;

class ListenerTest {

    @TempDir
    Path dir;

    private static MultiLayerNetwork net() {
        return TinyNetworks.classifier(WorkspaceMode.ENABLED, 1);
    }

    private static LlcListener.Builder llc() {
        return new LlcListener.Builder(Fixtures.held(), Fixtures.EXAMPLES).llcConfig(Fixtures.fastConfig());
    }

    @Test
    void synchronousEstimatesAreStampedWithTheirScheduledIterationsAndTheLossWithEveryIteration() {
        LlcListener listener = llc().llcSchedule(Schedule.everyNIterations(5)).overheadBudget(Double.POSITIVE_INFINITY)
                .build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training(), 2);
        listener.close();

        RunHistory history = listener.history();
        assertThat(history.header()).isPresent();
        assertThat(history.header().orElseThrow().trainingSetSize()).isEqualTo(Fixtures.EXAMPLES);
        assertThat(history.llc().iterations()).containsExactly(0, 5, 10);
        assertThat(history.llcRecords()).extracting(r -> r.estimate().config().seed())
                .containsExactly(42L, 47L, 52L);
        assertThat(history.loss().iterations()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(history.llcRecords().get(2).epoch()).isEqualTo(1);
        assertThat(history.failures()).isEmpty();
    }

    @Test
    void theHeaderIsTheFirstRecordEverySinkSees() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        LlcListener listener = llc().llcSchedule(Schedule.atIterations(1)).statsStorage(storage)
                .sessionId("s1").workerId("w1").overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training());
        listener.close();
        RunHistory fromStorage = StoredRun.read(storage, "s1").history();
        RunHeader header = fromStorage.header().orElseThrow();
        assertThat(header.workerId()).isEqualTo("w1");
        assertThat(header.modelType()).isEqualTo("MultiLayerNetwork");
        assertThat(header.parameters()).isEqualTo(net.numParams());
        assertThat(header.settings()).containsEntry("mode", "sync").containsKey("llc.config");
        assertThat(fromStorage.llc().iterations()).containsExactly(1);
        assertThat(fromStorage.loss().size()).isEqualTo(6);
    }

    @Test
    void asynchronousEstimatesSampleAroundTheParametersOfTheirScheduledIteration() {
        Map<Long, INDArray> centres = new ConcurrentHashMap<>();
        Map<Long, INDArray> paramsAt = new ConcurrentHashMap<>();
        CountDownLatch trainingDone = new CountDownLatch(1);
        Function<LlcConfig, Function<LossSurface, LlcEstimate>> slowEstimator = config -> surface -> {
            await(trainingDone);
            centres.put(config.seed() - 42, surface.initialParameters());
            return new LlcEstimator(config).estimate(surface);
        };
        LlcListener listener = llc().estimator(Fixtures.fixed(slowEstimator)).llcSchedule(Schedule.atIterations(2, 4))
                .async(true).overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener, new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                paramsAt.put((long) iteration, model.params().dup());
            }
        });
        net.fit(Fixtures.training());
        trainingDone.countDown();
        listener.awaitCompletion();

        assertThat(listener.history().llc().iterations()).containsExactly(2, 4);
        assertThat(centres.get(2L)).isEqualTo(paramsAt.get(2L));
        assertThat(centres.get(4L)).isEqualTo(paramsAt.get(4L));
        assertThat(centres.get(2L)).isNotEqualTo(net.params());
        listener.close();
    }

    @Test
    void whenTheQueueIsFullTheNewDiagnosticIsSkippedAndRecorded() {
        CountDownLatch release = new CountDownLatch(1);
        LlcListener listener = llc().estimator(Fixtures.fixed(config -> surface -> {
            await(release);
            return new LlcEstimator(config).estimate(surface);
        })).llcSchedule(Schedule.everyNIterations(1)).async(true).maxPending(1)
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training());
        release.countDown();
        listener.close();

        RunHistory history = listener.history();
        assertThat(history.llc().iterations()).containsExactly(0);
        assertThat(history.skips()).extracting(SkipRecord::iteration).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(history.skips()).extracting(SkipRecord::reason).containsOnly(SkipRecord.Reason.QUEUE_FULL);
    }

    @Test
    void theBudgetSkipsEstimatesThatWouldTakeDiagnosticsOverTheirShareOfWallTime() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        LlcListener listener = llc().clock(clock).overheadBudget(0.1).llcSchedule(Schedule.everyNIterations(1))
                .estimator(Fixtures.fixed(config -> surface -> {
                    clock.advance(Duration.ofSeconds(10));
                    return new LlcEstimator(config).estimate(surface);
                })).build();
        MultiLayerNetwork net = net();
        net.setListeners(oneSecondPerIteration(clock), listener);
        net.fit(Fixtures.training(), 50);
        listener.close();

        RunHistory history = listener.history();
        // 300 iterations of 1 s: the first estimate (10 s) runs, since this estimator predicts nothing; then one runs
        // whenever spent + 10 <= 0.1 * (elapsed + 10).
        int estimates = history.llcRecords().size();
        double elapsed = 300 + 10.0 * estimates;
        assertThat(estimates).isBetween(2, 4);
        assertThat(10.0 * estimates).isLessThanOrEqualTo(0.1 * elapsed + 10);
        assertThat(history.skips()).hasSize(300 - estimates)
                .allSatisfy(s -> assertThat(s.reason()).isEqualTo(SkipRecord.Reason.OVER_BUDGET));
        assertThat(history.skips().get(0).detail()).contains("budget 0.100");
    }

    @Test
    void theBudgetPredictsTheFirstEstimateFromItsFewestStepsAndATimedStep() {
        // The fast configuration's fewest steps: 2 chains x (3 + 4). A prediction above 0 s never fits at iteration 0,
        // where no training time has elapsed; an SGLD step on the tiny network takes well under a millisecond, so
        // the prediction fits long before the 12 s of this run (it would need steps of 80 ms not to).
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        LlcListener listener = llc().clock(clock).overheadBudget(0.1).llcSchedule(Schedule.everyNIterations(1))
                .build();
        MultiLayerNetwork net = net();
        net.setListeners(oneSecondPerIteration(clock), listener);
        net.fit(Fixtures.training(), 2);
        listener.close();

        RunHistory history = listener.history();
        assertThat(history.skips()).isNotEmpty().allSatisfy(skip -> {
            assertThat(skip.reason()).isEqualTo(SkipRecord.Reason.OVER_BUDGET);
            assertThat(skip.detail()).contains("predicted from the first estimate's fewest SGLD steps, 14, times")
                    .contains("ms per step, on 1 thread(s)");
        });
        assertThat(history.skips().get(0).iteration()).isZero();
        // Once the first estimate ran, its cost (0 s on the manual clock) predicts the next ones: all of them run.
        long first = history.skips().size();
        assertThat(history.llc().iterations()).isNotEmpty().containsExactly(LongStream.range(first, 12).toArray());
    }

    @Test
    void aFirstEstimatePredictedOverTheBudgetNeverRuns() {
        // A billion steps at a microsecond or more each: over 1,000 s, more than 0.1 of the 300 s this run trains.
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Function<LlcConfig, LlcTask.Estimator> real = Fixtures.fixed(config -> new LlcEstimator(config)::estimate);
        LlcListener listener = llc().clock(clock).overheadBudget(0.1).llcSchedule(Schedule.everyNIterations(1))
                .estimator(config -> new LlcTask.Estimator() {
                    @Override
                    public Calibration calibrate(LossSurface surface) {
                        return real.apply(config).calibrate(surface);
                    }

                    @Override
                    public LlcEstimate estimate(LossSurface surface, Calibration calibration) {
                        return real.apply(config).estimate(surface, calibration);
                    }

                    @Override
                    public long fewestSteps() {
                        return 1_000_000_000L;
                    }
                }).build();
        MultiLayerNetwork net = net();
        net.setListeners(oneSecondPerIteration(clock), listener);
        net.fit(Fixtures.training(), 50);
        listener.close();

        RunHistory history = listener.history();
        assertThat(history.llcRecords()).isEmpty();
        assertThat(history.skips()).hasSize(300).allSatisfy(s -> {
            assertThat(s.reason()).isEqualTo(SkipRecord.Reason.OVER_BUDGET);
            assertThat(s.detail()).contains("predicted from the first estimate's fewest SGLD steps, 1000000000");
        });
    }

    private static BaseTrainingListener oneSecondPerIteration(Fixtures.ManualClock clock) {
        return new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                clock.advance(Duration.ofSeconds(1));
            }
        };
    }

    @Test
    void aThrowingEstimatorIsRecordedAndLoggedOnceAndTrainingGoesOn() {
        LlcListener listener = llc().llcSchedule(Schedule.everyNIterations(2))
                .overheadBudget(Double.POSITIVE_INFINITY).estimator(Fixtures.fixed(config -> surface -> {
                    throw new IllegalStateException("injected fault");
                })).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        String log = Fixtures.stderrOf(() -> net.fit(Fixtures.training(), 2));
        listener.close();

        assertThat(net.getIterationCount()).isEqualTo(12);
        List<FailureRecord> failures = listener.history().failures();
        assertThat(failures).extracting(FailureRecord::iteration).containsExactly(0L, 2L, 4L, 6L, 8L, 10L);
        assertThat(failures.get(0).error()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failures.get(0).message()).isEqualTo("injected fault");
        assertThat(countOccurrences(log, "LLC diagnostic failed")).isEqualTo(1);
        assertThat(log).contains("WARN");
    }

    @Test
    void nanWeightsAreRecordedAsAFailureNotThrown() {
        LlcListener listener = llc().llcSchedule(Schedule.atIterations(3)).overheadBudget(Double.POSITIVE_INFINITY)
                .build();
        MultiLayerNetwork net = net();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (iteration == 3) {
                    model.params().assign(Double.NaN);
                }
            }
        }, listener);
        Fixtures.stderrOf(() -> net.fit(Fixtures.training()));
        listener.close();
        assertThat(listener.history().failures()).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("NaN"));
    }

    @Test
    void failOnErrorMakesAFailureFatalFromTheCallbackInSyncMode() {
        LlcListener listener = llc().llcSchedule(Schedule.atIterations(1)).failOnError(true)
                .estimator(Fixtures.fixed(config -> surface -> {
                    throw new IllegalStateException("injected fault");
                })).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        assertThatThrownBy(() -> Fixtures.stderrOf(() -> net.fit(Fixtures.training())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("failOnError")
                .hasRootCauseMessage("injected fault");
        assertThat(listener.history().failures()).hasSize(1);
    }

    @Test
    void failOnErrorMakesAnAsyncFailureFatalAtTheNextCallbackOrAtAwaitCompletion() {
        LlcListener listener = llc().llcSchedule(Schedule.atIterations(5)).async(true).failOnError(true)
                .estimator(Fixtures.fixed(config -> surface -> {
                    throw new IllegalStateException("injected fault");
                })).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        assertThatThrownBy(() -> Fixtures.stderrOf(() -> {
            net.fit(Fixtures.training());
            listener.awaitCompletion();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("failOnError")
                .hasRootCauseMessage("injected fault");
        listener.close();
    }

    @Test
    void aFailingSinkIsRecordedInTheOtherSinksAndLoggedOnce() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "not a directory");
        LlcListener listener = llc().llcSchedule(Schedule.never()).sink(new JsonlSink(blocker.resolve("run.jsonl")))
                .build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        String log = Fixtures.stderrOf(() -> net.fit(Fixtures.training()));
        listener.close();
        assertThat(net.getIterationCount()).isEqualTo(6);
        List<FailureRecord> failures = listener.history().failures();
        assertThat(failures).hasSize(7);
        assertThat(failures).allSatisfy(f -> assertThat(f.diagnostic()).isEqualTo(Diagnostic.SINK));
        assertThat(countOccurrences(log, "failed writing")).isEqualTo(1);
    }

    @Test
    void aStatsStorageFailingToTakeTheLossHeldBackIsRecordedAsASinkFailureWhenTheListenerCloses() {
        StatsStorageRouter router = mock(StatsStorageRouter.class);
        doThrow(new IllegalStateException("storage closed")).when(router).putUpdate(any(Persistable.class));
        LlcListener listener = llc().llcSchedule(Schedule.never()).statsStorage(router).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training());

        listener.close();

        assertThat(listener.history().lossRecords()).hasSize(6);
        assertThat(listener.history().failures()).singleElement().satisfies(f -> {
            assertThat(f.diagnostic()).isEqualTo(Diagnostic.SINK);
            assertThat(f.iteration()).isEqualTo(5);
            assertThat(f.message()).contains("storage closed");
        });
    }

    @Test
    void epochSchedulesRunAtTheEndOfTheEpochStampedWithItsLastIteration() {
        SymmetryListener listener = new SymmetryListener.Builder(Fixtures.held())
                .symmetrySchedule(Schedule.everyNEpochs(1)).overheadBudget(Double.POSITIVE_INFINITY).build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training(), 3);
        listener.close();
        RunHistory history = listener.history();
        assertThat(history.symmetryRecords()).extracting(r -> r.iteration()).containsExactly(5L, 11L, 17L);
        assertThat(history.symmetryRecords()).extracting(r -> r.epoch()).containsExactly(0, 1, 2);
        assertThat(history.layerNames()).containsExactly("layer0", "layer1");
    }

    @Test
    void spectraEveryComputesTheRanksOnEveryNthScanOnly() {
        SymmetryListener listener = new SymmetryListener.Builder(Fixtures.held())
                .symmetrySchedule(Schedule.everyNIterations(1)).spectraEvery(3).overheadBudget(Double.POSITIVE_INFINITY)
                .build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training(), 2); // 12 iterations
        listener.close();

        RunHistory history = listener.history();
        List<Long> ranked = history.symmetryRecords().stream()
                .filter(r -> r.snapshot().layer("layer0").orElseThrow().numericalRank() >= 0)
                .map(r -> r.iteration()).toList();
        assertThat(history.symmetryRecords()).hasSize(12);
        assertThat(ranked).containsExactly(0L, 3L, 6L, 9L);
        assertThat(history.header().orElseThrow().settings()).containsEntry("symmetry.spectra", "every 3 scan(s)");
    }

    @Test
    void theCombinedListenerWorksOnAComputationGraphAndRoutesLikeStatsListener() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SltListener listener = new SltListener.Builder(Fixtures.held(), Fixtures.EXAMPLES)
                .llcConfig(Fixtures.fastConfig()).llcSchedule(Schedule.atIterations(2))
                .symmetrySchedule(Schedule.everyNIterations(2)).async(true).maxPending(10)
                .overheadBudget(Double.POSITIVE_INFINITY).build();
        listener.setStorageRouter(storage);
        listener.setSessionID("graph-session");
        ComputationGraph graph = TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, 1);
        graph.setListeners(listener);
        graph.fit(Fixtures.training());
        listener.close();

        RunHistory history = StoredRun.read(storage, "graph-session").history();
        assertThat(history.header().orElseThrow().modelType()).isEqualTo("ComputationGraph");
        assertThat(history.llc().iterations()).containsExactly(2);
        assertThat(history.symmetryRecords()).extracting(r -> r.iteration()).containsExactly(0L, 2L, 4L);
        assertThat(history.layerNames()).containsExactly("hidden", "out");
        assertThat(listener.getStorageRouter()).isSameAs(storage);
    }

    @Test
    void aCloneSharesSessionAndRouterButHasItsOwnWorkerAndState() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        LlcListener listener = llc().statsStorage(storage).sessionId("s").workerId("w").build();
        DiagnosticsListener copy = listener.clone();
        assertThat(copy).isInstanceOf(LlcListener.class);
        assertThat(copy.getSessionID()).isEqualTo("s");
        // Numbered across the clones of clones too, so that even a worker ID given to the builder stays distinct.
        assertThat(copy.getWorkerID()).isEqualTo("w-1");
        assertThat(listener.clone().getWorkerID()).isEqualTo("w-2");
        assertThat(copy.clone().getWorkerID()).isEqualTo("w-1-3");
        assertThat(copy.getStorageRouter()).isSameAs(storage);
        assertThat(copy.history().records()).isEmpty();
    }

    @Test
    void badSettingsFailAtBuildNamingTheSettingAndValue() {
        assertThatThrownBy(() -> new LlcListener.Builder(Fixtures.held(), 1).build())
                .hasMessage("trainingSetSize must be >= 2 (got: 1)");
        assertThatThrownBy(() -> llc().maxPending(0).build()).hasMessage("maxPending must be >= 1 (got: 0)");
        assertThatThrownBy(() -> llc().overheadBudget(0).build()).hasMessage("overheadBudget must be > 0 (got: 0.0)");
        assertThatThrownBy(() -> new LlcListener.Builder(Fixtures.held(), 500).llcConfig(Fixtures.fastConfig()).build())
                .hasMessage("config trainingSetSize must equal the listener's trainingSetSize 500 (got: 60)");
        assertThatThrownBy(() -> new SymmetryListener.Builder(Fixtures.held()).persistence(0).build())
                .hasMessage("persistence must be >= 1 (got: 0)");
        assertThatThrownBy(() -> new SltListener.Builder(Fixtures.held(), Fixtures.EXAMPLES).spectraEvery(0).build())
                .hasMessage("spectraEvery must be >= 1 (got: 0)");
    }

    @Test
    void theListenersOwnDataIsCopiedSoTheSourceMayChangeAfterBuild() {
        org.nd4j.linalg.dataset.DataSet held = Fixtures.held();
        LlcListener listener = new LlcListener.Builder(held, Fixtures.EXAMPLES).llcConfig(Fixtures.fastConfig())
                .llcSchedule(Schedule.atIterations(0)).overheadBudget(Double.POSITIVE_INFINITY).build();
        held.getFeatures().assign(Double.NaN);
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training());
        listener.close();
        assertThat(listener.history().failures()).isEmpty();
        assertThat(listener.history().llcRecords()).hasSize(1);
    }

    @Test
    void theLossHeldBackForTheStatsStorageIsPostedAtEveryEpochEndWithoutClose() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        LlcListener listener = llc().llcSchedule(Schedule.never()).statsStorage(storage).sessionId("epochs").build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);

        net.fit(Fixtures.training());
        // The second epoch's 6 iterations take milliseconds, well inside the sink's 1 s bound on holding them back.
        net.fit(Fixtures.training());

        assertThat(StoredRun.read(storage, "epochs").history().loss().size())
                .as("loss records in the storage before close()").isEqualTo(12);
        listener.close();
    }

    @Test
    void recordsOfEveryTypeReachTheSinksInOrderHeaderFirst() {
        LlcListener listener = llc().llcSchedule(Schedule.atIterations(0)).overheadBudget(Double.POSITIVE_INFINITY)
                .build();
        MultiLayerNetwork net = net();
        net.setListeners(listener);
        net.fit(Fixtures.training());
        listener.close();
        List<RecordType> types = new ArrayList<>();
        listener.history().records().forEach(r -> types.add(r.type()));
        assertThat(listener.history().header()).isPresent();
        assertThat(types).contains(RecordType.LOSS, RecordType.LLC);
        LlcRecord record = listener.history().llcRecords().get(0);
        assertThat(record.estimate().dimension()).isEqualTo(net.numParams());
        assertThat(record.estimate().dataSize()).isEqualTo(30);
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
