package org.slt4j.listener;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The listener's own examples, copied once when the listener is built (outside any workspace, detached from the
 * source), so diagnostics never touch the iterator {@code fit()} consumes. Immutable.
 */
final class ListenerData {
    private final MultiDataSet data;

    private ListenerData(MultiDataSet data) {
        this.data = data;
    }

    static ListenerData of(DataSetIterator iterator) {
        Objects.requireNonNull(iterator, "data");
        List<MultiDataSet> parts = new ArrayList<>();
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        while (iterator.hasNext()) {
            // Detach each batch at once: prefetching iterators recycle their buffers.
            parts.add(detach(toMulti(iterator.next())));
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        return merge(parts);
    }

    static ListenerData of(MultiDataSetIterator iterator) {
        Objects.requireNonNull(iterator, "data");
        List<MultiDataSet> parts = new ArrayList<>();
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        while (iterator.hasNext()) {
            parts.add(detach(iterator.next()));
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        return merge(parts);
    }

    static ListenerData of(org.nd4j.linalg.dataset.api.DataSet dataSet) {
        Objects.requireNonNull(dataSet, "data");
        return merge(List.of(detach(toMulti(dataSet))));
    }

    private static ListenerData merge(List<MultiDataSet> parts) {
        Preconditions.checkArgument(!parts.isEmpty(), "data must not be empty (got: no batches)");
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new ListenerData(parts.size() == 1 ? parts.get(0)
                    : org.nd4j.linalg.dataset.MultiDataSet.merge(parts));
        }
    }

    private static MultiDataSet detach(MultiDataSet m) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new org.nd4j.linalg.dataset.MultiDataSet(dup(m.getFeatures()), dup(m.getLabels()),
                    dup(m.getFeaturesMaskArrays()), dup(m.getLabelsMaskArrays()));
        }
    }

    /** Number of examples. */
    long size() {
        return data.getFeatures(0).size(0);
    }

    /** The examples as one DataSet, for a MultiLayerNetwork (first features and labels array). */
    DataSet asDataSet() {
        return new DataSet(data.getFeatures(0), data.getLabels(0), mask(data.getFeaturesMaskArrays()),
                mask(data.getLabelsMaskArrays()));
    }

    /** The examples as one MultiDataSet, for a ComputationGraph. */
    MultiDataSet asMultiDataSet() {
        return data;
    }

    /** The features of at most {@code maxExamples} first examples, one array per network input (views). */
    INDArray[] probe(int maxExamples) {
        INDArray[] features = data.getFeatures();
        INDArray[] probe = new INDArray[features.length];
        for (int i = 0; i < features.length; i++) {
            long n = Math.min(maxExamples, features[i].size(0));
            probe[i] = n == features[i].size(0) ? features[i]
                    : features[i].get(NDArrayIndex.interval(0, n)).dup();
        }
        return probe;
    }

    private static INDArray mask(INDArray[] masks) {
        return masks == null ? null : masks[0];
    }

    private static MultiDataSet toMulti(org.nd4j.linalg.dataset.api.DataSet ds) {
        return new org.nd4j.linalg.dataset.MultiDataSet(ds.getFeatures(), ds.getLabels(), ds.getFeaturesMaskArray(),
                ds.getLabelsMaskArray());
    }

    private static INDArray[] dup(INDArray[] arrays) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i] == null ? null : arrays[i].dup('c');
        }
        return out;
    }
}
