package org.slt4j.symmetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The projection prefilter of {@link DuplicateFinder} must never change the result: every case is compared with
 * an independent brute-force oracle (all pairs, double precision), on layers wide enough for the prefilter to run,
 * with planted pairs just inside and just outside the cosine threshold.
 */
class DuplicateFinderTest {

    private static final SymmetryThresholds T = SymmetryThresholds.defaults(); // cosine 0.99
    private static final ActivationFamily RELU = ActivationFamily.of(Activation.RELU.getActivationFunction());
    private static final ActivationFamily TANH = ActivationFamily.of(Activation.TANH.getActivationFunction());

    /** A layer as rows (w_i, b_i) in double, with helpers to plant partners at an exact cosine. */
    private static final class Layer {
        final double[][] rows;
        final Random random;

        Layer(int units, int fanIn, long seed) {
            random = new Random(seed);
            rows = new double[units][fanIn + 1];
            for (double[] r : rows) {
                for (int j = 0; j < r.length; j++) {
                    r[j] = random.nextGaussian();
                }
            }
        }

        /** Makes row {@code to} a copy of row {@code from} at cosine c (times sign), scaled by {@code scale}. */
        void plant(int from, int to, double c, double sign, double scale) {
            double[] u = rows[from];
            double[] e = new double[u.length];
            for (int j = 0; j < e.length; j++) {
                e[j] = random.nextGaussian();
            }
            double uu = dot(u, u);
            double eu = dot(e, u);
            for (int j = 0; j < e.length; j++) {
                e[j] -= eu / uu * u[j];
            }
            double un = Math.sqrt(uu);
            double en = Math.sqrt(dot(e, e));
            for (int j = 0; j < u.length; j++) {
                rows[to][j] = sign * scale * (c * u[j] / un + Math.sqrt(1 - c * c) * e[j] / en) * un;
            }
        }

        /**
         * Makes row {@code to} the mirror image of row {@code from} at cosine c, of the same length, with the
         * difference inside the span of the prefilter's projection: the projection keeps its whole length, so the
         * pair is exactly as close in projection as in truth (the worst case for the prefilter's bound).
         */
        void mirrorInsideProjection(int from, int to, double c) {
            int p = rows[0].length;
            int k = DuplicateFinder.projectionDirections(rows.length, p, T.duplicateCosine());
            double[][] basis = DuplicateFinder.projection(p, k, DataType.DOUBLE).transpose().toDoubleMatrix();
            double[] u = rows[from];
            double un = Math.sqrt(dot(u, u));
            // g: the direction of u's projection; h: another direction of the span, orthogonal to g
            double[] g = new double[p];
            double[] h = new double[p];
            for (int a = 0; a < k; a++) {
                double coefficient = dot(basis[a], u) / un;
                double z = random.nextGaussian();
                for (int j = 0; j < p; j++) {
                    g[j] += coefficient * basis[a][j];
                    h[j] += z * basis[a][j];
                }
            }
            double gn = Math.sqrt(dot(g, g));
            double hg = dot(h, g) / (gn * gn);
            for (int j = 0; j < p; j++) {
                h[j] -= hg * g[j];
            }
            double hn = Math.sqrt(dot(h, h));
            // reflection v = u - 2 <u, d> d keeps the length; cos(u, v) = 1 - 2 <u/|u|, d>^2 with <u/|u|, d> = a |g|
            double a = Math.sqrt((1 - c) / 2) / gn;
            double[] d = new double[p];
            for (int j = 0; j < p; j++) {
                d[j] = a * g[j] / gn + Math.sqrt(1 - a * a) * h[j] / hn;
            }
            double ud = dot(u, d);
            for (int j = 0; j < p; j++) {
                rows[to][j] = u[j] - 2 * ud * d[j];
            }
        }

        /** Adds the same vector of length {@code norm} times the typical row length to every row. */
        void addCommonComponent(double strength) {
            double[] common = new double[rows[0].length];
            for (int j = 0; j < common.length; j++) {
                common[j] = strength * random.nextGaussian();
            }
            for (double[] r : rows) {
                for (int j = 0; j < r.length; j++) {
                    r[j] += common[j];
                }
            }
        }

        INDArray weights() {
            int fanIn = rows[0].length - 1;
            return Nd4j.create(Arrays.stream(rows).map(r -> Arrays.copyOf(r, fanIn)).toArray(double[][]::new))
                    .castTo(DataType.FLOAT);
        }

