package org.slt4j.listener;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.slt4j.report.Diagnostic;
import org.slt4j.report.TrainingRecord;

/** One scheduled diagnostic of a listener: what to copy on the training thread, and the work to do with it. */
interface Task {

    /** Which diagnostic this is (for failure and skip records). */
    Diagnostic kind();

    /** When it runs. */
    Schedule schedule();

    /** Threads the work keeps busy; asynchronous work costs its wall time times this against the budget. */
    int threads();

    /** Adds this task's settings to the run header's provenance. */
    void describe(Map<String, String> settings);

    /** A fresh task with the same settings and no state (for listener clones). */
    Task fresh();

    /**
     * On the training thread: copies what the work needs (the parameters at this iteration), so the model may
     * train on while the work runs.
     *
     * @throws RuntimeException when the model cannot be diagnosed (recorded as a failure)
     */
    Work snapshot(Model model, long iteration, int epoch);

    /**
     * On the training thread, once, before the first run under a limited overhead budget: a lower bound of the first
     * run's wall time, which the budget uses as its prediction until the first run ends; nothing is known by default
     * (then the first run always runs).
     *
     * @throws RuntimeException when the model cannot be diagnosed (the snapshot then records the failure)
     */
    default Cost leastFirstRunCost(Model model) {
        return Cost.UNKNOWN;
    }

    /** A predicted wall time and what it was predicted from. */
    record Cost(Duration wallTime, String basis) {
        static final Cost UNKNOWN = new Cost(Duration.ZERO, "no run yet");
    }

    /** The diagnostic's work on a snapshot; runs on the training thread (sync) or a background thread (async). */
    interface Work {
        /**
         * Runs it; the records are stamped with the snapshot's iteration.
         *
         * @param allowance how long the run may take within the overhead budget; empty when the budget sets no
         *                  limit. Work that can stop early (the LLC's calibration and draws) stops when it is
         *                  spent, and its result says so; other work ignores it
         */
        Result run(Clock clock, Optional<Duration> allowance);
    }

    /**
     * What a run produced.
     *
     * @param cut whether the allowance cut the run short (its records say how)
     */
    record Result(List<TrainingRecord> records, boolean cut) {
        public Result {
            records = List.copyOf(records);
        }
    }
}
