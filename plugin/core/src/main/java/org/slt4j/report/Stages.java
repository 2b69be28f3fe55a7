package org.slt4j.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the {@link Stage}s of an LLC curve.
 *
 * <ol>
 *   <li>Each calibration segment is a curve of its own (estimates of different segments use different settings and
 *       are not compared); its boundaries are stage boundaries. Estimates that are not finite are left out.</li>
 *   <li>The curve is smoothed with a three-point moving average weighted by the inverse variance of each estimate,
 *       so a noisy estimate moves the curve less than a precise one.</li>
 *   <li>Turning points are the extremes of the smoothed curve that the curve then leaves by more than two combined
 *       standard errors, 2 sqrt(se_a^2 + se_b^2) of the two estimates compared (a zigzag with a noise-scaled
 *       threshold): a bump smaller than that makes no stage.</li>
 *   <li>The stretches between turning points (and the curve's ends) are the stages. One spanning fewer than
 *       {@value #MIN_ESTIMATES} estimates is merged into its neighbour. A stage whose ends differ by more than two
 *       combined standard errors is rising or falling, otherwise level.</li>
 * </ol>
 * A segment with fewer than {@value #MIN_ESTIMATES} estimates has no stage. Turning points are the critical points
 * found; a level stretch inside a rise (a saddle) is not split off.
 */
final class Stages {
    /** The fewest estimates a stage spans. */
    static final int MIN_ESTIMATES = 3;
    /** Combined standard errors a change must exceed to count. */
    static final double SIGNIFICANCE = 2;

    private Stages() {
    }

    /** The stages of the whole-network LLC records, by iteration. */
    static List<Stage> of(List<LlcRecord> records) {
        List<Stage> stages = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= records.size(); i++) {
            if (i == records.size() || records.get(i).segment() != records.get(i - 1).segment()) {
                stages.addAll(ofSegment(records.subList(from, i)));
                from = i;
            }
        }
        return List.copyOf(stages);
    }

    private static List<Stage> ofSegment(List<LlcRecord> records) {
        List<LlcRecord> finite = records.stream().filter(r -> Double.isFinite(r.estimate().mean())).toList();
        long[] x = finite.stream().mapToLong(LlcRecord::iteration).toArray();
        double[] y = finite.stream().mapToDouble(r -> r.estimate().mean()).toArray();
        double[] se = finite.stream().mapToDouble(r -> r.estimate().standardError()).toArray();
        return find(x, y, se);
    }

    /** The stages of one curve: iterations, estimates and their standard errors. */
    static List<Stage> find(long[] x, double[] y, double[] se) {
        int n = x.length;
        if (n < MIN_ESTIMATES) {
            return List.of();
        }
        double[] errors = withFloor(se);
        double[] s = smoothed(y, errors);
        List<Integer> bounds = turningPoints(s, errors);
        mergeShort(bounds);
        List<Stage> stages = new ArrayList<>();
        for (int k = 0; k + 1 < bounds.size(); k++) {
            int a = bounds.get(k);
            int b = bounds.get(k + 1);
            Stage.Kind kind = !significant(s, errors, a, b) ? Stage.Kind.LEVEL
                    : s[b] > s[a] ? Stage.Kind.RISING : Stage.Kind.FALLING;
            stages.add(new Stage(x[a], x[b], kind, b - a + 1, y[a], y[b]));
        }
        return stages;
    }

    /** Turning point indices of the smoothed curve, with its first and last index. */
    private static List<Integer> turningPoints(double[] s, double[] se) {
        List<Integer> bounds = new ArrayList<>(List.of(0));
        int n = s.length;
        int direction = 0;
        int high = 0;
        int low = 0;
        int extreme = 0;
        for (int i = 1; i < n; i++) {
            if (direction == 0) {
                high = s[i] > s[high] ? i : high;
                low = s[i] < s[low] ? i : low;
                if (significant(s, se, low, high)) {
                    direction = high > low ? 1 : -1;
                    int first = direction > 0 ? low : high;
                    if (first > 0 && significant(s, se, 0, first)) {
                        bounds.add(first);
                    }
                    extreme = direction > 0 ? high : low;
                }
            } else if (direction * (s[i] - s[extreme]) >= 0) {
                extreme = i;
            } else if (significant(s, se, extreme, i)) {
                bounds.add(extreme);
                direction = -direction;
                extreme = i;
            }
        }
        if (bounds.get(bounds.size() - 1) != n - 1) {
            bounds.add(n - 1);
        }
        return bounds;
    }

    /** Removes boundaries until every stretch spans at least MIN_ESTIMATES estimates (or only one is left). */
    private static void mergeShort(List<Integer> bounds) {
        boolean changed = true;
        while (changed && bounds.size() > 2) {
            changed = false;
            for (int k = 0; k + 1 < bounds.size(); k++) {
                if (bounds.get(k + 1) - bounds.get(k) + 1 < MIN_ESTIMATES) {
                    // Drop the inner boundary of the short stretch: its end, unless that is the curve's end.
                    bounds.remove(k + 1 < bounds.size() - 1 ? k + 1 : k);
                    changed = true;
                    break;
                }
            }
        }
    }

    private static boolean significant(double[] s, double[] se, int a, int b) {
        return Math.abs(s[b] - s[a]) > SIGNIFICANCE * Math.hypot(se[a], se[b]);
    }

    /** Inverse-variance weighted three-point moving average (two points at the ends). */
    private static double[] smoothed(double[] y, double[] se) {
        double[] s = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double sum = 0;
            double weights = 0;
            for (int j = Math.max(0, i - 1); j <= Math.min(y.length - 1, i + 1); j++) {
                double w = 1 / (se[j] * se[j]);
                sum += w * y[j];
                weights += w;
            }
            s[i] = sum / weights;
        }
        return s;
    }

    /**
     * The standard errors with missing or zero ones replaced: by the median of the others, or by a tiny positive
     * number when none is positive (a noiseless curve, where every change counts).
     */
    private static double[] withFloor(double[] se) {
        double[] positive = Arrays.stream(se).filter(e -> Double.isFinite(e) && e > 0).sorted().toArray();
        double fallback = positive.length > 0 ? positive[positive.length / 2] : 1e-100;
        return Arrays.stream(se).map(e -> Double.isFinite(e) && e > 0 ? e : fallback).toArray();
    }
}
