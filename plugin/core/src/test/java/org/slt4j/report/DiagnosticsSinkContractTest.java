package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.slf4j.Logger;
import org.slt4j.report.storage.StatsStorageSink;

/** The {@link DiagnosticsSink} contract, run against every sink. */
class DiagnosticsSinkContractTest {

    /** The contract; each nested class plugs in one sink and a way to observe what it stored. */
    abstract static class Contract {
        @TempDir
        Path dir;
        DiagnosticsSink sink;

        abstract DiagnosticsSink create() throws IOException;

        /** How many records an outside reader sees now (without closing the sink). */
        abstract int visibleRecords() throws IOException;

        /** The record types the sink holds back (see {@link DiagnosticsSink}); none by default. */
        Set<RecordType> heldBack() {
            return Set.of();
        }

        /** The records read back, for lossless sinks; empty for lossy ones. */
        Optional<List<DiagnosticRecord>> readBack() throws IOException {
            return Optional.empty();
        }

        @BeforeEach
        void setUp() throws IOException {
            sink = create();
        }

        @AfterEach
        void tearDown() {
            sink.close();
        }

        @Test
        void everyRecordIsVisibleWhenWriteReturnsUnlessItsTypeIsHeldBackAndThenWithTheNextOfAnotherType()
                throws IOException {
            int written = 0;
            int held = 0;
            for (DiagnosticRecord r : SampleRecords.all()) {
                sink.write(r);
                written++;
                held = heldBack().contains(r.type()) ? held + 1 : 0;
                assertThat(visibleRecords()).as("visible after writing %s", r.type()).isEqualTo(written - held);
            }
        }

        @Test
        void flushAndCloseHandOverEveryRecordHeldBack() throws IOException {
            sink.write(SampleRecords.header());
            sink.write(SampleRecords.loss(1, 0.5));
            sink.write(SampleRecords.metric(1, "accuracy", 0.5));
            sink.flush();
            assertThat(visibleRecords()).as("after flush").isEqualTo(3);
            sink.write(SampleRecords.loss(2, 0.25));
            sink.close();
            assertThat(visibleRecords()).as("after close").isEqualTo(4);
        }

        @Test
        void losslessSinksGiveBackExactlyWhatWasWritten() throws IOException {
            SampleRecords.all().forEach(sink::write);
            sink.flush();
            Optional<List<DiagnosticRecord>> back = readBack();
            back.ifPresent(records -> assertThat(json(records)).containsExactlyInAnyOrderElementsOf(
                    json(SampleRecords.all())));
        }

        @Test
        void recordsArrivingOutOfIterationOrderAreAllKept() throws IOException {
            sink.write(SampleRecords.header());
            sink.write(SampleRecords.llc(50));
            sink.write(SampleRecords.llc(10));
            sink.write(SampleRecords.loss(10, 0.5));
            sink.flush();
            assertThat(visibleRecords()).isEqualTo(4);
        }

        @Test
        void closingTwiceIsHarmless() {
            sink.write(SampleRecords.header());
            sink.close();
            assertThatCode(sink::close).doesNotThrowAnyException();
        }

        private static List<String> json(List<DiagnosticRecord> records) {
            return records.stream().map(RecordJson::encode).collect(Collectors.toList());
        }
    }

    @Nested
    class Jsonl extends Contract {
        Path file;

        @Override
        DiagnosticsSink create() {
            file = dir.resolve("sub/run.jsonl");
            return new JsonlSink(file);
        }

        @Override
        int visibleRecords() throws IOException {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        }

        @Override
        Optional<List<DiagnosticRecord>> readBack() throws IOException {
            return Optional.of(Files.readAllLines(file).stream().map(RecordJson::decode).toList());
        }
    }

    @Nested
    class InMemory extends Contract {
        @Override
        DiagnosticsSink create() {
            return new InMemorySink();
        }

        @Override
        int visibleRecords() {
            return ((InMemorySink) sink).records().size();
        }

        @Override
        Optional<List<DiagnosticRecord>> readBack() {
            return Optional.of(((InMemorySink) sink).records());
        }
    }

