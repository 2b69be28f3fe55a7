package org.slt4j.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slt4j.llc.LlcEstimate;

/**
 * A run whose LLC was recalibrated once and has an unreliable estimate: estimates at iterations 10 (segment 0),
 * 20 (segment 0, unreliable: "R-hat 1.300 &gt; 1.1: the chains disagree") and 40 (segment 1, with a per-layer one),
 * for the page's and the report's tests.
 */
public final class SegmentRecords {
    /** The session of the run. */
    public static final String SESSION = "segmented";
    /** The unreliable estimate's warning. */
    public static final String WARNING = "R-hat 1.300 > 1.1: the chains disagree";

    private SegmentRecords() {
    }

    /** The header, then the LLC records. */
    public static List<DiagnosticRecord> all() {
        Instant start = SampleRecords.START;
        LlcEstimate reliable = withWarnings(SampleRecords.llc(10).estimate(), List.of());
        LlcEstimate unreliable = withWarnings(reliable, List.of(WARNING));
        return List.of(
                new RunHeader(RecordJson.SCHEMA_VERSION, SESSION, "worker-1", start, "MultiLayerNetwork", 67, 2, 1000,
                        Map.of()),
                new LlcRecord(10, 0, start.plusSeconds(10), reliable, null, 0),
                new LlcRecord(20, 0, start.plusSeconds(20), unreliable, null, 0),
                new LlcRecord(40, 0, start.plusSeconds(40), reliable, null, 1),
                new LlcRecord(40, 0, start.plusSeconds(41), unreliable, "layer0", 1));
    }

    /** A whole-network LLC record of the given mean and standard error in a segment (the sample estimate's rest). */
    public static LlcRecord llc(long iteration, double mean, double standardError, int segment) {
        LlcEstimate e = SampleRecords.llc(10).estimate();
        LlcEstimate estimate = LlcEstimate.of(e.config(), e.dimension(), e.dataSize(), e.baselineLoss(), e.chains(),
                mean, e.std(), standardError, e.rHat(), e.effectiveSampleSize(), e.fractionBelowBaseline(),
                e.wallTime(), List.of(), e.tuning());
        return new LlcRecord(iteration, 0, SampleRecords.START.plusMillis(iteration), estimate, null, segment);
    }

    /** The estimate with these warnings instead of its own. */
    public static LlcEstimate withWarnings(LlcEstimate e, List<String> warnings) {
        return LlcEstimate.of(e.config(), e.dimension(), e.dataSize(), e.baselineLoss(), e.chains(), e.mean(), e.std(),
                e.standardError(), e.rHat(), e.effectiveSampleSize(), e.fractionBelowBaseline(), e.wallTime(),
                warnings, e.tuning());
    }
}
