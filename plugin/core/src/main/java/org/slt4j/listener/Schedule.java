package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.util.Arrays;

/**
 * When a diagnostic runs. Immutable. Iterations are DL4J's: the {@code iteration} argument of
 * {@code TrainingListener.iterationDone}, 0-based and counting across epochs (the update just applied is the
 * {@code iteration + 1}-th). Epochs are 0-based too.
 *
 * <p>Exact firing rules (tested):
 * <ul>
 *   <li>{@link #everyNIterations(int) everyNIterations(n)}: in {@code iterationDone} for iteration i iff
 *       {@code i % n == 0}: iterations 0, n, 2n, ...</li>
 *   <li>{@link #everyNEpochs(int) everyNEpochs(n)}: in {@code onEpochEnd} of epoch e iff {@code (e + 1) % n == 0}:
 *       after n, 2n, ... completed epochs. The diagnostic is stamped with the epoch's last iteration.</li>
 *   <li>{@link #atIterations(long...) atIterations(i1, i2, ...)}: in {@code iterationDone} for exactly those
 *       iterations.</li>
 *   <li>{@link #logSpaced(int) logSpaced(k)}: in {@code iterationDone} for iteration 0 and for the first iteration
 *       at or after each grid point {@code 10^(j/k)}, j = 0, 1, 2, ... (that is, i fires iff
 *       {@code floor(k log10 i) > floor(k log10 (i - 1))}, with i = 1 always firing). For k = 4: 0, 1, 2, 4, 6,
 *       10, 18, 32, 57, 100, 178, 317, 563, 1000, ... - dense early, k points per decade late.</li>
 *   <li>{@link #never()}: never.</li>
 * </ul>
 */
public final class Schedule {
    private enum Kind { ITERATIONS, EPOCHS, EXPLICIT, LOG, NEVER }

    private final Kind kind;
    private final int n;
    private final long[] iterations;

    private Schedule(Kind kind, int n, long[] iterations) {
        this.kind = kind;
        this.n = n;
        this.iterations = iterations;
    }

    /**
     * Fires at iterations 0, n, 2n, ...
     *
     * @throws IllegalArgumentException if n &lt;= 0
     */
    public static Schedule everyNIterations(int n) {
        Preconditions.checkArgument(n > 0, "everyNIterations must be > 0 (got: %s)", n);
        return new Schedule(Kind.ITERATIONS, n, new long[0]);
    }

    /**
     * Fires at the end of every n-th epoch.
     *
     * @throws IllegalArgumentException if n &lt;= 0
     */
    public static Schedule everyNEpochs(int n) {
        Preconditions.checkArgument(n > 0, "everyNEpochs must be > 0 (got: %s)", n);
        return new Schedule(Kind.EPOCHS, n, new long[0]);
    }

    /**
     * Fires at exactly the given iterations.
     *
     * @throws IllegalArgumentException if none is given or one is negative
     */
    public static Schedule atIterations(long... iterations) {
        Preconditions.checkArgument(iterations.length > 0, "atIterations must list at least one iteration (got: none)");
        long[] sorted = iterations.clone();
        Arrays.sort(sorted);
        Preconditions.checkArgument(sorted[0] >= 0, "atIterations must be >= 0 (got: %s)", sorted[0]);
        return new Schedule(Kind.EXPLICIT, 0, Arrays.stream(sorted).distinct().toArray());
    }

    /**
     * Fires at iteration 0 and then about {@code pointsPerDecade} times per decade of iterations (see the class
     * documentation for the exact rule).
     *
     * @throws IllegalArgumentException if pointsPerDecade &lt;= 0
     */
    public static Schedule logSpaced(int pointsPerDecade) {
        Preconditions.checkArgument(pointsPerDecade > 0, "pointsPerDecade must be > 0 (got: %s)", pointsPerDecade);
        return new Schedule(Kind.LOG, pointsPerDecade, new long[0]);
    }

    /** Never fires (turns a diagnostic off). */
    public static Schedule never() {
        return new Schedule(Kind.NEVER, 0, new long[0]);
    }

    /** Whether the schedule fires in {@code iterationDone} for the given iteration. */
    public boolean firesAtIteration(long iteration) {
        switch (kind) {
            case ITERATIONS:
                return iteration % n == 0;
            case EXPLICIT:
                return Arrays.binarySearch(iterations, iteration) >= 0;
            case LOG:
                return iteration <= 1 || gridPoints(iteration) > gridPoints(iteration - 1);
            default:
                return false;
        }
    }

    /** Whether the schedule fires in {@code onEpochEnd} of the given (0-based) epoch. */
    public boolean firesAtEpochEnd(int epoch) {
        return kind == Kind.EPOCHS && (epoch + 1) % n == 0;
    }

    private long gridPoints(long iteration) {
        return (long) Math.floor(n * Math.log10(iteration));
    }

    @Override
    public String toString() {
        switch (kind) {
            case ITERATIONS:
                return "every " + n + " iterations";
            case EPOCHS:
                return "every " + n + " epochs";
            case EXPLICIT:
                return "at iterations " + Arrays.toString(iterations);
            case LOG:
                return "log-spaced, " + n + " per decade";
            default:
                return "never";
        }
    }
}
