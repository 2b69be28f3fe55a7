package org.slt4j.report;

import java.time.Instant;
import java.util.Objects;
import org.slt4j.llc.LlcEstimate;

/**
 * One LLC estimate made during training: the {@link LlcEstimate} (every chain, the diagnostics, the configuration
 * with its seed), stamped with the iteration of the parameters it was made at.
 *
 * @param iteration the iteration of the parameter snapshot
 * @param epoch     its epoch
 * @param timestamp when the estimate finished
 * @param estimate  the estimate
 * @param layer     the layer whose parameters alone were sampled (a restricted, per-layer LLC; the other
 *                  parameters held at the snapshot), or null for the whole network
 * @param segment   the number of the calibration whose step size and localization the estimate used, 0-based: a
 *                  listener with automatic settings calibrates at its first estimate (segment 0) and again when the
 *                  landscape changes (see {@code LlcListener}); per-layer records carry their network estimate's
 *                  segment; 0 when nothing was calibrated
 */
public record LlcRecord(long iteration, int epoch, Instant timestamp, LlcEstimate estimate, String layer, int segment)
        implements TrainingRecord {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if {@code segment} is negative
     */
    public LlcRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(estimate, "estimate");
        if (segment < 0) {
            throw new IllegalArgumentException("segment must be >= 0 (got: " + segment + ")");
        }
    }

    /**
     * The record of a whole-network estimate made at the given iteration.
     *
     * @param estimate  the estimate
     * @param iteration the iteration of the parameters it was made at
     * @param epoch     its epoch
     * @param timestamp when it finished
     * @return the record (segment 0), with the chains' loss traces when the estimate kept them
     */
    public static LlcRecord of(LlcEstimate estimate, long iteration, int epoch, Instant timestamp) {
        return new LlcRecord(iteration, epoch, timestamp, estimate, null, 0);
    }

    /** Whether this is an estimate of the whole network (not a per-layer one). */
    public boolean isWholeNetwork() {
        return layer == null;
    }

    /** This record without the chains' loss traces (smaller to store); see {@link LlcEstimate#withoutTraces()}. */
    public LlcRecord withoutTraces() {
        return new LlcRecord(iteration, epoch, timestamp, estimate.withoutTraces(), layer, segment);
    }

    @Override
    public RecordType type() {
        return RecordType.LLC;
    }
}
