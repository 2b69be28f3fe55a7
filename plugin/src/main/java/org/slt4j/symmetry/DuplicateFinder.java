package org.slt4j.symmetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Duplicate-unit clusters from the Gram matrix of normalized (w_i, b_i) rows: one ND4J matrix product
 * (O(h^2 p) in BLAS) plus row maxima, so Java only visits rows that have a partner above the threshold.
 */
final class DuplicateFinder {

    private DuplicateFinder() {
    }

    /**
     * @param rows   m x p matrix, one (w_i, b_i) row per candidate unit, all rows non-zero
     * @param ids    the unit index of each row
     * @param family what merges for this activation
     * @param t      thresholds
     * @return connected components (size >= 2) of the duplicate relation, members as unit indices, ascending
     */
    static List<int[]> clusters(INDArray rows, int[] ids, ActivationFamily family, SymmetryThresholds t) {
        int m = ids.length;
        if (m < 2) {
            return List.of();
        }
        INDArray norms = rows.norm2(1);
        INDArray gram = rows.divColumnVector(norms.reshape(m, 1));
        gram = gram.mmul(gram.transpose());
        if (family.signSymmetric) {
            gram = Transforms.abs(gram, false);
        }
        for (int i = 0; i < m; i++) {
            gram.putScalar(i, i, -2.0); // a unit is not its own duplicate
        }
        double[] rowMax = gram.max(1).toDoubleVector();
        double[] n = norms.toDoubleVector();
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
