package org.slt4j.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.storage.StatsStorageSink;

/**
 * A listener's sinks: every record goes to every sink, in the order added, one record at a time per sink. A sink
 * that throws never stops the others; its failure goes to the {@link Failures} handler.
 */
final class SinkFanOut {
    private static final Logger log = LoggerFactory.getLogger(DiagnosticsListener.class);

    /** Told of a sink's failure, after the other sinks got the record. */
    interface Failures {
        void sinkFailed(DiagnosticsSink sink, DiagnosticRecord record, RuntimeException e);
    }

    private final List<DiagnosticsSink> sinks = new CopyOnWriteArrayList<>();
    private final Failures failures;
    private StatsStorageSink routerSink;

    SinkFanOut(List<? extends DiagnosticsSink> sinks, Failures failures) {
        this.sinks.addAll(sinks);
        this.failures = failures;
    }

    /** Writes the record to every sink; a failing sink is reported to the handler. */
    void write(DiagnosticRecord record) {
        for (DiagnosticsSink sink : sinks) {
            try {
                writeTo(sink, record);
            } catch (RuntimeException e) {
                failures.sinkFailed(sink, record, e);
            }
        }
    }

    /** Writes the record to every sink but {@code excluded}, ignoring failures (for a sink's own failure record). */
    void writeExcept(DiagnosticsSink excluded, DiagnosticRecord record) {
        for (DiagnosticsSink other : sinks) {
            if (other != excluded) {
                try {
                    writeTo(other, record);
                } catch (RuntimeException ignored) {
                    // That sink's own failure is reported when it fails on its own record.
                }
            }
        }
    }

    /** Replaces the StatsStorage router's sink (null: none). */
    void router(StatsStorageRouter router) {
        if (routerSink != null) {
            sinks.remove(routerSink);
        }
        routerSink = router == null ? null : new StatsStorageSink(router);
        if (routerSink != null) {
            sinks.add(routerSink);
        }
    }

    /** The StatsStorage router, or null. */
    StatsStorageRouter router() {
        return routerSink == null ? null : routerSink.router();
    }

    /** Closes every sink but the router's (the router belongs to the caller); a failure is logged. */
    void close() {
        for (DiagnosticsSink sink : sinks) {
            if (sink != routerSink) {
                try {
                    sink.close();
                } catch (RuntimeException e) {
                    log.warn("slt4j: closing sink {} failed: {}", sink, e.toString());
                }
            }
        }
    }

    private static void writeTo(DiagnosticsSink sink, DiagnosticRecord record) {
        synchronized (sink) {
            sink.write(record);
        }
    }
}
