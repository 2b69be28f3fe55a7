package org.slt4j.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.storage.StatsStorageSink;
import org.slt4j.testing.SyntheticRun;

/**
 * What a training run pays per loss record written through {@link StatsStorageSink} into a DL4J FileStatsStorage,
 * which commits every update to disk: with one update per record ({@code maxBatch} 1, as before batches) and with
 * the default batches. Each case writes {@code records} loss records of {@link SyntheticRun} on the calling thread
 * into a new file, then closes the sink (which posts what it held back); the time of both, per record, is what the
 * training thread would have waited. Args: records (default 2,000), the folder of the files (default the temporary
 * folder). See docs/benchmarks.md.
 */
public final class StorageWriteBenchmark {
    private StorageWriteBenchmark() {
    }

    /**
     * @param args records, folder
     */
    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        SyntheticRun run = new SyntheticRun(1_000, 500, 2_500);
        List<DiagnosticRecord> loss = run.records(0, records).stream().filter(LossRecord.class::isInstance).toList();
        for (int maxBatch : new int[] {1, StatsStorageSink.DEFAULT_MAX_BATCH}) {
            File file = Files.createTempFile(dir, "slt4j-write-benchmark", ".dl4j").toFile();
            file.delete();
            FileStatsStorage storage = new FileStatsStorage(file);
            try {
                StatsStorageSink sink = new StatsStorageSink(storage, maxBatch, StatsStorageSink.DEFAULT_MAX_DELAY);
                sink.write(run.header());
                long start = System.nanoTime();
                loss.forEach(sink::write);
                sink.close();
                double millis = (System.nanoTime() - start) / 1e6;
                int updates = storage.getNumUpdateRecordsFor(SyntheticRun.SESSION);
                System.out.printf(Locale.ROOT, "maxBatch %,d: %,d loss records in %,d updates, %.1f ms: %.4f ms per "
                        + "record%n", maxBatch, loss.size(), updates, millis, millis / loss.size());
            } finally {
                storage.close();
                file.delete();
            }
        }
    }
}
