package org.slt4j.samples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The modular addition task of the grokking literature: every pair (a, b) of residues mod p, labelled
 * (a + b) mod p, encoded as two concatenated one-hot vectors (2p features) and a one-hot label (p classes),
 * randomly split into a training and a test set.
 *
 * @param modulus p
 * @param train   the training pairs
 * @param test    the remaining pairs
 */
record ModularAddition(int modulus, DataSet train, DataSet test) {

    /** All p^2 pairs, shuffled with the seed; the first {@code trainFraction} of them for training. */
    static ModularAddition split(int modulus, double trainFraction, long seed) {
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < modulus; a++) {
            for (int b = 0; b < modulus; b++) {
                pairs.add(new int[] {a, b});
            }
        }
        Collections.shuffle(pairs, new Random(seed));
        int trainSize = (int) Math.round(trainFraction * pairs.size());
        return new ModularAddition(modulus, encode(pairs.subList(0, trainSize), modulus),
                encode(pairs.subList(trainSize, pairs.size()), modulus));
    }

    private static DataSet encode(List<int[]> pairs, int modulus) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, pairs.size(), 2 * modulus);
        INDArray y = Nd4j.zeros(DataType.FLOAT, pairs.size(), modulus);
        for (int i = 0; i < pairs.size(); i++) {
            int a = pairs.get(i)[0];
            int b = pairs.get(i)[1];
            x.putScalar(i, a, 1);
            x.putScalar(i, modulus + b, 1);
            y.putScalar(i, (a + b) % modulus, 1);
        }
        return new DataSet(x, y);
    }

    /** The fraction of the data set's examples the network classifies correctly. */
    static double accuracy(MultiLayerNetwork net, DataSet data) {
        INDArray predicted = net.output(data.getFeatures(), false).argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.INT32).sumNumber().doubleValue() / data.numExamples();
    }
}
