package org.slt4j.llc;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slt4j.surface.LossSurface;

/**
 * One SGLD chain of an estimate as a recipe: its configuration (step size, localization and seed resolved), its
 * index, the baseline loss at the centre, which block of the surface it moves, and the segments it has been asked
 * to run so far (burn-in, draws, draws turned into burn-in). {@link #run} replays the recipe from the chain's start
 * and gives exactly the progress the chain has in the estimator that made the plan, wherever it runs: a chain
 * depends only on its configuration, seed, surface and segments. The plans of an estimate are handed to a
 * {@link ChainRunner}. Immutable and serializable.
 */
public final class ChainPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a segment does. */
    enum Kind { BURN_IN, TRACED_BURN_IN, DRAWS, DISCARD_DRAWS }

    private record Segment(Kind kind, long count) implements Serializable {
    }

    private final LlcConfig config;
    private final int index;
    private final double baseline;
    private final long[] restriction;
    private final List<Segment> segments;

    private ChainPlan(LlcConfig config, int index, double baseline, long[] restriction, List<Segment> segments) {
        this.config = config;
        this.index = index;
        this.baseline = baseline;
        this.restriction = restriction;
        this.segments = List.copyOf(segments);
    }

    /** The plan of a chain that has not started, on the surface (a restriction of it is remembered). */
    static ChainPlan start(LossSurface surface, LlcConfig config, int index, double baseline) {
        return new ChainPlan(config, index, baseline, surface.restriction().orElse(null), List.of());
    }

    /** This plan with one more segment. */
    ChainPlan then(Kind kind, long count) {
        List<Segment> more = new ArrayList<>(segments);
        more.add(new Segment(kind, count));
        return new ChainPlan(config, index, baseline, restriction, more);
    }

    /** The chain's index in its estimate, 0-based. */
    public int index() {
        return index;
    }

    /**
     * The block {@code [from, to)} of the surface's parameters the chain moves (a per-layer estimate), as given to
     * {@link LossSurface#restrictTo(long, long)}; empty when it moves them all.
     */
    public Optional<long[]> restriction() {
        return Optional.ofNullable(restriction).map(long[]::clone);
    }

    /** The chain's configuration: step size, localization and seed resolved. */
    public LlcConfig config() {
        return config;
    }

    /**
     * Runs the chain from its start through every segment of the plan and returns its progress.
     *
     * @param surface the surface the estimate was made on, unrestricted: the plan applies its
     *                {@linkplain #restriction() restriction} itself. Elsewhere, a surface built the same way
     *                (same model parameters and data, in the same order) gives the same progress bit for bit.
     * @throws IllegalArgumentException if the surface does not fit the plan
     */
    public ChainProgress run(LossSurface surface) {
        Objects.requireNonNull(surface, "surface");
        LossSurface sampled = restriction == null ? surface : surface.restrictTo(restriction[0], restriction[1]);
        try (SgldChain chain = new SgldChain(sampled, config, index, baseline)) {
            for (Segment segment : segments) {
                switch (segment.kind()) {
                    case BURN_IN -> chain.burnIn(segment.count(), false);
                    case TRACED_BURN_IN -> chain.burnIn(segment.count(), true);
                    case DRAWS -> chain.draw((int) segment.count());
                    case DISCARD_DRAWS -> chain.progress().discardFirstDraws((int) segment.count());
                }
            }
            // A chain keeps no state between runs: where a chain that is not preconditioned ended its draws, its
            // curvature for the estimate's step load is measured now, while the chain is there.
            if (!segments.isEmpty() && segments.get(segments.size() - 1).kind() == Kind.DRAWS
                    && !config.sampler().preconditioned() && !chain.progress().diverged()) {
                chain.measureCurvature();
            }
            return chain.progress();
        }
    }

    @Override
    public String toString() {
        return "chain " + index + " of seed " + config.seed() + " (" + segments.size() + " segments)";
    }
}
