package org.slt4j.report;

/**
 * A developmental stage of a training run: a stretch of iterations over which the LLC rose, fell or stayed level,
 * delimited by critical points of the LLC curve (Hoogland et al. 2024, "The developmental landscape of in-context
 * learning"). Found by {@link RunHistory#stages()} when a run is read, never stored: while a run trains, the last
 * boundary moves as estimates arrive.
 *
 * @param start     the iteration of the stage's first estimate (the previous stage's last one, or the run's first)
 * @param end       the iteration of its last estimate
 * @param kind      whether the LLC rose, fell or stayed level
 * @param estimates the number of LLC estimates it spans, both ends included (at least 3)
 * @param startLlc  the LLC estimate at the start (the kind is decided on the smoothed curve)
 * @param endLlc    the LLC estimate at the end
 */
public record Stage(long start, long end, Kind kind, int estimates, double startLlc, double endLlc) {

    /** The direction of the LLC over a stage. */
    public enum Kind {
        /** The LLC rose by more than two combined standard errors: the network took on structure. */
        RISING,
        /** The LLC fell by more than two combined standard errors: the solution became more degenerate. */
        FALLING,
        /** The LLC changed by no more than two combined standard errors. */
        LEVEL
    }
}
