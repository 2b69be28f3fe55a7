package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slt4j.report.Diagnostic;

class OverheadBudgetTest {

    private static Task task(Diagnostic kind) {
        Task task = mock(Task.class);
        when(task.kind()).thenReturn(kind);
        when(task.threads()).thenReturn(1);
        return task;
    }

    private static OverheadBudget started(double fraction, Fixtures.ManualClock clock, Task... tasks) {
        OverheadBudget budget = new OverheadBudget(fraction, clock, List.of(tasks));
        budget.start();
        return budget;
    }

    @Test
    void costlyEstimatesCannotStarveTheSymmetryScansOfTheirShare() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        Task scan = task(Diagnostic.SYMMETRY);
        OverheadBudget budget = started(0.1, clock, llc, scan);

        // The first estimate, which predicted nothing, runs and takes 30 s; then 100 s of training.
        assertThat(budget.allows(llc, false)).isTrue();
        budget.ended(llc, Duration.ofSeconds(30), 1, false);
        budget.ended(scan, Duration.ofSeconds(1), 1, false);
        clock.advance(Duration.ofSeconds(100));

        // The LLC is over its 80% share (30 s > 0.08 x 100 s); the scans still have theirs (1 + 1 s <= 0.02 x 100 s).
        assertThat(budget.allows(llc, false)).isFalse();
        assertThat(budget.allows(scan, false)).isTrue();
        assertThat(budget.describe(llc)).contains("share 0.80");
    }

    @Test
    void aSingleDiagnosticHasTheWholeBudget() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        OverheadBudget budget = started(0.1, clock, llc);
        budget.ended(llc, Duration.ofSeconds(5), 1, false);
        clock.advance(Duration.ofSeconds(100));

        assertThat(budget.allows(llc, false)).as("5 + 5 <= 0.1 x 100").isTrue();
        budget.ended(llc, Duration.ofSeconds(6), 1, false);
        assertThat(budget.allows(llc, false)).as("11 + 6 > 0.1 x 100").isFalse();
    }

    @Test
    void aFirstRunWaitsForItsPredictedCostUntilItsOwnCostReplacesIt() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        OverheadBudget budget = started(0.1, clock, llc);
        assertThat(budget.needsFirstRunCost(llc)).isTrue();
        budget.firstRunCost(llc, new Task.Cost(Duration.ofSeconds(3), "3 s of gradients"));
        assertThat(budget.needsFirstRunCost(llc)).isFalse();

        clock.advance(Duration.ofSeconds(26));
        assertThat(budget.allows(llc, true)).as("in the training thread: 3 s > 0.1 x (26 + 3) s").isFalse();
        assertThat(budget.describe(llc)).contains("predicted 3.000 s").endsWith("(predicted from 3 s of gradients)");
        clock.advance(Duration.ofSeconds(3));
        assertThat(budget.allows(llc, true)).as("in the training thread: 3 s <= 0.1 x (29 + 3) s").isTrue();
        assertThat(budget.allows(llc, false)).as("in the background: 3 s > 0.1 x 29 s").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.allows(llc, false)).as("in the background: 3 s <= 0.1 x 30 s").isTrue();

        // Its real cost, 1 s, predicts the next run.
        budget.ended(llc, Duration.ofSeconds(1), 1, false);
        assertThat(budget.allows(llc, false)).as("1 + 1 s <= 0.1 x 30 s").isTrue();
        assertThat(budget.describe(llc)).doesNotContain("predicted from");
    }

    @Test
    void aRunIsAllowedWhatKeepsTheBudgetAsTrainingGoesOn() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        OverheadBudget budget = started(0.1, clock, llc);
        budget.firstRunCost(llc, new Task.Cost(Duration.ofSeconds(3), "3 s of steps"));
        clock.advance(Duration.ofSeconds(100));
        budget.spend(llc, Duration.ofSeconds(1));

        assertThat(budget.allowance(llc, 1)).as("on the training thread: 1 + c <= 0.1 x (100 + c)")
                .hasValue(Duration.ofSeconds(10));
        assertThat(budget.allowance(llc, 2)).as("in the background on 2 threads: 1 + 2 c <= 0.1 x (100 + c)")
                .hasValue(Duration.ofNanos((long) (9e9 / 1.9)));
    }

    @Test
    void noAllowanceWithoutALimitOrAPrediction() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        clock.advance(Duration.ofSeconds(100));

        assertThat(started(Double.POSITIVE_INFINITY, clock, llc).allowance(llc, 1)).isEmpty();
        assertThat(started(0.1, clock, llc).allowance(llc, 1)).as("a first run with nothing to predict it from")
                .isEmpty();
        OverheadBudget generous = started(1.5, clock, llc);
        generous.firstRunCost(llc, new Task.Cost(Duration.ofSeconds(3), "3 s of steps"));
        assertThat(generous.allowance(llc, 1)).as("a budget above the run's own time pays for any run").isEmpty();
    }

    @Test
    void aRunItsAllowanceCutShortPredictsTheNextAtTwiceItsCost() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        OverheadBudget budget = started(0.1, clock, llc);
        clock.advance(Duration.ofSeconds(100));
        budget.ended(llc, Duration.ofSeconds(4), 1, true);

        assertThat(budget.describe(llc)).contains("predicted 8.000 s");
        assertThat(budget.allows(llc, false)).as("4 + 8 > 0.1 x 100 s").isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(budget.allows(llc, false)).as("4 + 8 <= 0.1 x 120 s").isTrue();
        budget.ended(llc, Duration.ofSeconds(8), 1, false);
        assertThat(budget.describe(llc)).as("a run not cut predicts its own cost").contains("predicted 8.000 s");
    }

    @Test
    void anUnlimitedBudgetNeedsNoPrediction() {
        Task llc = task(Diagnostic.LLC);
        OverheadBudget budget = started(Double.POSITIVE_INFINITY, new Fixtures.ManualClock(), llc);
        assertThat(budget.needsFirstRunCost(llc)).isFalse();
        assertThat(budget.allows(llc, true)).isTrue();
    }

    @Test
    void aBackgroundRunInProgressCountsAsSpent() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Task llc = task(Diagnostic.LLC);
        OverheadBudget budget = started(0.1, clock, llc);
        clock.advance(Duration.ofSeconds(100));
        budget.began(llc);
        clock.advance(Duration.ofSeconds(20));

        assertThat(budget.allows(llc, false)).as("20 s running + 20 s predicted > 0.1 x 120 s").isFalse();
    }
}
