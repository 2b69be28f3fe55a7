package org.slt4j.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws networks with exact learning coefficients at random: regular linear models, reduced rank regressions with
 * sizes up to 10, and deep linear networks with 3 to 5 weight layers of widths 2 to 8, each at a random rank and a
 * training-set size of 2,000 or 10,000. The same seed gives the same cases.
 */
public final class ExactCases {
    /** The training-set sizes cases are drawn at. */
    static final int[] TRAINING_SET_SIZES = {2_000, 10_000};

    private ExactCases() {
    }

    /**
     * {@code count} cases drawn with the given seed, cycling through the three families so that each is equally
     * represented, each at a training-set size drawn from 2,000 and 10,000.
     *
     * @throws IllegalArgumentException if count is negative
     */
    public static List<ExactCase> draw(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0 (got: " + count + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        ExactCase.Family[] families = ExactCase.Family.values();
        List<ExactCase> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(draw(families[i % families.length], random));
        }
        return cases;
    }

    /** One case of the family, drawn from the random stream. */
    static ExactCase draw(ExactCase.Family family, SplittableRandom random) {
        int n = TRAINING_SET_SIZES[random.nextInt(TRAINING_SET_SIZES.length)];
        long caseSeed = random.nextLong();
        int[] widths = switch (family) {
            case REGULAR_LINEAR -> sizes(random, 2, 2, 10);
            case REDUCED_RANK_REGRESSION -> sizes(random, 3, 2, 10);
            case DEEP_LINEAR_NETWORK -> sizes(random, 4 + random.nextInt(3), 2, 8);
        };
        int min = 0;
        for (int w : widths) {
            min = min == 0 ? w : Math.min(min, w);
        }
        int rank = family == ExactCase.Family.REGULAR_LINEAR ? min : 1 + random.nextInt(min);
        return ExactCase.of(family, widths, rank, n, caseSeed);
    }

    private static int[] sizes(SplittableRandom random, int count, int from, int to) {
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = from + random.nextInt(to - from + 1);
        }
        return sizes;
    }
}
