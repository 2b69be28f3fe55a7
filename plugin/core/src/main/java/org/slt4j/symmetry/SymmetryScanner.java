package org.slt4j.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slt4j.platform.BlasDiagnostics;

/**
 * Scans a network for the non-generic symmetries described in docs/user-guide.md ("Parameters are not all equally
 * real": dead, always-active, zero and duplicate units, low rank) and returns an immutable {@link SymmetrySnapshot}.
 *
 * <p>The scan runs on a private network built from a clone of the configuration over the scanned network's
 * parameter array (read, never written: a test-mode forward pass of the probe batch, no dropout), outside any
 * workspace. The scanned network's parameters, updater, listeners, input and layer state are never touched, so
 * it is safe to call from {@code TrainingListener.iterationDone} during {@code fit()}. The parameters are not
 * copied, so do not let another thread train the network during a scan: scan from the training thread, or scan
 * a copy (the listeners in {@code org.slt4j.listener} copy the parameters before scanning in the background).
 * Instances are immutable and thread-safe.
 *
 * <p>Cost: one forward pass of the probe; per layer, a random-projection prefilter plus an exact Gram matrix of
 * the surviving rows for duplicates (O(h^2 k), k about 4% of the fan-in, instead of O(h^2 fan-in)) and, unless
 * {@link Builder#spectra(boolean) spectra(false)}, one double-precision Gram matrix and symmetric
 * eigen-decomposition for the ranks, the dominant cost for wide layers (a 784-1024-1024-10 network: about 30-35
 * ms without spectra, about 0.15 s with, on one thread with AVX-512 BLAS kernels; see docs/benchmarks.md).
 */
public final class SymmetryScanner {

    private final SymmetryThresholds thresholds;
    private final boolean spectra;

    private SymmetryScanner(Builder b) {
        this.thresholds = b.thresholds;
        this.spectra = b.spectra;
        BlasDiagnostics.checkOnce();
    }

    /** @return a scanner with {@link SymmetryThresholds#defaults()} and spectra on */
    public static SymmetryScanner defaults() {
        return new Builder().build();
    }

    /** @return whether this scanner computes singular values (the ranks) */
    public boolean spectra() {
        return spectra;
    }

    /** @return the thresholds this scanner uses */
    public SymmetryThresholds thresholds() {
        return thresholds;
    }

    /**
     * @param net           an initialized network; not modified
     * @param probeFeatures a probe batch of features, at least one example; not kept
     * @param iteration     the training iteration, -1 when unknown
     * @return the snapshot
     * @throws IllegalArgumentException if the network is not initialized or the probe is null or empty
     */
    public SymmetrySnapshot scan(MultiLayerNetwork net, INDArray probeFeatures, long iteration) {
        Objects.requireNonNull(net, "net");
        checkProbe(probeFeatures, "probeFeatures");
        INDArray params = requireParams(net.params());
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            copy.init(params, false); // a read-only view: the test-mode forward pass never writes parameters
            List<INDArray> activations = copy.feedForward(probeFeatures.dup(), false);
            return snapshot(LayerViews.of(copy, activations), net.numParams(), iteration);
        }
    }

    /**
     * @param graph         an initialized graph; not modified
     * @param probeFeatures one probe batch per network input, each with at least one example; not kept
     * @param iteration     the training iteration, -1 when unknown
     * @return the snapshot
     * @throws IllegalArgumentException if the graph is not initialized, or a probe is null or empty, or the number
     *                                  of probes does not match the graph's inputs
     */
    public SymmetrySnapshot scan(ComputationGraph graph, INDArray[] probeFeatures, long iteration) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(probeFeatures, "probeFeatures");
        int inputs = graph.getConfiguration().getNetworkInputs().size();
        if (probeFeatures.length != inputs) {
            throw new IllegalArgumentException("probeFeatures must have one array per network input (" + inputs
                    + ") (got: " + probeFeatures.length + ")");
        }
        for (int i = 0; i < probeFeatures.length; i++) {
            checkProbe(probeFeatures[i], "probeFeatures[" + i + "]");
        }
        INDArray params = requireParams(graph.params());
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ComputationGraph copy = new ComputationGraph(graph.getConfiguration().clone());
            copy.init(params, false); // a read-only view, as above
            INDArray[] probes = new INDArray[probeFeatures.length];
            for (int i = 0; i < probes.length; i++) {
                probes[i] = probeFeatures[i].dup();
            }
            Map<String, INDArray> activations = copy.feedForward(probes, false);
            return snapshot(LayerViews.of(copy, activations), graph.numParams(), iteration);
        }
    }

    private SymmetrySnapshot snapshot(LayerViews views, long totalParameters, long iteration) {
        Map<String, LayerAnalysis> byName = new HashMap<>();
        List<LayerAnalysis> analyses = new ArrayList<>();
        for (LayerView v : views.views()) {
            LayerAnalysis a = LayerAnalysis.of(v, thresholds, spectra);
            analyses.add(a);
            byName.put(v.name(), a);
        }
        List<LayerSymmetry> layers = new ArrayList<>(analyses.size());
        for (LayerAnalysis a : analyses) {
            LayerAnalysis consumer = a.view().consumer() == null ? null : byName.get(a.view().consumer());
            long shared = consumer == null ? 0 : a.sharedWith(consumer);
            layers.add(a.builder().removableDirections(Math.max(0, a.rawDirections() - shared)).build());
        }
        return SymmetrySnapshot.of(iteration, thresholds, layers, views.skipped(), totalParameters);
    }

    private static void checkProbe(INDArray probe, String name) {
        Objects.requireNonNull(probe, name);
        if (probe.rank() < 2 || probe.size(0) < 1) {
            throw new IllegalArgumentException(name + " must be a batch with at least one example (got shape: "
                    + java.util.Arrays.toString(probe.shape()) + ")");
        }
    }

    private static INDArray requireParams(INDArray params) {
        if (params == null) {
            throw new IllegalArgumentException("network must be initialized (init()) before scanning");
        }
        return params;
    }

    /** Builder for {@link SymmetryScanner}. */
    public static final class Builder {
        private SymmetryThresholds thresholds = SymmetryThresholds.defaults();
        private boolean spectra = true;

        /** A builder with default thresholds and spectra on. */
        public Builder() {
        }

        /**
         * @param thresholds the thresholds to use (default {@link SymmetryThresholds#defaults()})
         * @return this builder
         */
        public Builder thresholds(SymmetryThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /**
         * @param spectra whether to compute singular values (numerical, effective and stable rank); default true.
         *                Off, ranks are reported as -1/NaN and a scan of wide layers is several times cheaper.
         * @return this builder
         */
        public Builder spectra(boolean spectra) {
            this.spectra = spectra;
            return this;
        }

        /** @return the scanner */
        public SymmetryScanner build() {
            return new SymmetryScanner(this);
        }
    }
}
