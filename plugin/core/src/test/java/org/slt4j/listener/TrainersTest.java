package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingGraphTrainer;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.earlystopping.trainer.IEarlyStoppingTrainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.report.CsvSink;
import org.slt4j.report.JsonlSink;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHeader;
import org.slt4j.report.RunHistory;
import org.slt4j.report.TrainingRecord;
import org.slt4j.report.storage.StatsStorageSink;
import org.slt4j.report.storage.StoredRecord;
import org.slt4j.testing.TinyNetworks;

/**
 * The listener under the trainers DL4J users run instead of {@code fit}: {@code EarlyStoppingTrainer},
 * {@code EarlyStoppingGraphTrainer} and {@code ParallelWrapper}. Every record arrives once; under the early-stopping
 * trainers, which DL4J runs reproducibly, the run with the listener ends with the same parameters and updater state,
 * to the bit, as the run without; after {@code close()} no slt4j thread is alive and no file of the listener's sinks
 * is open.
 */
class TrainersTest {
    private static final long SEED = 7;

    @TempDir
    Path dir;

    @Test
    void underEarlyStoppingTrainerEveryIterationAndEpochIsRecordedAndTrainingIsBitIdentical() throws IOException {
        earlyStopping(() -> TinyNetworks.classifier(WorkspaceMode.ENABLED, SEED),
                (config, net) -> new EarlyStoppingTrainer(config, net, Fixtures.training()), false);
    }

