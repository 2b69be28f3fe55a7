package org.slt4j.check;

import java.util.Objects;
import java.util.Optional;
import org.slt4j.report.RunHistory;

/**
 * The run a JUnit test hands to {@link SltBaselineExtension}: declare a parameter of this type in a test method,
 * train, and {@link #set} the run's history; the extension checks it against the test's baseline after the test
 * method returns. One run per test.
 */
public final class RunUnderTest {
    private RunHistory run;

    RunUnderTest() {
    }

    /**
     * Hands over the run to check, e.g. {@code listener.history()} or {@code RunHistory.readJsonl(file)}.
     *
     * @throws IllegalStateException if a run was handed over already
     */
    public void set(RunHistory run) {
        Objects.requireNonNull(run, "run");
        if (this.run != null) {
            throw new IllegalStateException("a test hands over one run (got a second: " + run + ")");
        }
        this.run = run;
    }

    /** The run handed over; empty until {@link #set} is called. */
    Optional<RunHistory> run() {
        return Optional.ofNullable(run);
    }

    @Override
    public String toString() {
        return "RunUnderTest{" + (run == null ? "no run yet" : run) + "}";
    }
}
