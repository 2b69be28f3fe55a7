package org.slt4j.it;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slt4j.llc.LlcConfig;
import org.slt4j.testing.TinyNetworks;

/** Tiny models (with dropout and L2, so the listeners' copies must strip them), data and fast settings. */
final class ItModels {
    static final int TRAINING_EXAMPLES = 96;

    private ItModels() {
    }

    /** The shared 4-8-3 classifier (dropout and L2 configured), seed 7. */
    static MultiLayerNetwork mln(WorkspaceMode workspaces) {
        return TinyNetworks.classifier(workspaces, 7);
    }

    /** The same classifier as a ComputationGraph, seed 7. */
    static ComputationGraph graph(WorkspaceMode workspaces) {
        return TinyNetworks.classifierGraph(workspaces, 7);
    }

    /** Three Gaussian blobs in 4 dimensions, one-hot labels (the shared test fixture). */
    static DataSet blobs(int examples, long seed) {
        return TinyNetworks.blobs(examples, seed);
    }

    /** The training data behind a prefetching iterator (batches of 16: 6 iterations per epoch). */
    static DataSetIterator prefetchingTraining() {
        return new AsyncDataSetIterator(new ViewIterator(blobs(TRAINING_EXAMPLES, 1), 16), 3, true);
    }

    /** The listeners' own data. */
    static DataSet held() {
        return blobs(48, 2);
    }

    static LlcConfig fastConfig() {
        return new LlcConfig.Builder().trainingSetSize(TRAINING_EXAMPLES).chains(2).burnInSteps(5).draws(5)
                .batchSize(16).stepSize(1e-5).localization(100).threads(2).build();
    }
}
