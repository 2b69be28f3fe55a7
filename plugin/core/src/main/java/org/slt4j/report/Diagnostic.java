package org.slt4j.report;

/** The parts of slt4j that can fail or be skipped during training. */
public enum Diagnostic {
    /** The LLC estimate. */
    LLC,
    /** The symmetry scan (and its event tracking). */
    SYMMETRY,
    /** Writing records to a sink. */
    SINK
}
