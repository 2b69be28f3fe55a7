package org.slt4j.cli;

import java.util.function.UnaryOperator;
import org.slt4j.llc.LlcCalibrator;
import org.slt4j.llc.LlcConfig;
import picocli.CommandLine.Option;

/** The calibrator's sweep ({@code --calibration-eps}, {@code --calibration-gamma}, ...); a picocli mixin. */
final class CalibrationOptions {

    @Option(names = {"--calibration-eps", "--calibration-step-sizes"}, split = ",", paramLabel = "X,X,...",
            description = "Step sizes the calibrator tries (default 1e-2 down to 1e-7 in factors of 2).")
    double[] stepSizes;

    @Option(names = {"--calibration-gamma", "--calibration-localizations"}, split = ",", paramLabel = "X,X,...",
            description = "Localizations the calibrator tries (default 1,10,100).")
    double[] localizations;

    @Option(names = "--calibration-draws", paramLabel = "K",
            description = "Draws per chain of each calibration run (default 500, after 300 burn-in steps).")
    Integer draws;

    @Option(names = "--calibration-tolerance", paramLabel = "R",
            description = "Relative agreement a step size needs with the next smaller one to count as a plateau "
                    + "(default 0.05).")
    Double tolerance;

    /** The options applied to a calibrator's builder. */
    UnaryOperator<LlcCalibrator.Builder> settings() {
        return b -> {
            if (stepSizes != null) {
                b.stepSizes(stepSizes);
            }
            if (localizations != null) {
                b.localizations(localizations);
            }
            if (draws != null) {
                b.draws(draws).burnInSteps(draws / 2);
            }
            if (tolerance != null) {
                b.tolerance(tolerance);
            }
            return b;
        };
    }

    /**
     * The calibrator for a base configuration.
     *
     * @throws BadInputException if an option is invalid
     */
    LlcCalibrator calibrator(LlcConfig base) {
        try {
            return settings().apply(new LlcCalibrator.Builder(base)).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid calibration option: " + BadInputException.reason(e), e);
        }
    }
}
