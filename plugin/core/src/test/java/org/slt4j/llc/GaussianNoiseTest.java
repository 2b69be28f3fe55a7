package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

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

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT", "HALF"})
    void drawsAreStandardNormal(DataType type) {
        try (GaussianNoise noise = new GaussianNoise(3, type, new long[] {1, 100_000}, false)) {
            noise.next();
            INDArray draws = noise.next().castTo(DataType.DOUBLE);
            assertThat(draws.dataType()).isEqualTo(DataType.DOUBLE);
            // Standard errors: 0.003 for the mean, 0.0022 for the standard deviation, 0.016 for the kurtosis.
            double mean = draws.meanNumber().doubleValue();
            double sd = draws.stdNumber().doubleValue();
            assertThat(mean).isCloseTo(0, within(0.015));
            assertThat(sd).isCloseTo(1, within(0.012));
            double kurtosis = Transforms.pow(draws.sub(mean).divi(sd), 4, false).meanNumber().doubleValue();
            assertThat(kurtosis).as("fourth moment").isCloseTo(3, within(0.08));
            assertThat(draws.amaxNumber().doubleValue()).as("largest magnitude").isBetween(3.5, 6.0);
        }
    }

    @Test
    void theStreamIsTheSeedsSplittableRandomGaussiansInOrder() {
        // Specified by Java 17's RandomGenerator, so the SGLD noise is the same on every platform and ND4J backend.
        SplittableRandom reference = new SplittableRandom(5);
        try (GaussianNoise doubles = new GaussianNoise(5, DataType.DOUBLE, new long[] {1, 7}, false);
                GaussianNoise floats = new GaussianNoise(5, DataType.FLOAT, new long[] {1, 7}, true)) {
            for (int step = 0; step < 3; step++) {
                double[] d = doubles.next().toDoubleVector();
                float[] f = floats.next().toFloatVector();
                for (int i = 0; i < d.length; i++) {
                    double expected = reference.nextGaussian();
                    assertThat(d[i]).isEqualTo(expected);
                    assertThat(f[i]).isEqualTo((float) expected);
                }
            }
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
