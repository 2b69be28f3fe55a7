package org.slt4j.symmetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Duplicate-unit clusters of a layer: units whose (w_i, b_i) rows have cosine above
 * {@link SymmetryThresholds#duplicateCosine()} t (absolute cosine for sign-symmetric activations).
 *
 * <p>Two stages; the result is exactly that of the full Gram matrix of normalized rows:
 * <ol>
 *   <li><b>Projection prefilter</b> (layers of 128 units or more, rows long enough): the normalized rows are
 *   projected onto k fixed random orthonormal directions, k = max(32, 4 (1 - t) p) for rows of length p (41 at
 *   p = 1025 and the default t = 0.99; no prefilter when k would exceed p / 4). Projection onto orthonormal
 *   directions never lengthens a vector, {@code |P(u - v)| <= |u - v|}, so a pair with cosine above t (squared
 *   distance below 2(1 - t)) is also that close in projection. A row with no partner that close in projection
 *   has no duplicate and is dropped. Cost O(h p k + h^2 k) instead of O(h^2 p).</li>
 *   <li><b>Exact check</b> of the surviving rows: their Gram matrix (one ND4J matrix product), whose row maxima
 *   let Java visit only the rows that have a partner above the threshold.</li>
 * </ol>
 * How many rows survive depends on the weights, never the result: a pair with cosine c passes the prefilter with
 * about the probability that chi^2_k / k falls below 1 / (4 (1 - c)): 5e-6 (k = 32) or 2e-7 (k = 41) for
 * orthogonal rows, 8e-3 or 3e-3 at c = 0.5. Rows of a wide layer that are not nearly parallel are dropped; where
 * many rows are duplicates or nearly so, the exact stage does the work and the cost approaches that of the full
 * Gram matrix (plus the prefilter, which costs about 2k/p of it).
 */
final class DuplicateFinder {

    /** The fewest projection directions used (see {@link #projectionDirections}). */
    private static final int MIN_PROJECTION = 32;
    /** Layers with fewer units go straight to the exact stage. */
    private static final int PREFILTER_MIN_ROWS = 128;
    /** Rows of the projected distance matrix computed at a time. */
    private static final int PREFILTER_BLOCK = 256;
    /** Projections by shape and type: a few per network, each p k values. */
    private static final Map<String, INDArray> PROJECTIONS = new ConcurrentHashMap<>();
    /** Fixed so that scans are reproducible. */
    private static final long PROJECTION_SEED = 0x5174L;

    private DuplicateFinder() {
    }

    /**
     * @param w          units x fanIn incoming weights of the layer
     * @param bias       the biases, null when the layer has none
     * @param rowNorms   per unit, the norm of (w_i, b_i)
     * @param candidates the units that may merge (not dead, not zero), ascending; their rows are non-zero
     * @param family     what merges for this activation
     * @param t          thresholds
     * @return connected components (size >= 2) of the duplicate relation, members as unit indices, ascending
     */
    static List<int[]> clusters(INDArray w, double[] bias, double[] rowNorms, int[] candidates,
                                ActivationFamily family, SymmetryThresholds t) {
        int[] units = candidates;
        int k = projectionDirections(units.length, (int) w.columns() + (bias == null ? 0 : 1), t.duplicateCosine());
        if (k > 0) {
            units = possibleDuplicates(w, bias, rowNorms, units, k, family.signSymmetric, t.duplicateCosine());
        }
        if (units.length < 2) {
            return List.of();
        }
        INDArray rows = units.length == w.rows() ? w : Nd4j.pullRows(w, 1, units);
        double[] norms = new double[units.length];
        for (int i = 0; i < units.length; i++) {
            norms[i] = rowNorms[units[i]];
        }
        if (bias != null) {
            double[] b = new double[units.length];
            for (int i = 0; i < units.length; i++) {
                b[i] = bias[units[i]];
            }
            rows = Nd4j.hstack(rows, Nd4j.create(b, new long[] {units.length, 1}, w.dataType()));
        }
        INDArray unit = rows.divColumnVector(Nd4j.create(norms, new long[] {units.length, 1}, w.dataType()));
        return exactClusters(unit, norms, units, family, t);
    }

    /**
     * The number of projection directions for rows of length p: the projected squared distance of two orthogonal
     * unit rows is about 2k/p, which this keeps at 4 times the duplicate limit 2(1 - t) or more, so that such a
     * pair passes the prefilter only with the lower tail probability of chi^2_k / k below 1/4 (under 1e-5 for
     * k >= 32). Returns 0 when the prefilter would not pay off.
     */
    static int projectionDirections(int rowsCount, int p, double cosine) {
        int k = Math.max(MIN_PROJECTION, (int) Math.ceil(4 * (1 - cosine) * p - 1e-9));
        return rowsCount >= PREFILTER_MIN_ROWS && k <= p / 4 ? k : 0;
    }

    /**
     * The prefilter, in float or double (half-precision weights are widened: its margin assumes float rounding).
     *
     * @return the candidates that may have a duplicate partner among the candidates, ascending
     */
    static int[] possibleDuplicates(INDArray weights, double[] bias, double[] rowNorms, int[] candidates, int k,
                                    boolean signSymmetric, double cosine) {
        DataType type = weights.dataType();
        INDArray w = type == DataType.DOUBLE || type == DataType.FLOAT ? weights : weights.castTo(DataType.FLOAT);
        int fanIn = (int) w.columns();
        INDArray projection = projection(fanIn + (bias == null ? 0 : 1), k, w.dataType());
        INDArray q = w.mmul(projection.get(NDArrayIndex.interval(0, fanIn), NDArrayIndex.all()));
        if (bias != null) {
            INDArray b = Nd4j.create(bias, new long[] {bias.length, 1}, w.dataType());
            q.addi(b.mmul(projection.get(NDArrayIndex.interval(fanIn, fanIn + 1), NDArrayIndex.all())));
        }
        int m = candidates.length;
        if (m < w.rows()) {
            q = Nd4j.pullRows(q, 1, candidates);
        }
        double[] inverse = new double[m];
        for (int i = 0; i < m; i++) {
            inverse[i] = 1.0 / rowNorms[candidates[i]];
        }
        q.muliColumnVector(Nd4j.create(inverse, new long[] {m, 1}, w.dataType()));  // P u_i for unit u_i
        double[] sq = q.mul(q).sum(1).toDoubleVector();                             // |P u_i|^2
        // Float rounding in both stages is ~1e-6; the margin keeps every pair the exact stage could accept.
        double limit = 2.0 * (1.0 - cosine) * (1.0 + 1e-3) + 1e-5;
        // |P u_i - P u_j|^2 <= limit  <=>  <P u_i, P u_j> - |P u_j|^2 / 2 >= (|P u_i|^2 - limit) / 2, and the left
        // side is one matrix product of [P u_i, 1] with [P u_j, -|P u_j|^2 / 2]. For sign-symmetric activations
        // the partner may be -u_j: a second product with [-P u_i, 1].
        INDArray halfSq = Nd4j.create(sq, new long[] {m, 1}, w.dataType()).muli(-0.5);
        INDArray ones = Nd4j.ones(w.dataType(), m, 1);
        INDArray right = Nd4j.hstack(q, halfSq);
        INDArray left = Nd4j.hstack(q, ones);
        INDArray leftNegated = signSymmetric ? Nd4j.hstack(q.neg(), ones) : null;
        boolean[] keep = new boolean[m];
        // Block by block, in one reused buffer: O(BLOCK m) memory instead of O(m^2).
        int block = Math.min(m, PREFILTER_BLOCK);
        INDArray buffer = Nd4j.createUninitialized(w.dataType(), block, m);
        for (int from = 0; from < m; from += block) {
            int to = Math.min(m, from + block);
            INDArray scores = to - from == block ? buffer
                    : buffer.get(NDArrayIndex.interval(0, to - from), NDArrayIndex.all());
            double[] best = rowMaxima(left, right, from, to, scores);
            if (leftNegated != null) {
                double[] negated = rowMaxima(leftNegated, right, from, to, scores);
                for (int i = 0; i < best.length; i++) {
                    best[i] = Math.max(best[i], negated[i]);
                }
            }
            for (int i = from; i < to; i++) {
                keep[i] = best[i - from] >= (sq[i] - limit) / 2;
            }
        }
        return IntStream.range(0, m).filter(i -> keep[i]).map(i -> candidates[i]).toArray();
    }

    /** Row maxima over j != i of rows [from, to) of left * right^T, computed into scores. */
    private static double[] rowMaxima(INDArray left, INDArray right, int from, int to, INDArray scores) {
        Nd4j.gemm(left.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), right, scores, false, true, 1.0, 0.0);
        for (int i = from; i < to; i++) {
            scores.putScalar(i - from, i, -Double.MAX_VALUE); // a unit is not its own partner
        }
        return scores.max(1).toDoubleVector();
    }

    /**
     * p x k matrix with orthonormal columns from a fixed seed, computed once per shape and data type and shared
     * read-only (allocated outside any workspace).
     */
    static INDArray projection(int p, int k, DataType type) {
        return PROJECTIONS.computeIfAbsent(p + "x" + k + ":" + type, key -> {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Nd4j.create(orthonormal(p, k), new long[] {p, k}, 'f').castTo(type);
            }
        });
    }

    /** k orthonormal vectors of length p, concatenated (modified Gram-Schmidt, twice, in double). */
    private static double[] orthonormal(int p, int k) {
        SplittableRandom random = new SplittableRandom(PROJECTION_SEED);
        double[][] basis = new double[k][p];
        for (int c = 0; c < k; c++) {
            double[] v = basis[c];
            for (int i = 0; i < p; i++) {
                v[i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int b = 0; b < c; b++) {
                    double dot = 0;
                    for (int i = 0; i < p; i++) {
                        dot += v[i] * basis[b][i];
                    }
                    for (int i = 0; i < p; i++) {
                        v[i] -= dot * basis[b][i];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < p; i++) {
                v[i] /= norm;
            }
        }
        double[] out = new double[p * k];
        for (int c = 0; c < k; c++) {
            System.arraycopy(basis[c], 0, out, c * p, p);
        }
        return out;
    }

    private static List<int[]> exactClusters(INDArray unit, double[] n, int[] ids, ActivationFamily family,
                                             SymmetryThresholds t) {
        int m = ids.length;
        INDArray gram = unit.mmul(unit.transpose());
        if (family.signSymmetric) {
            gram = Transforms.abs(gram, false);
        }
        for (int i = 0; i < m; i++) {
            gram.putScalar(i, i, -2.0); // a unit is not its own duplicate
        }
        double[] rowMax = gram.max(1).toDoubleVector();
        int[] parent = new int[m];
        for (int i = 0; i < m; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < m; i++) {
            if (rowMax[i] <= t.duplicateCosine()) {
                continue;
            }
            double[] row = gram.getRow(i).toDoubleVector();
            for (int j = i + 1; j < m; j++) {
                // Only homogeneous activations merge units of different scale: tanh(2z) is not 2 tanh(z).
                if (row[j] > t.duplicateCosine() && (family.homogeneous || sameNorm(n[i], n[j], t))) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < m; i++) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(ids[i]);
        }
        List<int[]> clusters = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            if (g.size() >= 2) {
                clusters.add(g.stream().mapToInt(Integer::intValue).sorted().toArray());
            }
        }
        return clusters;
    }

    private static boolean sameNorm(double a, double b, SymmetryThresholds t) {
        return Math.abs(a - b) <= t.duplicateNormTolerance() * Math.max(a, b);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
