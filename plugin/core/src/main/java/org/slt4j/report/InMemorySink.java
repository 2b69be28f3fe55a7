package org.slt4j.report;

import java.util.ArrayList;
import java.util.List;

/** Keeps every record in memory, in arrival order. Thread-safe: it can be read while training writes. */
public final class InMemorySink implements DiagnosticsSink {
    private final List<DiagnosticRecord> records = new ArrayList<>();

    /** An empty sink. */
    public InMemorySink() {
    }

    @Override
    public synchronized void write(DiagnosticRecord record) {
        records.add(record);
    }

    /** The records written so far, in arrival order (a copy). */
    public synchronized List<DiagnosticRecord> records() {
        return List.copyOf(records);
    }

    /** The records written so far as a run history. */
    public RunHistory history() {
        return RunHistory.of(records());
    }

    @Override
    public String toString() {
        return "InMemorySink";
    }
}
