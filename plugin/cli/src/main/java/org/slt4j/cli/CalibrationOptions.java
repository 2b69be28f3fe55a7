package org.slt4j.cli;

import java.io.Serializable;
import java.util.function.UnaryOperator;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import picocli.CommandLine.Option;

/**
 * The calibrator's sweep ({@code --calibration-eps}, {@code --calibration-gamma}, {@code --calibration-tolerance});
 * a picocli mixin. A calibration runs whenever the step size or the localization is automatic (not given).
 * Serializable, like {@link EstimatorOptions}.
 */
final class CalibrationOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(names = {"--calibration-eps", "--calibration-step-sizes"}, split = ",", paramLabel = "X,X,...",
            description = "Step sizes the calibrator tries (default: 2 eps0 down to eps0/32 in factors of 2, "
                    + "eps0 = 0.05 / (nBeta h + gamma) with h the top curvature at the model). Not with --eps.")
    double[] stepSizes;

    @Option(names = {"--calibration-gamma", "--calibration-localizations"}, split = ",", paramLabel = "X,X,...",
            description = "Localizations the calibrator tries (default: 0.001, 0.01 and 0.1 times nBeta h). "
                    + "Not with --gamma.")
    double[] localizations;

    @Option(names = "--calibration-tolerance", paramLabel = "R",
            description = "Relative agreement a step size needs with the next smaller one to count as a plateau "
                    + "(default 0.05).")
    Double tolerance;

    /** Whether an estimate with this configuration starts with a calibration. */
    static boolean calibrates(LlcConfig config) {
        return config.stepSize().isEmpty() || config.localization().isEmpty();
    }

    /**
     * The sweep options for an estimator with this configuration, checked by building the calibrator once: the
     * identity when no calibration runs (both the step size and the localization are given).
     *
     * @throws BadInputException if an option is invalid, or sweeps a setting that was given (a given value is
     *                           used exactly), or the configuration cannot be calibrated
     */
    UnaryOperator<LlcCalibrator.Builder> settingsFor(LlcConfig config) {
        if (stepSizes != null && config.stepSize().isPresent()) {
            throw new BadInputException("--calibration-eps cannot be combined with --eps: a given step size is used "
                    + "exactly, not calibrated");
        }
        if (localizations != null && config.localization().isPresent()) {
            throw new BadInputException("--calibration-gamma cannot be combined with --gamma: a given localization "
                    + "is used exactly, not calibrated");
        }
        if (!calibrates(config)) {
            if (tolerance != null) {
                throw new BadInputException("--calibration-tolerance has no effect: with both --eps and --gamma "
                        + "given no calibration runs");
            }
            return UnaryOperator.identity();
        }
        if (config.chains() < 2) {
            throw new BadInputException("the automatic step size and localization are calibrated with at least 2 "
                    + "chains (got --chains " + config.chains() + "): use more chains, or give --eps and --gamma");
        }
        UnaryOperator<LlcCalibrator.Builder> settings = b -> {
            if (stepSizes != null) {
                b.stepSizes(stepSizes);
            }
            if (localizations != null) {
                b.localizations(localizations);
            }
            if (tolerance != null) {
                b.tolerance(tolerance);
            }
            return b;
        };
        try {
            settings.apply(new LlcCalibrator.Builder(config)).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid calibration option: " + BadInputException.reason(e), e);
        }
        return settings;
    }
}
