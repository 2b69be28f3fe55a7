package org.slt4j.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * One symmetry scan. The iteration is the snapshot's.
 *
 * @param epoch     the epoch of the scanned iteration
 * @param timestamp when the scan finished
 * @param wallTime  how long the scan took
 * @param snapshot  the scan's result
 */
public record SymmetryRecord(int epoch, Instant timestamp, Duration wallTime, SymmetrySnapshot snapshot)
        implements TrainingRecord {

    /** Checks the fields. */
    public SymmetryRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(wallTime, "wallTime");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The scanned iteration, {@link SymmetrySnapshot#iteration()}. */
    @Override
    public long iteration() {
        return snapshot.iteration();
    }

    @Override
    public RecordType type() {
        return RecordType.SYMMETRY;
    }
}
