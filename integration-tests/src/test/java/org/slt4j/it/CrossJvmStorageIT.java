package org.slt4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slt4j.listener.Schedule;
import org.slt4j.listener.SltListener;
import org.slt4j.report.RecordJson;
import org.slt4j.report.RunHistory;

/** A FileStatsStorage written by this JVM is read back completely by another JVM. */
class CrossJvmStorageIT {

    @TempDir
    Path dir;

    @Test
    void anotherJvmReadsBackEveryRecordOfTheRun() throws Exception {
        Path storageFile = dir.resolve("run.dl4j");
        FileStatsStorage storage = new FileStatsStorage(storageFile.toFile());
        SltListener listener = new SltListener.Builder(ItModels.held(), ItModels.TRAINING_EXAMPLES)
                .llcConfig(ItModels.fastConfig()).llcSchedule(Schedule.logSpaced(2))
                .symmetrySchedule(Schedule.everyNIterations(2)).persistence(1).async(true).maxPending(100)
                .overheadBudget(Double.POSITIVE_INFINITY).statsStorage(storage).sessionId("cross-jvm").build();
        MultiLayerNetwork net = ItModels.mln(WorkspaceMode.ENABLED);
        net.setListeners(listener);
        net.fit(ItModels.prefetchingTraining(), 3);
        listener.close();
        storage.close();

        Path out = dir.resolve("read-back.jsonl");
        Process reader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StorageReader.class.getName(),
                storageFile.toString(), "cross-jvm", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("reader.log").toFile()).start();
        assertThat(reader.waitFor(120, TimeUnit.SECONDS)).as("reader JVM finished").isTrue();
        assertThat(reader.exitValue()).as(Files.readString(dir.resolve("reader.log"))).isZero();

        RunHistory written = listener.history();
        List<String> expected = new ArrayList<>();
        expected.add(RecordJson.encode(written.header().orElseThrow()));
        written.records().forEach(r -> expected.add(RecordJson.encode(r)));
        assertThat(Files.readAllLines(out)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(written.llcRecords()).isNotEmpty();
        assertThat(written.symmetryRecords()).hasSize(9);
        assertThat(written.loss().size()).isEqualTo(18);
        assertThat(new File(storageFile.toString())).exists();
    }
}
