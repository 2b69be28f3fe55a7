package org.slt4j.report;

/**
 * A record made during training, at an iteration: every record but the {@link RunHeader}.
 */
public sealed interface TrainingRecord extends DiagnosticRecord
        permits LossRecord, LlcRecord, SymmetryRecord, EventRecord, FailureRecord, SkipRecord, MetricRecord {

    /**
     * The training iteration the record describes, as DL4J counts it (0-based, across epochs): for diagnostics
     * computed asynchronously, the iteration of the parameter snapshot, not the one at which the result arrived.
     */
    long iteration();

    /** The training epoch (0-based) of {@link #iteration()}. */
    int epoch();
}