        double[] bias() {
            return Arrays.stream(rows).mapToDouble(r -> (float) r[r.length - 1]).toArray();
        }

        double[] norms(INDArray weights, double[] b) {
            double[] inNorms = weights.norm2(1).toDoubleVector();
            double[] norms = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                norms[i] = Math.sqrt(inNorms[i] * inNorms[i] + b[i] * b[i]);
            }
            return norms;
        }

        int[] survivors(ActivationFamily family) {
            INDArray w = weights();
            double[] b = bias();
            int k = DuplicateFinder.projectionDirections(rows.length, rows[0].length, T.duplicateCosine());
            return DuplicateFinder.possibleDuplicates(w, b, norms(w, b), all(), k, family.signSymmetric,
                    T.duplicateCosine());
        }

        List<int[]> find(ActivationFamily family, int[] candidates) {
            INDArray w = weights();
            double[] b = bias();
            return DuplicateFinder.clusters(w, b, norms(w, b), candidates, family, T);
        }

        /** All pairs, double precision, union-find: the definition the finder must reproduce. */
        List<int[]> oracle(ActivationFamily family, int[] candidates) {
            int[] parent = IntStream.range(0, rows.length).toArray();
            for (int a = 0; a < candidates.length; a++) {
                for (int z = a + 1; z < candidates.length; z++) {
                    double[] u = rows[candidates[a]];
                    double[] v = rows[candidates[z]];
                    double nu = Math.sqrt(dot(u, u));
                    double nv = Math.sqrt(dot(v, v));
                    double cos = dot(u, v) / (nu * nv);
                    if (family.signSymmetric) {
                        cos = Math.abs(cos);
                    }
                    boolean scaleOk = family.homogeneous
                            || Math.abs(nu - nv) <= T.duplicateNormTolerance() * Math.max(nu, nv);
                    if (cos > T.duplicateCosine() && scaleOk) {
                        parent[root(parent, candidates[a])] = root(parent, candidates[z]);
                    }
                }
            }
            TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
            for (int i : candidates) {
                groups.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(i);
            }
            List<int[]> out = new ArrayList<>();
            groups.values().stream().filter(g -> g.size() > 1)
                    .forEach(g -> out.add(g.stream().mapToInt(Integer::intValue).sorted().toArray()));
            return out;
        }

