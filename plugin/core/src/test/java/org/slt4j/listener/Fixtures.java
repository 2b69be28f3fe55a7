package org.slt4j.listener;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import java.util.function.Function;
import org.slt4j.llc.Calibration;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.LlcEstimate;
import org.slt4j.surface.LossSurface;
import org.slt4j.testing.TinyNetworks;

/** Small data, fast configurations and a controllable clock for listener tests. */
final class Fixtures {
    static final int EXAMPLES = 60;
    static final int BATCH = 10;

    private Fixtures() {
    }

    /** 60 examples in batches of 10: 6 iterations per epoch. */
    static DataSetIterator training() {
        return new ViewIterator(TinyNetworks.blobs(EXAMPLES, 3), BATCH);
    }

    /** The listener's own data (not the training iterator). */
    static DataSet held() {
        return TinyNetworks.blobs(30, 4);
    }

    /** A configuration that estimates in milliseconds: every setting given, so the listener never calibrates. */
    static LlcConfig fastConfig() {
        return new LlcConfig.Builder().trainingSetSize(EXAMPLES).chains(2).burnInSteps(3).draws(4).batchSize(16)
                .stepSize(1e-5).localization(100).threads(1).keepTraces(false).build();
    }

    /**
     * An estimator that estimates as the function says, for configurations with every setting given: a listener
     * must not ask it to calibrate (it throws an AssertionError, which no failure policy catches).
     */
    static Function<LlcConfig, LlcTask.Estimator> fixed(Function<LlcConfig, Function<LossSurface, LlcEstimate>> f) {
        return config -> new LlcTask.Estimator() {
            @Override
            public Calibration calibrate(LossSurface surface) {
                throw new AssertionError("calibrate called with stepSize and localization set: " + config);
            }

            @Override
            public LlcEstimate estimate(LossSurface surface, Calibration calibration) {
                if (calibration != null) {
                    throw new AssertionError("a calibration passed with stepSize and localization set");
                }
                return f.apply(config).apply(surface);
            }
        };
    }

    /** Runs the action and returns what it printed to System.err (where slf4j-simple logs). */
    static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A clock that moves only when told to. Thread-safe. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2024-01-01T00:00:00Z");

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
