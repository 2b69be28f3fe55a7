package org.slt4j.report.storage;

import com.google.common.base.Preconditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.LossRecord;
import org.slt4j.report.RecordType;
import org.slt4j.report.RunHistory;

/**
 * One session of a DL4J StatsStorage read back: the slt4j records of every worker as a {@link RunHistory}, and
 * where its loss came from. Immutable; {@link #read} is the only place slt4j reads a StatsStorage session, so the
 * UI page, the assertions and the command line agree.
 *
 * <p>The loss: slt4j's own loss records of the session, which carry the data loss beside the score, whenever there
 * are any. Only when there are none and DL4J's StatsListener reported scores to the same session do its scores
 * become the loss records (one per report, epoch 0: the reports carry none; score only, so
 * {@link RunHistory#lossKind()} is {@code SCORE}). See {@link #lossSource()}.
 */
public final class StoredRun {
    /** The type ID of DL4J StatsListener's reports. */
    public static final String STATS_LISTENER_TYPE_ID = "StatsListener";

    /** Where a stored run's loss came from. */
    public enum LossSource {
        /** DL4J StatsListener's reports in the same session (there were no slt4j loss records). */
        STATS_LISTENER,
        /** slt4j's loss records (preferred whenever there are any). */
        SLT4J,
        /** Neither: the run has no loss. */
        NONE
    }

    private final RunHistory history;
    private final LossSource lossSource;

    private StoredRun(RunHistory history, LossSource lossSource) {
        this.history = history;
        this.lossSource = lossSource;
    }

    /**
     * Reads the slt4j records of one session of a StatsStorage, from every worker, with the loss chosen as the
     * class description says.
     *
     * @param storage   the storage (InMemoryStatsStorage, FileStatsStorage, ...)
     * @param sessionId the session
     * @return the run
     * @throws IllegalArgumentException if the session does not exist, listing the sessions that do, or a stored
     *                                  record is invalid
     */
    public static StoredRun read(StatsStorage storage, String sessionId) {
        Objects.requireNonNull(storage, "storage");
        Preconditions.checkArgument(storage.sessionExists(sessionId),
                "sessionId must be a session of the storage (got: %s; sessions: %s)", sessionId,
                storage.listSessionIDs());
        List<DiagnosticRecord> records = new ArrayList<>();
        for (Persistable p : storage.getAllStaticInfos(sessionId, RecordType.HEADER.typeId())) {
            records.addAll(((StoredRecord) p).records());
        }
        boolean ownLoss = false;
        for (RecordType type : RecordType.values()) {
            for (Persistable p : storage.getAllUpdatesAfter(sessionId, type.typeId(), Long.MIN_VALUE)) {
                records.addAll(((StoredRecord) p).records());
                ownLoss |= type == RecordType.LOSS;
            }
        }
        if (ownLoss) {
            return new StoredRun(RunHistory.of(records), LossSource.SLT4J);
        }
        List<LossRecord> statsListenerLoss = statsListenerLoss(storage, sessionId);
        records.addAll(statsListenerLoss);
        return new StoredRun(RunHistory.of(records), statsListenerLoss.isEmpty() ? LossSource.NONE
                : LossSource.STATS_LISTENER);
    }

    /**
     * The sessions of a storage that hold slt4j records (a header or any record type), in the storage's order;
     * sessions of DL4J's StatsListener alone are not among them.
     */
    public static List<String> sessionIds(StatsStorage storage) {
        Objects.requireNonNull(storage, "storage");
        return storage.listSessionIDs().stream().filter(id -> hasSlt4jRecords(storage, id)).toList();
    }

    /** Whether a session of a storage holds slt4j records (a header or any record type). */
    public static boolean hasSlt4jRecords(StatsStorage storage, String sessionId) {
        List<String> types = storage.listTypeIDsForSession(sessionId);
        return Arrays.stream(RecordType.values()).anyMatch(t -> types.contains(t.typeId()));
    }

    /** StatsListener's reports with a score, as loss records; none if a report has an unexpected shape. */
    private static List<LossRecord> statsListenerLoss(StatsStorage storage, String sessionId) {
        List<LossRecord> loss = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter(sessionId, STATS_LISTENER_TYPE_ID, Long.MIN_VALUE)) {
            try {
                statsListenerScore(p).ifPresent(loss::add);
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        }
        return loss;
    }

    /**
     * One DL4J StatsListener report as a loss record: its score at its iteration (epoch 0: reports carry none; no
     * data loss). The report is read through its public getters: its class lives in deeplearning4j-ui-model, which
     * slt4j does not require.
     *
     * @param report an update of type {@link #STATS_LISTENER_TYPE_ID}
     * @return the loss record; empty when the report has no score
     * @throws IllegalArgumentException if the report does not have StatsListener's getters
     */
    public static Optional<LossRecord> statsListenerScore(Persistable report) {
        try {
            Class<?> c = report.getClass();
            if (!(Boolean) c.getMethod("hasScore").invoke(report)) {
                return Optional.empty();
            }
            return Optional.of(new LossRecord(((Number) c.getMethod("getIterationCount").invoke(report)).longValue(),
                    0, Instant.ofEpochMilli(report.getTimeStamp()),
                    ((Number) c.getMethod("getScore").invoke(report)).doubleValue()));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("not a StatsListener report: " + report.getClass().getName(), e);
        }
    }

    /** The run's records, sorted by iteration. */
    public RunHistory history() {
        return history;
    }

    /** Where the run's loss ({@link RunHistory#lossRecords()}) came from. */
    public LossSource lossSource() {
        return lossSource;
    }

    @Override
    public String toString() {
        return "StoredRun{" + history + ", loss from " + lossSource + "}";
    }
}
