package org.slt4j.report.storage;

import com.google.common.base.Preconditions;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * <p>The loss: when DL4J's StatsListener reported scores to the same session, its scores are the loss (one
 * {@link LossRecord} per report, epoch 0: the reports carry none), and slt4j's own loss records of the session are
 * left out, so the run's loss is what the built-in overview page shows. Otherwise the loss is slt4j's loss
 * records. See {@link #lossSource()}.
 */
public final class StoredRun {
    private static final String STATS_LISTENER_TYPE_ID = "StatsListener";

    /** Where a stored run's loss came from. */
    public enum LossSource {
        /** DL4J StatsListener's reports in the same session. */
        STATS_LISTENER,
        /** slt4j's loss records. */
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
            records.add(((StoredRecord) p).record());
        }
        List<LossRecord> statsListenerLoss = statsListenerLoss(storage, sessionId);
        boolean fromStatsListener = !statsListenerLoss.isEmpty();
        boolean ownLoss = false;
        for (RecordType type : RecordType.values()) {
            if (type == RecordType.LOSS && fromStatsListener) {
                continue;
            }
            for (Persistable p : storage.getAllUpdatesAfter(sessionId, type.typeId(), Long.MIN_VALUE)) {
                records.add(((StoredRecord) p).record());
                ownLoss |= type == RecordType.LOSS;
            }
        }
        records.addAll(statsListenerLoss);
        return new StoredRun(RunHistory.of(records), fromStatsListener ? LossSource.STATS_LISTENER
                : ownLoss ? LossSource.SLT4J : LossSource.NONE);
    }

    /**
     * StatsListener's reports with a score. They are read through their public getters: the classes live in
     * deeplearning4j-ui-model, which slt4j does not require. Reports of an unexpected shape give no loss.
     */
    private static List<LossRecord> statsListenerLoss(StatsStorage storage, String sessionId) {
        List<LossRecord> loss = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter(sessionId, STATS_LISTENER_TYPE_ID, Long.MIN_VALUE)) {
            try {
                Method hasScore = p.getClass().getMethod("hasScore");
                Method iteration = p.getClass().getMethod("getIterationCount");
                Method score = p.getClass().getMethod("getScore");
                if ((Boolean) hasScore.invoke(p)) {
                    loss.add(new LossRecord(((Number) iteration.invoke(p)).longValue(), 0,
                            Instant.ofEpochMilli(p.getTimeStamp()), ((Number) score.invoke(p)).doubleValue()));
                }
            } catch (ReflectiveOperationException | ClassCastException e) {
                return List.of();
            }
        }
        return loss;
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
