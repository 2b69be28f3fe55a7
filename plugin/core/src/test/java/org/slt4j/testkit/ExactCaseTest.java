package org.slt4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExactCaseTest {

    @Test
    void theLabelNamesTheFamilyWidthsRankAndTrainingSetSize() {
        assertThat(ExactCase.of(ExactCase.Family.DEEP_LINEAR_NETWORK, new int[] {3, 5, 4, 2}, 1, 2000, 7).label())
                .isEqualTo("DLN 3-5-4-2 r=1 n=2000");
        assertThat(ExactCase.of(ExactCase.Family.REDUCED_RANK_REGRESSION, new int[] {4, 8, 4}, 2, 10000, 7).label())
                .isEqualTo("RRR 4-8-4 r=2 n=10000");
        assertThat(ExactCase.of(ExactCase.Family.REGULAR_LINEAR, new int[] {9, 8}, 8, 2000, 7).label())
                .isEqualTo("linear 9-8 r=8 n=2000");
    }
}
