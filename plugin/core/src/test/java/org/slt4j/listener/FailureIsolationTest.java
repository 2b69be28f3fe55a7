package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.DiagnosticRecord;
import org.slt4j.report.DiagnosticsSink;
import org.slt4j.report.FailureRecord;
import org.slt4j.report.LossRecord;

/** The failure policy and the sink fan-out on their own, without a network. */
class FailureIsolationTest {

    private static final LossRecord LOSS = new LossRecord(3, 0, Instant.EPOCH, 0.5);

    private static Task llcTask() {
        Task task = mock(Task.class);
        when(task.kind()).thenReturn(Diagnostic.LLC);
        return task;
    }

    private static final class Collecting implements DiagnosticsSink {
        final List<DiagnosticRecord> records = new ArrayList<>();

        @Override
        public void write(DiagnosticRecord record) {
            records.add(record);
        }
    }

    private static final DiagnosticsSink BROKEN = record -> {
        throw new IllegalStateException("disk full");
    };

    @Test
    void aFailingSinkNeverStopsTheSinksAfterItAndIsRecordedInTheOthers() {
        Collecting before = new Collecting();
        Collecting after = new Collecting();
        FailurePolicy policy = new FailurePolicy(new Fixtures.ManualClock(), false, () -> false);
        SinkFanOut[] fanOut = new SinkFanOut[1];
        fanOut[0] = new SinkFanOut(List.of(before, BROKEN, after), false, (sink, record, e) ->
                policy.sinkFailed(sink, record, e, 3, 0, f -> fanOut[0].writeExcept(sink, f)));

        fanOut[0].write(LOSS);

        assertThat(before.records).hasSize(2).startsWith(LOSS);
        assertThat(after.records).hasSize(2).contains(LOSS);
        assertThat(after.records).filteredOn(FailureRecord.class::isInstance).singleElement()
                .satisfies(r -> assertThat(((FailureRecord) r).diagnostic()).isEqualTo(Diagnostic.SINK));
    }

    @Test
    void aSinkFailingToHandOverHeldBackRecordsIsRecordedInTheOthersLikeAFailedWrite() {
        Collecting other = new Collecting();
        DiagnosticsSink holding = new DiagnosticsSink() {
            @Override
            public void write(DiagnosticRecord record) {
            }

            @Override
            public void flush() {
                throw new IllegalStateException("posting 12 held-back records failed");
            }
        };
        FailurePolicy policy = new FailurePolicy(new Fixtures.ManualClock(), false, () -> false);
        SinkFanOut[] fanOut = new SinkFanOut[1];
        fanOut[0] = new SinkFanOut(List.of(holding, other), false, (sink, record, e) ->
                policy.sinkFailed(sink, record, e, 3, 0, f -> fanOut[0].writeExcept(sink, f)));

        fanOut[0].flush();

        assertThat(other.records).singleElement().isInstanceOfSatisfying(FailureRecord.class, f -> {
            assertThat(f.diagnostic()).isEqualTo(Diagnostic.SINK);
            assertThat(f.iteration()).isEqualTo(3);
            assertThat(f.message()).endsWith("posting 12 held-back records failed");
        });
    }

    @Test
    void aDiagnosticFailureIsRecordedAndTrainingGoesOnByDefault() {
        FailurePolicy policy = new FailurePolicy(new Fixtures.ManualClock(), false, () -> false);
        List<FailureRecord> recorded = new ArrayList<>();

        policy.diagnosticFailed(llcTask(), 7, 1, new IllegalStateException("boom"), recorded::add);
        policy.throwIfFatal();

        assertThat(recorded).singleElement().satisfies(f -> {
            assertThat(f.iteration()).isEqualTo(7);
            assertThat(f.error()).isEqualTo(IllegalStateException.class.getName());
            assertThat(f.message()).isEqualTo("boom");
        });
    }

    @Test
    void withFailOnErrorABackgroundFailureIsKeptAndThrownOnceAtTheNextCheck() {
        AtomicBoolean background = new AtomicBoolean(true);
        FailurePolicy policy = new FailurePolicy(new Fixtures.ManualClock(), true, background::get);
        List<FailureRecord> recorded = new ArrayList<>();

        policy.diagnosticFailed(llcTask(), 7, 1, new IllegalStateException("boom"), recorded::add);
        background.set(false);

        assertThat(recorded).hasSize(1);
        assertThatThrownBy(policy::throwIfFatal).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failOnError").hasRootCauseMessage("boom");
        policy.throwIfFatal();
    }

    @Test
    void withFailOnErrorAFailureOnTheTrainingThreadIsThrownAfterItIsRecorded() {
        FailurePolicy policy = new FailurePolicy(new Fixtures.ManualClock(), true, () -> false);
        List<FailureRecord> recorded = new ArrayList<>();

        assertThatThrownBy(() -> policy.diagnosticFailed(llcTask(), 7, 1, FailurePolicy.nonFinite("all diverged"),
                recorded::add)).isInstanceOf(IllegalStateException.class).hasMessageContaining("iteration 7");
        assertThat(recorded).singleElement().satisfies(f -> assertThat(f.error()).isEqualTo("NaN"));
    }
}