        int[] all() {
            return IntStream.range(0, rows.length).toArray();
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            i = parent[i];
        }
        return i;
    }

    private static List<String> asStrings(List<int[]> clusters) {
        return clusters.stream().map(Arrays::toString).sorted().toList();
    }

    @Test
    void thePrefilterRunsOnWideLayersAndScalesItsDirectionsWithTheRowLength() {
        assertThat(DuplicateFinder.projectionDirections(512, 601, 0.99)).isEqualTo(32);
        assertThat(DuplicateFinder.projectionDirections(1024, 1025, 0.99)).isEqualTo(41);
        assertThat(DuplicateFinder.projectionDirections(4096, 4097, 0.99)).isEqualTo(164);
        assertThat(DuplicateFinder.projectionDirections(100, 1025, 0.99)).as("too few units").isZero();
        assertThat(DuplicateFinder.projectionDirections(1024, 65, 0.99)).as("rows too short").isZero();
        assertThat(DuplicateFinder.projectionDirections(1024, 1025, 0.9)).as("threshold too loose").isZero();
    }

    @Test
    void onRandomRowsOnlyThePlantedPairsSurviveThePrefilter() {
        Layer layer = new Layer(1024, 1024, 6);
        layer.plant(100, 200, 0.995, 1, 1.0);
        layer.plant(300, 400, 0.995, -1, 1.0);

        assertThat(layer.survivors(RELU)).containsExactly(100, 200);
        assertThat(layer.survivors(TANH)).containsExactly(100, 200, 300, 400);
    }

    @Test
    void reluPairsJustInsideTheThresholdMergeAndJustOutsideDoNotWithThePrefilterOn() {
        Layer layer = new Layer(512, 600, 1);
        layer.plant(0, 1, 0.9905, 1, 3.0);   // inside, scaled: merges (ReLU is homogeneous)
        layer.plant(0, 2, 0.9995, 1, 0.5);   // joins the same cluster
        layer.plant(10, 11, 0.9895, 1, 1.0); // just outside
        layer.plant(20, 21, 0.999, -1, 1.0); // negated: not a ReLU duplicate
        layer.plant(30, 31, 0.995, 1, 1.0);
        layer.plant(31, 32, 0.995, 1, 1.0);  // chain: 30-32 may be below the threshold, still one component
        layer.mirrorInsideProjection(40, 41, 0.9905); // projected as far apart as in truth: just inside
        layer.mirrorInsideProjection(50, 51, 0.9895); // just outside

        List<int[]> found = layer.find(RELU, layer.all());

        assertThat(asStrings(found)).isEqualTo(asStrings(layer.oracle(RELU, layer.all())));
        assertThat(found).anySatisfy(c -> assertThat(c).containsExactly(0, 1, 2));
        assertThat(found).anySatisfy(c -> assertThat(c).containsExactly(30, 31, 32));
        assertThat(found).anySatisfy(c -> assertThat(c).containsExactly(40, 41));
        assertThat(found).hasSize(3);
    }

    @Test
    void tanhMergesNegatedCopiesOfTheSameScaleOnly() {
        Layer layer = new Layer(300, 700, 2);
        layer.plant(5, 6, 0.995, -1, 1.0);    // negated, same scale: merges
        layer.plant(7, 8, 0.995, 1, 2.0);     // collinear but twice the scale: tanh(2z) != 2 tanh(z)
        layer.plant(9, 10, 0.9895, -1, 1.0);  // just outside

        List<int[]> found = layer.find(TANH, layer.all());

        assertThat(asStrings(found)).isEqualTo(asStrings(layer.oracle(TANH, layer.all())));
        assertThat(found).singleElement().satisfies(c -> assertThat(c).containsExactly(5, 6));
    }

    @Test
    void onlyCandidateUnitsAreClustered() {
        Layer layer = new Layer(400, 500, 3);
        layer.plant(0, 1, 0.999, 1, 1.0);
        layer.plant(2, 3, 0.999, 1, 1.0);
        int[] withoutUnit3 = IntStream.range(0, 400).filter(i -> i != 3).toArray();

        List<int[]> found = layer.find(RELU, withoutUnit3);

        assertThat(asStrings(found)).isEqualTo(asStrings(layer.oracle(RELU, withoutUnit3)));
        assertThat(found).singleElement().satisfies(c -> assertThat(c).containsExactly(0, 1));
    }

    @Test
    void correlatedRowsDefeatThePrefilterButNotTheResult() {
        // A shared component puts every pair near cosine 0.9, so most rows survive the prefilter and the exact
        // stage does the work; many pairs land on both sides of 0.99.
        Layer layer = new Layer(256, 400, 4);
        layer.addCommonComponent(3.0);
        for (int i = 0; i < 40; i += 2) {
            layer.plant(i, i + 1, 0.9851 + 0.0005 * i, i % 4 == 0 ? 1 : -1, 1.0);
        }

        assertThat(layer.survivors(RELU).length).as("most rows survive").isGreaterThan(128);
        for (ActivationFamily family : List.of(RELU, TANH)) {
            List<int[]> found = layer.find(family, layer.all());
            assertThat(asStrings(found)).as(family.toString())
                    .isEqualTo(asStrings(layer.oracle(family, layer.all())));
            assertThat(found).as("has clusters to compare").isNotEmpty();
        }
    }

    @Test
    void theFindingsDoNotDependOnTheDataType() {
        Layer layer = new Layer(256, 300, 5);
        layer.plant(1, 2, 0.996, 1, 2.0);
        INDArray w = Nd4j.create(Arrays.stream(layer.rows).map(r -> Arrays.copyOf(r, 300)).toArray(double[][]::new));
        double[] b = Arrays.stream(layer.rows).mapToDouble(r -> r[300]).toArray();
        double[] norms = Arrays.stream(layer.rows).mapToDouble(r -> Math.sqrt(dot(r, r))).toArray();

        List<int[]> asDouble = DuplicateFinder.clusters(w, b, norms, layer.all(), RELU, T);
        List<int[]> asFloat = DuplicateFinder.clusters(w.castTo(DataType.FLOAT), b, norms, layer.all(), RELU, T);
        List<int[]> asHalf = DuplicateFinder.clusters(w.castTo(DataType.HALF), b, norms, layer.all(), RELU, T);

        assertThat(asStrings(asDouble)).isEqualTo(asStrings(asFloat)).isEqualTo(asStrings(asHalf))
                .containsExactly("[1, 2]");
    }
}
