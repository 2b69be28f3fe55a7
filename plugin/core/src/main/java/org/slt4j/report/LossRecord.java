package org.slt4j.report;

import java.time.Instant;
import java.util.Objects;

/**
 * The training loss at one iteration: the model's score as DL4J reports it after the update (the minibatch
 * loss, including regularization terms).
 *
 * @param iteration the iteration
 * @param epoch     the epoch
 * @param timestamp when it was recorded
 * @param score     the model's {@code score()}; may be NaN or infinite when training diverged
 */
public record LossRecord(long iteration, int epoch, Instant timestamp, double score) implements TrainingRecord {

    /** Checks the timestamp. */
    public LossRecord {
        Objects.requireNonNull(timestamp, "timestamp");
    }

    @Override
    public RecordType type() {
        return RecordType.LOSS;
    }
}
