package org.slt4j.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One network with an exact learning coefficient: a linear network (a regular linear model, a reduced rank
 * regression or a deep linear network) at a deepest-stratum true parameter, with noiseless teacher data of
 * {@link #trainingSetSize()} examples. Drawn by {@link ExactCases}; immutable.
 *
 * @param family          which family the case belongs to
 * @param widths          layer widths, input first and output last
 * @param rank            rank r of the true parameter's every layer (and of the product)
 * @param trainingSetSize n: the number of teacher examples, which is also the training-set size for nBeta
 * @param seed            seed of the true parameter and the data
 * @param lambda          the exact learning coefficient
 */
public record ExactCase(Family family, List<Integer> widths, int rank, int trainingSetSize, long seed, double lambda) {

    /** The families the generator draws from. */
    public enum Family {
        /** y = W x: one weight layer, regular, lambda = d/2. */
        REGULAR_LINEAR("linear"),
        /** y = B A x (Aoyagi and Watanabe 2005). */
        REDUCED_RANK_REGRESSION("RRR"),
        /** y = W_L ... W_1 x with L &gt;= 3 (Aoyagi 2024). */
        DEEP_LINEAR_NETWORK("DLN");

        private final String shortName;

        Family(String shortName) {
            this.shortName = shortName;
        }

        /** The name labels and tables use: {@code linear}, {@code RRR} or {@code DLN}. */
        public String shortName() {
            return shortName;
        }
    }

    /**
     * A case; lambda is computed from the widths and the rank.
     *
     * @throws IllegalArgumentException if the widths or rank are invalid (see {@link ExactValues#deepLinearNetwork})
     */
    public static ExactCase of(Family family, int[] widths, int rank, int trainingSetSize, long seed) {
        Objects.requireNonNull(family, "family");
        if (trainingSetSize < 2) {
            throw new IllegalArgumentException("trainingSetSize must be >= 2 (got: " + trainingSetSize + ")");
        }
        return new ExactCase(family, Arrays.stream(widths).boxed().toList(), rank, trainingSetSize, seed,
                ExactValues.deepLinearNetwork(widths, rank));
    }

    /** The compact constructor copies the widths. */
    public ExactCase {
        widths = List.copyOf(widths);
    }

    /** Number of weight layers L. */
    public int layers() {
        return widths.size() - 1;
    }

    /** Number of parameters d (no biases). */
    public long dimension() {
        long d = 0;
        for (int l = 0; l + 1 < widths.size(); l++) {
            d += (long) widths.get(l) * widths.get(l + 1);
        }
        return d;
    }

    /** A fresh DL4J network at the true parameter (see {@link DeepLinearNetworks#atRank}). */
    public MultiLayerNetwork network() {
        return DeepLinearNetworks.atRank(widths.stream().mapToInt(Integer::intValue).toArray(), rank, seed);
    }

    /** The noiseless teacher data of {@link #trainingSetSize()} examples for {@code network}. */
    public DataSet data(MultiLayerNetwork network) {
        return DeepLinearNetworks.teacherData(network, trainingSetSize, seed + 1);
    }

    /** A short label such as {@code DLN 3-5-4-2 r=1 n=2000}. */
    public String label() {
        return family.shortName() + " " + String.join("-", widths.stream().map(String::valueOf).toList()) + " r=" + rank + " n="
                + trainingSetSize;
    }
}
