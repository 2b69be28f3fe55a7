package org.slt4j.symmetry;

import java.util.Objects;

/**
 * The tolerances a {@link SymmetryScanner} uses to call a unit dead, zero or duplicated and to count singular
 * values. Immutable; every {@link SymmetrySnapshot} carries the thresholds it was computed with.
 *
 * <p>At tolerance 0 the detected degeneracies are exact (Farrugia-Roberts' lossless compression); at the
 * defaults they are approximate, which is what makes them visible while training is still moving.
 */
public final class SymmetryThresholds {

    private static final SymmetryThresholds DEFAULTS = new Builder().build();

    private final double deadFraction;
    private final double zeroNorm;
    private final double duplicateCosine;
    private final double duplicateNormTolerance;
    private final double rankTolerance;

    private SymmetryThresholds(Builder b) {
        this.deadFraction = b.deadFraction;
        this.zeroNorm = b.zeroNorm;
        this.duplicateCosine = b.duplicateCosine;
        this.duplicateNormTolerance = b.duplicateNormTolerance;
        this.rankTolerance = b.rankTolerance;
    }

    /** @return the documented defaults (1e-3, 1e-3, 0.99, 0.01, 1e-3) */
    public static SymmetryThresholds defaults() {
        return DEFAULTS;
    }

    /**
     * A ReLU-family unit is dead when its active fraction on the probe batch is at most this value, and
     * always active when it is at least {@code 1 - deadFraction}. Default 1e-3.
     *
     * @return the active-fraction threshold, in [0, 1)
     */
    public double deadFraction() {
        return deadFraction;
    }

    /**
     * A unit has zero incoming (outgoing) weights when their norm is at most this value times the layer's mean
     * incoming (outgoing) norm. Default 1e-3.
     *
     * @return the relative zero-norm threshold, in [0, 1)
     */
    public double zeroNorm() {
        return zeroNorm;
    }

    /**
     * Two units are duplicates when the cosine of their (weights, bias) vectors exceeds this value (in absolute
     * value for sign-symmetric activations). Default 0.99.
     *
     * @return the cosine threshold, in (0, 1)
     */
    public double duplicateCosine() {
        return duplicateCosine;
    }

    /**
     * For activations that are not positively homogeneous (tanh, sigmoid, ...) collinear units only merge when
     * they also have the same norm: {@code |n_i - n_j| / max(n_i, n_j)} must be at most this value.
     * Default 0.01.
     *
     * @return the relative norm tolerance, in [0, 1)
     */
    public double duplicateNormTolerance() {
        return duplicateNormTolerance;
    }

    /**
     * Singular values above {@code rankTolerance * sigma_max} count towards the numerical rank. Default 1e-3.
     * Values below 1e-6 are rejected: singular values come from a double-precision Gram matrix, accurate to
     * about 1e-8 of sigma_max.
     *
     * @return the relative rank tolerance, in [1e-6, 1)
     */
    public double rankTolerance() {
        return rankTolerance;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SymmetryThresholds t)) {
            return false;
        }
        return deadFraction == t.deadFraction && zeroNorm == t.zeroNorm && duplicateCosine == t.duplicateCosine
                && duplicateNormTolerance == t.duplicateNormTolerance && rankTolerance == t.rankTolerance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deadFraction, zeroNorm, duplicateCosine, duplicateNormTolerance, rankTolerance);
    }

    @Override
    public String toString() {
        return "SymmetryThresholds{deadFraction=" + deadFraction + ", zeroNorm=" + zeroNorm + ", duplicateCosine="
                + duplicateCosine + ", duplicateNormTolerance=" + duplicateNormTolerance + ", rankTolerance="
                + rankTolerance + "}";
    }

    /** Builder for {@link SymmetryThresholds}; values are validated by {@link #build()}. */
    public static final class Builder {
        private double deadFraction = 1e-3;
        private double zeroNorm = 1e-3;
        private double duplicateCosine = 0.99;
        private double duplicateNormTolerance = 0.01;
        private double rankTolerance = 1e-3;

        /** A builder starting from the defaults. */
        public Builder() {
        }

        /**
         * @param v see {@link SymmetryThresholds#deadFraction()}
         * @return this builder
         */
        public Builder deadFraction(double v) {
            this.deadFraction = v;
            return this;
        }

        /**
         * @param v see {@link SymmetryThresholds#zeroNorm()}
         * @return this builder
         */
        public Builder zeroNorm(double v) {
            this.zeroNorm = v;
            return this;
        }

        /**
         * @param v see {@link SymmetryThresholds#duplicateCosine()}
         * @return this builder
         */
        public Builder duplicateCosine(double v) {
            this.duplicateCosine = v;
            return this;
        }

        /**
         * @param v see {@link SymmetryThresholds#duplicateNormTolerance()}
         * @return this builder
         */
        public Builder duplicateNormTolerance(double v) {
            this.duplicateNormTolerance = v;
            return this;
        }

        /**
         * @param v see {@link SymmetryThresholds#rankTolerance()}
         * @return this builder
         */
        public Builder rankTolerance(double v) {
            this.rankTolerance = v;
            return this;
        }

        /**
         * @return the thresholds
         * @throws IllegalArgumentException naming the first value out of its range
         */
        public SymmetryThresholds build() {
            checkRange("deadFraction", deadFraction, 0, true, 1, false);
            checkRange("zeroNorm", zeroNorm, 0, true, 1, false);
            checkRange("duplicateCosine", duplicateCosine, 0, false, 1, false);
            checkRange("duplicateNormTolerance", duplicateNormTolerance, 0, true, 1, false);
            checkRange("rankTolerance", rankTolerance, 1e-6, true, 1, false);
            return new SymmetryThresholds(this);
        }

        private static void checkRange(String name, double v, double lo, boolean loClosed, double hi,
                                       boolean hiClosed) {
            boolean ok = (loClosed ? v >= lo : v > lo) && (hiClosed ? v <= hi : v < hi);
            if (!ok) {
                throw new IllegalArgumentException(String.format("%s must be in %s%s, %s%s (got: %s)", name,
                        loClosed ? "[" : "(", fmt(lo), fmt(hi), hiClosed ? "]" : ")", v));
            }
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
