package org.slt4j.report;

import java.time.Instant;
import java.util.Objects;
import org.slt4j.symmetry.SymmetryEvent;

/**
 * A symmetry event confirmed during training. The record's iteration is the event's first-seen iteration
 * ({@link SymmetryEvent#iteration()}); {@link SymmetryEvent#confirmedIteration()} is when it was confirmed.
 *
 * @param epoch     the epoch of the confirming scan
 * @param timestamp when the event was confirmed
 * @param event     the event
 */
public record EventRecord(int epoch, Instant timestamp, SymmetryEvent event) implements TrainingRecord {

    /** Checks the fields. */
    public EventRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(event, "event");
    }

    /** The iteration at which the change first appeared. */
    @Override
    public long iteration() {
        return event.iteration();
    }

    @Override
    public RecordType type() {
        return RecordType.EVENT;
    }
}
