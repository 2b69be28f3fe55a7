package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.testkit.ExactCase;
import org.slt4j.testkit.ExactCases;

/**
 * The default path (minibatches, PAIRED baseline, nothing set but the training-set size) against exact learning
 * coefficients, on a fixed random subset of the accuracy suite of docs/accuracy.md: its first {@value #CASES}
 * cases, drawn by {@code ExactCases.draw(40, 7)}. Each estimate must come within 5% of the exact value with a
 * standard error of at most 2% of it, so the 5% tolerance is at least 2.5 standard errors.
 */
class DefaultPathAccuracyTest {
    static final int CASES = 9;
    private static final long SUITE_SEED = 7;

    static Stream<ExactCase> subset() {
        return ExactCases.draw(CASES, SUITE_SEED).stream();
    }

    @Test
    void theSubsetIsTheSuitesFirstCasesAndHoldsDeepNetworks() {
        List<ExactCase> suite = ExactCases.draw(40, SUITE_SEED);
        List<ExactCase> subset = subset().toList();
        assertThat(subset).isEqualTo(suite.subList(0, CASES));
        assertThat(subset).filteredOn(c -> c.layers() >= 4).hasSizeGreaterThanOrEqualTo(2);
        assertThat(subset).extracting(ExactCase::family).containsAll(List.of(ExactCase.Family.values()));
        assertThat(IntStream.range(0, CASES).mapToObj(i -> subset.get(i).trainingSetSize()).distinct()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subset")
    void theDefaultEstimateComesWithinFivePercentWithATwoPercentStandardError(ExactCase exactCase) {
        MultiLayerNetwork net = exactCase.network();
        LlcConfig defaults = new LlcConfig.Builder().trainingSetSize(exactCase.trainingSetSize()).build();

        LlcEstimate estimate = new LlcEstimator(defaults).estimate(NetworkSurfaces.of(net, exactCase.data(net)));

        double lambda = exactCase.lambda();
        assertThat(estimate.standardError()).as("standard error of %s (exact %s)", estimate, lambda)
                .isLessThanOrEqualTo(0.02 * lambda);
        assertThat(estimate.mean()).as("estimate %s of exact %s (%s)", estimate, lambda, estimate.tuning())
                .isBetween(0.95 * lambda, 1.05 * lambda);
        assertThat(estimate.isReliable()).as("warnings %s", estimate.warnings()).isTrue();
    }
}
