package org.slt4j.report;

import java.time.Instant;

/**
 * One stored fact about a training run: the run header, or a {@link TrainingRecord} made at an iteration.
 * Implementations are immutable records; {@link RecordJson} encodes each as one JSON object.
 */
public sealed interface DiagnosticRecord permits RunHeader, TrainingRecord {

    /** The kind of record (the {@code "type"} field of its JSON form). */
    RecordType type();

    /** When the record was made (wall clock). */
    Instant timestamp();
}
