package org.slt4j.surface;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The estimation data held in memory, detached from any workspace, with minibatch gathering by example index.
 * Immutable after construction and thread-safe; minibatches come from {@link #minibatches()}, one per evaluator.
 */
final class ExampleData {
    private final INDArray[] features;
    private final INDArray[] labels;
    private final INDArray[] featureMasks;
    private final INDArray[] labelMasks;
    private final int size;

    private ExampleData(MultiDataSet merged, DataType dataType) {
        // Copies are made outside any workspace: they outlive the caller's scope (and fit()'s workspaces).
        this.features = detach(merged.getFeatures(), dataType);
        this.labels = detach(merged.getLabels(), dataType);
        this.featureMasks = detach(merged.getFeaturesMaskArrays(), dataType);
        this.labelMasks = detach(merged.getLabelsMaskArrays(), dataType);
        Preconditions.checkArgument(features != null && features.length > 0 && features[0] != null,
                "data must have features (got: none)");
        Preconditions.checkArgument(labels != null && labels.length > 0 && labels[0] != null,
                "data must have labels (got: none): the LLC needs the loss, which needs labels");
        this.size = (int) features[0].size(0);
        Preconditions.checkArgument(size > 0, "data must not be empty (got: 0 examples)");
    }

    static ExampleData of(List<? extends MultiDataSet> parts, DataType dataType) {
        Preconditions.checkArgument(parts != null && !parts.isEmpty(), "data must not be empty (got: no batches)");
        for (MultiDataSet part : parts) {
            checkMasks("features", part.getFeatures(), part.getFeaturesMaskArrays());
            checkMasks("labels", part.getLabels(), part.getLabelsMaskArrays());
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            MultiDataSet merged = parts.size() == 1 ? parts.get(0)
                    : org.nd4j.linalg.dataset.MultiDataSet.merge(parts);
            return new ExampleData(merged, dataType);
        }
    }

    /**
     * Checks that every mask fits the array it masks, so that a wrong one fails here, named with its shape, rather
     * than deep inside DL4J or, worse, by broadcasting silently. A mask has the examples of its array and, for
     * sequences ([examples, size, steps], or [examples, steps, size]), one entry per step, or per value; for 2-d
     * arrays one entry per example or per value; for images, the array's sizes or 1 in each dimension.
     */
    private static void checkMasks(String kind, INDArray[] arrays, INDArray[] masks) {
        if (masks == null || arrays == null) {
            return;
        }
        Preconditions.checkArgument(masks.length == arrays.length, "data must have one %s mask per %s array or none "
                + "(got: %s masks for %s arrays)", kind, kind, masks.length, arrays.length);
        for (int i = 0; i < masks.length; i++) {
            INDArray mask = masks[i];
            INDArray array = arrays[i];
            if (mask == null || array == null) {
                continue;
            }
            long[] shape = array.shape();
            List<long[]> fitting = switch (shape.length) {
                case 2 -> List.of(new long[] {shape[0], 1}, shape);
                case 3 -> List.of(new long[] {shape[0], shape[2]}, new long[] {shape[0], shape[1]}, shape);
                default -> List.of(shape);
            };
            boolean fits = fitting.stream().anyMatch(s -> Arrays.equals(s, mask.shape()))
                    || shape.length > 3 && broadcasts(mask.shape(), shape);
            Preconditions.checkArgument(fits, "%s mask %s must have shape %s%s to fit %s of shape %s (got: %s)", kind,
                    i, fitting.stream().map(Arrays::toString).collect(Collectors.joining(" or ")),
                    shape.length > 3 ? ", or 1 where it broadcasts," : "", kind, Arrays.toString(shape),
                    Arrays.toString(mask.shape()));
        }
    }

    /** Whether a mask of the array's rank has the array's examples and, elsewhere, the array's sizes or 1. */
    private static boolean broadcasts(long[] mask, long[] shape) {
        if (mask.length != shape.length || mask[0] != shape[0]) {
            return false;
        }
        for (int d = 1; d < shape.length; d++) {
            if (mask[d] != 1 && mask[d] != shape[d]) {
                return false;
            }
        }
        return true;
    }

    static List<MultiDataSet> collect(DataSetIterator iterator) {
        Objects.requireNonNull(iterator, "data iterator");
        return collect(iterator.resetSupported(), iterator::reset, iterator::hasNext, () -> toMulti(iterator.next()));
    }

    static List<MultiDataSet> collect(MultiDataSetIterator iterator) {
        Objects.requireNonNull(iterator, "data iterator");
        return collect(iterator.resetSupported(), iterator::reset, iterator::hasNext, iterator::next);
    }

    /**
     * Copies every batch an iterator yields, outside any workspace (the iterator's arrays may live in one, or be
     * reused), resetting it before and after when it supports that.
     */
    private static List<MultiDataSet> collect(boolean resettable, Runnable reset, BooleanSupplier hasNext,
            Supplier<MultiDataSet> next) {
        if (resettable) {
            reset.run();
        }
        List<MultiDataSet> parts = new ArrayList<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            while (hasNext.getAsBoolean()) {
                MultiDataSet batch = next.get();
                parts.add(new org.nd4j.linalg.dataset.MultiDataSet(dup(batch.getFeatures()), dup(batch.getLabels()),
                        dup(batch.getFeaturesMaskArrays()), dup(batch.getLabelsMaskArrays())));
            }
        }
        if (resettable) {
            reset.run();
        }
        return parts;
    }

    static MultiDataSet toMulti(org.nd4j.linalg.dataset.api.DataSet ds) {
        Objects.requireNonNull(ds, "data set");
        return new org.nd4j.linalg.dataset.MultiDataSet(ds.getFeatures(), ds.getLabels(),
                ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
    }

    int size() {
        return size;
    }

    int numInputs() {
        return features.length;
    }

    int numOutputs() {
        return labels.length;
    }

    /** Whether any features or labels mask is present. */
    boolean hasMasks() {
        return featureMasks != null && Arrays.stream(featureMasks).anyMatch(Objects::nonNull)
                || labelMasks != null && Arrays.stream(labelMasks).anyMatch(Objects::nonNull);
    }

    /** The features array of the given input, all examples (not a copy: do not modify). */
    INDArray features(int input) {
        return features[input];
    }

    /** The labels array of the given output, all examples (not a copy: do not modify). */
    INDArray labels(int output) {
        return labels[output];
    }

    /** A source of minibatches for one evaluator (see {@link Minibatches}). */
    Minibatches minibatches() {
        return new Minibatches();
    }

    /**
     * The examples at given indices, gathered into arrays that are reused from one call to the next while the
     * minibatch size stays the same; the whole data set (no copy) when all examples are asked for. Fresh arrays per
     * SGLD step cost page faults: about 170 per step (0.7 MB) of a 784-256-256-10 MLP at batch 128, with the
     * PAIRED baseline's second minibatch. One per evaluator: not thread-safe, and a minibatch is valid until the
     * next call.
     */
    final class Minibatches {
        private INDArray[][] buffers;

        private Minibatches() {
        }

        MultiDataSet of(int[] indices) {
            if (indices.length == size && isIdentity(indices)) {
                return new org.nd4j.linalg.dataset.MultiDataSet(features, labels, featureMasks, labelMasks);
            }
            if (buffers == null || buffers[0][0].size(0) != indices.length) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    buffers = new INDArray[][] {rows(features, indices.length), rows(labels, indices.length),
                        rows(featureMasks, indices.length), rows(labelMasks, indices.length)};
                }
            }
            return new org.nd4j.linalg.dataset.MultiDataSet(gather(features, indices, buffers[0]),
                    gather(labels, indices, buffers[1]), gather(featureMasks, indices, buffers[2]),
                    gather(labelMasks, indices, buffers[3]));
        }
    }

    private static boolean isIdentity(int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** For each array, a [count, example length] row-major array to gather examples into. */
    private static INDArray[] rows(INDArray[] arrays, int count) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            out[i] = a == null ? null
                    : Nd4j.createUninitialized(a.dataType(), new long[] {count, a.length() / a.size(0)}, 'c');
        }
        return out;
    }

    private static INDArray[] gather(INDArray[] arrays, int[] indices, INDArray[] into) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = gather(arrays[i], indices, into[i]);
        }
        return out;
    }

    /** The examples (first dimension) at the indices, copied into {@code into}, viewed in the array's shape. */
    private static INDArray gather(INDArray array, int[] indices, INDArray into) {
        if (array == null) {
            return null;
        }
        long[] shape = array.shape().clone();
        INDArray rows = array.rank() == 2 ? array : array.reshape('c', shape[0], array.length() / shape[0]);
        Nd4j.pullRows(rows, into, 1, indices);
        shape[0] = indices.length;
        return array.rank() == 2 ? into : into.reshape('c', shape);
    }

    private static INDArray[] detach(INDArray[] arrays, DataType dataType) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            out[i] = a == null ? null : a.castTo(dataType).dup('c');
        }
        return out;
    }

    private static INDArray dup(INDArray a) {
        return a == null ? null : a.dup();
    }

    private static INDArray[] dup(INDArray[] arrays) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = dup(arrays[i]);
        }
        return out;
    }
}
