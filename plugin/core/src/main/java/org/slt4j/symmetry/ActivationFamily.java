package org.slt4j.symmetry;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationCube;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationMish;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationRationalTanh;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationRectifiedTanh;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;

/** What an activation's algebra allows: which units are dead, which duplicates merge, whether rescaling holds. */
enum ActivationFamily {
    /** max(0, z): zero below, positively homogeneous. */
    RELU(true, true, true, false),
    /** Leaky/randomized ReLU: sign follows z, positively homogeneous, negative side not constant. */
    LEAKY_RELU(true, false, true, false),
    /** ReLU6, thresholded ReLU, rectified tanh: zero below, not homogeneous. */
    BOUNDED_RELU(true, true, false, false),
    /** ELU, SELU, GELU, Swish, Mish: sign follows z, nothing else exact. */
    SMOOTH_RELU(true, false, false, false),
    /** Identity: homogeneous of degree 1 for both signs. */
    IDENTITY(false, false, true, true),
    /** tanh and other odd activations: f(-z) = -f(z). */
    ODD(false, false, false, true),
    /** Sigmoid, softmax, softplus, ...: only exact copies merge. */
    OTHER(false, false, false, false);

    /** Active fractions (output > 0) and always-active units are meaningful. */
    final boolean reluFamily;
    /** Output is exactly 0 when inactive, so an inactive unit is dead. */
    final boolean zeroBelow;
    /** f(c z) = c f(z) for c > 0: rescaling symmetry; collinear units of any positive scale merge. */
    final boolean homogeneous;
    /** f(-z) = -f(z): negated units merge too. */
    final boolean signSymmetric;

    ActivationFamily(boolean reluFamily, boolean zeroBelow, boolean homogeneous, boolean signSymmetric) {
        this.reluFamily = reluFamily;
        this.zeroBelow = zeroBelow;
        this.homogeneous = homogeneous;
        this.signSymmetric = signSymmetric;
    }

    static ActivationFamily of(IActivation a) {
        if (a instanceof ActivationReLU relu) {
            boolean leaky = isNonZero(relu.getNegativeSlope());
            boolean bounded = relu.getMax() != null || isNonZero(relu.getThreshold());
            if (leaky) {
                return bounded ? SMOOTH_RELU : LEAKY_RELU;
            }
            return bounded ? BOUNDED_RELU : RELU;
        }
        if (a instanceof ActivationLReLU || a instanceof ActivationRReLU) {
            return LEAKY_RELU;
        }
        if (a instanceof ActivationReLU6 || a instanceof ActivationThresholdedReLU
                || a instanceof ActivationRectifiedTanh) {
            return BOUNDED_RELU;
        }
        if (a instanceof ActivationELU || a instanceof ActivationSELU || a instanceof ActivationGELU
                || a instanceof ActivationSwish || a instanceof ActivationMish) {
            return SMOOTH_RELU;
        }
        if (a instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (a instanceof ActivationTanH || a instanceof ActivationHardTanH || a instanceof ActivationSoftSign
                || a instanceof ActivationRationalTanh || a instanceof ActivationCube) {
            return ODD;
        }
        return OTHER;
    }

    private static boolean isNonZero(Double v) {
        return v != null && v != 0.0;
    }
}
