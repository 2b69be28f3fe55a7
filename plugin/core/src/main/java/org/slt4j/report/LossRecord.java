package org.slt4j.report;

import java.time.Instant;
import java.util.Objects;

/**
 * The training loss at one iteration, twice: the model's score as DL4J reports it (the minibatch loss including
 * regularization terms: L1, L2 and weight decay) and the data loss, the same minibatch's loss without them.
 *
 * <p>With strong regularization the two tell different stories: in a grokking run with weight decay 1.0 the score
 * climbs into the thousands while the data loss falls to near zero. Charts, reports and baselines use the data loss
 * where a record has it ({@link RunHistory#loss()}).
 *
 * @param iteration the iteration
 * @param epoch     the epoch
 * @param timestamp when it was recorded
 * @param score     the model's {@code score()}; may be NaN or infinite when training diverged
 * @param dataLoss  the score without the regularization terms, computed at the same parameters as the score (so
 *                  no cancellation error enters: see {@link org.slt4j.listener.DiagnosticsListener}); NaN when it
 *                  is not known (files written before slt4j recorded it, DL4J StatsListener's scores, training
 *                  loops that do not report the gradient calculation)
 */
public record LossRecord(long iteration, int epoch, Instant timestamp, double score, double dataLoss)
        implements TrainingRecord {

    /** Checks the timestamp. */
    public LossRecord {
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** A record of a score whose data loss is not known. */
    public LossRecord(long iteration, int epoch, Instant timestamp, double score) {
        this(iteration, epoch, timestamp, score, Double.NaN);
    }

    /** Whether the record carries the data loss. */
    public boolean hasDataLoss() {
        return !Double.isNaN(dataLoss);
    }

    /** The data loss where known, the score otherwise. */
    public double loss() {
        return hasDataLoss() ? dataLoss : score;
    }

    @Override
    public RecordType type() {
        return RecordType.LOSS;
    }
}