    @Test
    void underEarlyStoppingGraphTrainerEveryIterationAndEpochIsRecordedAndTrainingIsBitIdentical() throws IOException {
        earlyStopping(() -> TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, SEED),
                (config, graph) -> new EarlyStoppingGraphTrainer(config, graph, Fixtures.training()), true);
    }

    /** A trainer of the model under test. */
    private interface TrainerFactory<M extends Model> {
        IEarlyStoppingTrainer<M> create(EarlyStoppingConfiguration<M> config, M model);
    }

    /**
     * Two epochs of 6 iterations under an early-stopping trainer, with the network's dropout active (so a listener
     * that drew from ND4J's random generator would change the training), asynchronous in the graph's case.
     */
    private <M extends Model> void earlyStopping(Supplier<M> models, TrainerFactory<M> trainers,
            boolean async) throws IOException {
        M without = models.get();
        EarlyStoppingResult<M> plain = earlyStop(without, trainers);

        Set<Thread> before = slt4jThreads();
        Path jsonl = dir.resolve("run.jsonl");
        // Two sampling threads: their pool must be gone after close() too.
        SltListener listener = new SltListener.Builder(Fixtures.held(), Fixtures.EXAMPLES)
                .llcConfig(Fixtures.fastConfig().toBuilder().threads(2).build())
                .llcSchedule(Schedule.atIterations(3, 9)).symmetrySchedule(Schedule.everyNEpochs(1))
                .overheadBudget(Double.POSITIVE_INFINITY).async(async).maxPending(8)
                .sink(new JsonlSink(jsonl)).sink(new CsvSink(dir.resolve("csv"))).build();
        M with = models.get();
        with.setListeners(listener);
        EarlyStoppingResult<M> listened = earlyStop(with, trainers);

        assertThat(with.params()).isEqualTo(without.params());
        assertThat(updaterState(with)).isEqualTo(updaterState(without));
        assertThat(listened.getBestModel().params()).isEqualTo(plain.getBestModel().params());
        assertThat(listened.getScoreVsEpoch()).isEqualTo(plain.getScoreVsEpoch());
        assertThat(openFilesUnder(dir)).as("files open before close()").contains(jsonl.toRealPath());
        if (async) {
            assertThat(newThreads(before)).as("the listener's background thread before close()").isNotEmpty();
        }
        listener.close();

        assertThat(newThreads(before)).as("slt4j threads alive after close()").isEmpty();
        assertThat(openFilesUnder(dir)).as("files open after close()").isEmpty();
        RunHistory history = listener.history();
        assertThat(history.lossRecords()).extracting(LossRecord::iteration)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(history.lossRecords()).extracting(LossRecord::epoch)
                .containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
        assertThat(history.llcRecords()).extracting(TrainingRecord::iteration).containsExactly(3L, 9L);
        // The trainer calls onEpochEnd itself: the scans run at each epoch's last iteration.
        assertThat(history.symmetryRecords()).extracting(r -> r.iteration() + "@" + r.epoch())
                .containsExactly("5@0", "11@1");
        assertThat(history.failures()).isEmpty();
        assertThat(history.skips()).isEmpty();
        assertThat(encoded(RunHistory.readJsonl(jsonl))).isEqualTo(encoded(history));
        assertThat(Files.readAllLines(dir.resolve("csv/loss.csv"))).hasSize(1 + 12);
    }

    /** Adam's moments: a listener that touched the updater would change them. */
    private static INDArray updaterState(Model model) {
        return model instanceof MultiLayerNetwork net ? net.getUpdater().getStateViewArray()
                : ((ComputationGraph) model).getUpdater().getStateViewArray();
    }

    private static <M extends Model> EarlyStoppingResult<M> earlyStop(M model, TrainerFactory<M> trainers) {
        EarlyStoppingConfiguration<M> config = new EarlyStoppingConfiguration.Builder<M>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(2))
                .scoreCalculator(new DataSetLossCalculator(Fixtures.training(), true))
                .modelSaver(new InMemoryModelSaver<>()).build();
        Nd4j.getRandom().setSeed(SEED);
        return trainers.create(config, model).fit();
    }

    @Test
    void underParallelWrapperEveryWorkerRecordsEachIterationOnceAcrossFitCallsAndCloseEndsThemAll()
            throws IOException {
        parallel(TinyNetworks.classifier(WorkspaceMode.ENABLED, SEED), true);
    }

    @Test
    void underParallelWrapperAGraphsWorkersRunTheirDiagnosticsSynchronouslyOnTheirOwnThreads() throws IOException {
        parallel(TinyNetworks.classifierGraph(WorkspaceMode.ENABLED, SEED), false);
    }

    /**
     * Two fit calls of one ParallelWrapper with 2 workers, counting every record of every worker. DL4J's
     * ParallelWrapper needs two workers or more, and its run is not reproducible then (see
     * {@link DiagnosticsListener}: the second worker copies the model while the first already trains it), so this
     * does not compare parameters; the counts and iterations it checks hold whatever the timing.
     */
    private void parallel(Model model, boolean async) throws IOException {
        Set<Thread> before = slt4jThreads();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        InMemoryStatsStorage sinkStorage = new InMemoryStatsStorage();
        Path jsonl = dir.resolve("run.jsonl");
        SltListener listener = new SltListener.Builder(Fixtures.held(), Fixtures.EXAMPLES)
                .llcConfig(Fixtures.fastConfig()).llcSchedule(Schedule.atIterations(1, 2))
                .symmetrySchedule(Schedule.everyNIterations(2)).overheadBudget(Double.POSITIVE_INFINITY).async(async)
                .maxPending(8).sessionId("parallel").statsStorage(storage).sink(new StatsStorageSink(sinkStorage))
                .sink(new JsonlSink(jsonl)).build();
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(model).workers(2).averagingFrequency(1)
                .prefetchBuffer(2).build();
        wrapper.setListeners(listener);
        // Two epochs, as users loop: DL4J clones the listener for each worker at each fit call.
        for (int epoch = 0; epoch < 2; epoch++) {
            wrapper.fit(new ViewIterator(TinyNetworks.blobs(70, 3), Fixtures.BATCH));
        }
        wrapper.shutdown();

        // Asynchronous: one background thread per worker, as the second fit's clones continue the first's.
        // (Each worker's StatsStorage sinks have a thread of their own too, while they hold records back.)
        assertThat(newThreads(before)).filteredOn(t -> t.getName().startsWith("slt4j-diagnostics-"))
                .as("the clones' background threads before close()").hasSize(async ? 2 : 0);
        assertThat(openFilesUnder(dir)).as("files open before close()").containsExactly(jsonl.toRealPath());
        listener.close();
        assertThat(newThreads(before)).as("slt4j threads alive after close()").isEmpty();
        assertThat(openFilesUnder(dir)).as("files open after close()").isEmpty();

        // 7 batches for 2 workers: rounds of 2, 2, 2 and 1 batches, so per epoch the first worker fits 4 and the
        // second 3. The first trains the model itself, from its iteration count; the second a copy made at each fit
        // call, from the count the model had when it was copied (its own count or later).
        Map<String, List<Long>> loss = iterationsByWorker(storage, RecordType.LOSS);
        assertThat(loss.keySet()).hasSize(2).allMatch(id -> id.matches(".+_thread_[01]"));
        List<List<Long>> perWorker = List.copyOf(loss.values());
        assertThat(perWorker.get(0)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        List<Long> second = perWorker.get(1);
        assertThat(second).hasSize(6).doesNotHaveDuplicates();
        for (int epoch = 0; epoch < 2; epoch++) {
            long first = second.get(3 * epoch);
            assertThat(second.subList(3 * epoch, 3 * epoch + 3)).containsExactly(first, first + 1, first + 2);
        }
        Map<String, List<Long>> scans = iterationsByWorker(storage, RecordType.SYMMETRY);
        Map<String, List<Long>> estimates = iterationsByWorker(storage, RecordType.LLC);
        // A StatsStorageSink given as a sink is the router's equal: records under the worker that made them.
        for (RecordType type : List.of(RecordType.LOSS, RecordType.SYMMETRY, RecordType.LLC)) {
            assertThat(iterationsByWorker(sinkStorage, type)).as(type.toString())
                    .isEqualTo(iterationsByWorker(storage, type));
        }
        loss.forEach((worker, iterations) -> {
            assertThat(scans.getOrDefault(worker, List.of())).as("scans of " + worker)
                    .isEqualTo(iterations.stream().filter(i -> i % 2 == 0).toList());
            assertThat(estimates.getOrDefault(worker, List.of())).as("estimates of " + worker)
                    .isEqualTo(iterations.stream().filter(i -> i == 1 || i == 2).toList());
        });

        RunHistory history = listener.history();
        assertThat(history.lossRecords()).extracting(LossRecord::iteration)
                .containsExactlyInAnyOrderElementsOf(concat(loss));
        assertThat(history.symmetryRecords()).extracting(TrainingRecord::iteration)
                .containsExactlyInAnyOrderElementsOf(concat(scans));
        assertThat(history.llcRecords()).extracting(TrainingRecord::iteration)
                .containsExactlyInAnyOrderElementsOf(concat(estimates));
        assertThat(history.failures()).isEmpty();
        assertThat(history.skips()).isEmpty();

        // One run header per worker.
        List<String> workersInFile = Files.readAllLines(jsonl).stream().map(RecordJson::decode)
                .filter(r -> r instanceof RunHeader).map(r -> ((RunHeader) r).workerId()).sorted().toList();
        assertThat(workersInFile).isEqualTo(List.copyOf(loss.keySet()));
        // Two clones may write the same sinks in either order: the file holds the same records, in some order.
        assertThat(encoded(RunHistory.readJsonl(jsonl))).containsExactlyInAnyOrderElementsOf(encoded(history));
    }

    /** The iterations of each worker's records of the type in the session "parallel", by worker ID. */
    private static Map<String, List<Long>> iterationsByWorker(InMemoryStatsStorage storage, RecordType type) {
        Map<String, List<Long>> byWorker = new TreeMap<>();
        for (String worker : storage.listWorkerIDsForSessionAndType("parallel", type.typeId())) {
            List<Long> iterations = storage.getAllUpdatesAfter("parallel", type.typeId(), worker, 0).stream()
                    .flatMap(u -> ((StoredRecord) u).records().stream())
                    .map(r -> ((TrainingRecord) r).iteration()).sorted().toList();
            if (!iterations.isEmpty()) {
                byWorker.put(worker, iterations);
            }
        }
        return byWorker;
    }

    private static List<Long> concat(Map<String, List<Long>> byWorker) {
        return byWorker.values().stream().flatMap(List::stream).toList();
    }

    /** The records as JSON lines, in the history's order (records holding arrays do not compare by value). */
    private static List<String> encoded(RunHistory history) {
        return history.records().stream().map(RecordJson::encode).toList();
    }

    /** The slt4j threads alive now that were not in {@code before}. */
    private static Set<Thread> newThreads(Set<Thread> before) {
        Set<Thread> now = slt4jThreads();
        now.removeAll(before);
        return now;
    }

    private static Set<Thread> slt4jThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("slt4j-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** The files under the directory this process has open (Linux: the links in /proc/self/fd). */
    private static List<Path> openFilesUnder(Path directory) throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "open files are counted on Linux only");
        Path root = directory.toRealPath();
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // The descriptor closed while listing (the listing's own, for one).
                }
            }
        }
        return open;
    }
}
