package org.slt4j.report.storage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHeader;

/**
 * Posts records to a DL4J {@link StatsStorageRouter} (InMemoryStatsStorage, FileStatsStorage,
 * RemoteUIStatsStorageRouter...) as {@link StoredRecord}s, under the session and worker IDs of the run's
 * {@link RunHeader}, so the DL4J UI and {@link StoredRun#read} can read them.
 *
 * <p>The header is posted first, as static info under every slt4j type ID (StatsStorage ignores updates of a
 * type without static info); every other record is posted as an update of its type. StatsStorage keys updates
 * by millisecond timestamp, so the sink moves each record's timestamp forward by the least amount that keeps it
 * unique per type (records are never overwritten). Not thread-safe (see {@link DiagnosticsSink}).
 */
public final class StatsStorageSink implements DiagnosticsSink {
    private final StatsStorageRouter router;
    private final Map<RecordType, Long> lastTimestamps = new EnumMap<>(RecordType.class);
    private RunHeader header;

    /** A sink posting to the given router. */
    public StatsStorageSink(StatsStorageRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /** The router records are posted to. */
    public StatsStorageRouter router() {
        return router;
    }

    /**
     * Posts a record.
     *
     * @throws IllegalStateException if a training record comes before the run header
     */
    @Override
    public void write(DiagnosticRecord record) {
        if (record instanceof RunHeader h) {
            header = h;
            List<StoredRecord> infos = new ArrayList<>();
            for (RecordType type : RecordType.values()) {
                infos.add(new StoredRecord(h.sessionId(), type.typeId(), h.workerId(), h.timestamp().toEpochMilli(),
                        h));
            }
            router.putStaticInfo(infos);
            return;
        }
        if (header == null) {
            throw new IllegalStateException("the run header must be written before any other record (got: "
                    + record.type() + " first)");
        }
        long wanted = record.timestamp().toEpochMilli();
        Long last = lastTimestamps.get(record.type());
        long timestamp = last == null ? wanted : Math.max(wanted, last + 1);
        lastTimestamps.put(record.type(), timestamp);
        router.putUpdate(new StoredRecord(header.sessionId(), header.workerId(), timestamp, record));
    }

    @Override
    public String toString() {
        return "StatsStorageSink(" + router.getClass().getSimpleName() + ")";
    }
}
