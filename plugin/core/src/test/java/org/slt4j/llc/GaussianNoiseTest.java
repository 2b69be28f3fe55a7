package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class GaussianNoiseTest {

    @Test
    void prefetchingYieldsTheSameSequenceAsGeneratingInline() {
        long[] shape = {1, 20_000};
        try (GaussianNoise inline = new GaussianNoise(9, DataType.FLOAT, shape, false);
                GaussianNoise prefetched = new GaussianNoise(9, DataType.FLOAT, shape, true)) {
            for (int i = 0; i < 5; i++) {
                INDArray expected = inline.next().dup();
                assertThat(prefetched.next()).isEqualTo(expected);
            }
        }
    }

    @Test
    void drawsAreStandardNormal() {
        try (GaussianNoise noise = new GaussianNoise(3, DataType.DOUBLE, new long[] {1, 100_000}, false)) {
            INDArray draws = noise.next();
            assertThat(draws.meanNumber().doubleValue()).isCloseTo(0, within(0.02));
            assertThat(draws.stdNumber().doubleValue()).isCloseTo(1, within(0.02));
        }
    }

    @Test
    void consecutiveDrawsDiffer() {
        try (GaussianNoise noise = new GaussianNoise(3, DataType.DOUBLE, new long[] {1, 10}, true)) {
            INDArray first = noise.next().dup();
            assertThat(noise.next()).isNotEqualTo(first);
        }
    }
}