    @Nested
    class Csv extends Contract {
        @Override
        DiagnosticsSink create() {
            return new CsvSink(dir.resolve("csv"));
        }

        @Override
        int visibleRecords() throws IOException {
            Path csv = dir.resolve("csv");
            if (!Files.exists(csv)) {
                return 0;
            }
            int count = 0;
            try (var files = Files.list(csv)) {
                for (Path f : files.toList()) {
                    List<String> rows = Files.readAllLines(f);
                    String name = f.getFileName().toString();
                    // run.csv holds one record; symmetry.csv one row per layer (first three columns identify it).
                    count += name.equals("run.csv") ? 1 : name.equals("symmetry.csv")
                            ? (int) rows.stream().skip(1).map(r -> r.split(",", 4)).map(c -> c[0] + c[1] + c[2])
                                    .distinct().count()
                            : (int) csvRows(rows);
                }
            }
            return count;
        }

        private long csvRows(List<String> lines) {
            // Quoted cells may contain line breaks: count rows by balanced quotes.
            long rows = 0;
            boolean open = false;
            for (String line : lines.subList(1, lines.size())) {
                if (!open) {
                    rows++;
                }
                if (line.chars().filter(c -> c == '"').count() % 2 == 1) {
                    open = !open;
                }
            }
            return rows;
        }
    }

    @Nested
    class Slf4j extends Contract {
        Logger log;

        @Override
        DiagnosticsSink create() {
            log = mock(Logger.class);
            when(log.isInfoEnabled()).thenReturn(true);
            when(log.isDebugEnabled()).thenReturn(true);
            when(log.getName()).thenReturn("test");
            return new Slf4jSink(log);
        }

        @Override
        int visibleRecords() {
            return (int) Mockito.mockingDetails(log).getInvocations().stream()
                    .filter(i -> List.of("info", "debug").contains(i.getMethod().getName())).count();
        }
    }

    @Nested
    class InMemoryStatsStorageSink extends Contract {
        InMemoryStatsStorage storage;

        @Override
        DiagnosticsSink create() {
            storage = new InMemoryStatsStorage();
            // Held back longer than a test takes: what is visible does not depend on timing.
            return new StatsStorageSink(storage, StatsStorageSink.DEFAULT_MAX_BATCH, Duration.ofMinutes(10));
        }

        @Override
        int visibleRecords() {
            return StatsStorageCount.records(storage);
        }

        @Override
        Set<RecordType> heldBack() {
            return EnumSet.of(RecordType.LOSS, RecordType.METRIC);
        }

        @Override
        Optional<List<DiagnosticRecord>> readBack() {
            return Optional.of(StatsStorageCount.all(storage));
        }
    }

    @Nested
    class FileStatsStorageSink extends Contract {
        FileStatsStorage storage;

        @Override
        DiagnosticsSink create() {
            storage = new FileStatsStorage(dir.resolve("stats.dl4j").toFile());
            // Held back longer than a test takes: what is visible does not depend on timing.
            return new StatsStorageSink(storage, StatsStorageSink.DEFAULT_MAX_BATCH, Duration.ofMinutes(10));
        }

        @Override
        int visibleRecords() {
            return StatsStorageCount.records(storage);
        }

        @Override
        Set<RecordType> heldBack() {
            return EnumSet.of(RecordType.LOSS, RecordType.METRIC);
        }

        @Override
        Optional<List<DiagnosticRecord>> readBack() {
            return Optional.of(StatsStorageCount.all(storage));
        }

        @AfterEach
        void closeStorage() throws IOException {
            // Before the storage: closing the sink posts what it held back (this runs before the contract's close).
            sink.close();
            storage.close();
        }
    }

    @Test
    void anUnwritableFileFailsAtTheFirstWriteNotAtConstruction(@TempDir Path dir) throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a directory");
        JsonlSink sink = new JsonlSink(blocker.resolve("run.jsonl"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.write(SampleRecords.header()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("run.jsonl");
    }
}
