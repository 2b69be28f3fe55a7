package org.slt4j.llc;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SGLD noise's cost per vector: {@link GaussianNoise} (Java's {@code SplittableRandom} Gaussians copied into the
 * native buffer, generated inline) against ND4J's {@code GaussianDistribution} op on a buffer of the same type and
 * length, which generated it before. Sizes: the two MLPs of the PyTorch comparison (269,322 and 5,764 parameters,
 * float) and a network of the accuracy suite (67 parameters, double). Prints the median per vector over the rounds,
 * each round the mean of a fixed number of calls, both generators interleaved.
 *
 * <p>Args: rounds (default 7). Run with {@code OMP_NUM_THREADS=1}.
 */
public final class NoiseBenchmark {
    private NoiseBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        time(DataType.FLOAT, 269_322, 200, rounds);
        time(DataType.FLOAT, 5_764, 5_000, rounds);
        time(DataType.DOUBLE, 67, 100_000, rounds);
    }

    private static void time(DataType type, int length, int calls, int rounds) {
        long[] shape = {1, length};
        double[] java = new double[rounds];
        double[] nd4j = new double[rounds];
        INDArray buffer = Nd4j.createUninitialized(type, shape);
        try (GaussianNoise noise = new GaussianNoise(1, type, shape, false); Random rng = Nd4j.getRandomFactory()
                .getNewRandomInstance(1)) {
            for (int r = -2; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    noise.next();
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    Nd4j.getExecutioner().exec(new GaussianDistribution(buffer, 0.0, 1.0), rng);
                }
                long t2 = System.nanoTime();
                if (r >= 0) {
                    java[r] = (t1 - t0) / 1e3 / calls;
                    nd4j[r] = (t2 - t1) / 1e3 / calls;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        double j = median(java);
        double n = median(nd4j);
        System.out.printf("%s x %,d: GaussianNoise %.1f us, ND4J GaussianDistribution %.1f us (%.1fx)%n",
                type.name().toLowerCase(), length, j, n, n / j);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
