package org.slt4j.cli;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slt4j.llc.Baseline;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.Sampler;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * One option per {@link LlcConfig} setting; an option left out keeps the library default, so the step size, the
 * localization, the burn-in and the draws are automatic unless given (a given value is used exactly). Picocli
 * mixin shared by the commands that estimate the LLC. Each option is also accepted under the builder method's name
 * in kebab-case ({@code stepSize}: {@code --step-size}); the short names ({@code --eps}, {@code --gamma},
 * {@code --thinning}, {@code --burn-in}, {@code --n}, {@code --target-error}) are the SLT literature's or shorter.
 * The baseline is {@code --loss-baseline} because {@code check --baseline} names a baseline file. Serializable, so
 * that a distributed job ships the options with the {@link CheckpointCurve} and its workers build the same
 * configuration.
 */
final class EstimatorOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(names = {"--n", "--training-set-size"}, paramLabel = "N",
            description = "Training-set size n for nBeta = n/ln(n) (default: the number of data rows).")
    Long trainingSetSize;

    @Option(names = "--n-beta", paramLabel = "X", description = "Inverse temperature times n (overrides --n).")
    Double nBeta;

    @Option(names = {"--eps", "--step-size"}, paramLabel = "X",
            description = "SGLD step size (default: automatic, calibrated on the model).")
    Double stepSize;

    @Option(names = {"--gamma", "--localization"}, paramLabel = "X",
            description = "Localization strength (default: automatic, calibrated on the model).")
    Double localization;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay inside the sampler (default 0).")
    Double weightDecay;

    @Option(names = "--chains", paramLabel = "K", description = "Number of SGLD chains (default 4).")
    Integer chains;

    @Option(names = "--draws", paramLabel = "K",
            description = "Recorded draws per chain (default: automatic, to --target-error or --max-steps-per-chain).")
    Integer draws;

    @Option(names = {"--burn-in", "--burn-in-steps"}, paramLabel = "K",
            description = "Unrecorded steps per chain (default: automatic, until the loss traces are stationary).")
    Integer burnIn;

    @Option(names = {"--target-error", "--target-relative-error"}, paramLabel = "R",
            description = "Automatic draws stop when the standard error is at most R times the estimate, in (0, 1)"
                    + " (default 0.02).")
    Double targetRelativeError;

    @Option(names = "--max-steps-per-chain", paramLabel = "K",
            description = "Most SGLD steps a chain takes with automatic burn-in or draws, >= 100 (default 40000); "
                    + "an estimate that stops here short of --target-error is unreliable. It also bounds the "
                    + "calibration (a quarter of it per setting tried).")
    Long maxStepsPerChain;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Also stop automatic draws after this wall-clock time, and the calibration's sweep after "
                    + "the same time, each counted from its own start (30s, 5m, 1h30m, 500ms or ISO-8601 PT30S; "
                    + "default: none). The estimate then depends on the machine's speed: it is NOT reproducible "
                    + "from its seed, and its drawsStop is TIME_LIMIT; a calibration cut short uses its "
                    + "fallback settings, flagged.")
    Duration timeLimit;

    @Option(names = {"--thinning", "--steps-between-draws"}, paramLabel = "K",
            description = "Steps between draws (default 1).")
    Integer thinning;

    @Option(names = "--batch-size", paramLabel = "K", description = "SGLD minibatch size (default 256).")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of all random streams (default 42).")
    Long seed;

    @Option(names = "--threads", paramLabel = "K", description = "Threads for the chains (default: min(chains, cores)).")
    Integer threads;

    @Option(names = "--loss-baseline", paramLabel = "PAIRED|INIT",
            description = "How the loss at the model is measured (baseline; default PAIRED).")
    Baseline baseline;

    @Option(names = "--sampler", paramLabel = "LEIMKUHLER_MATTHEWS|SGLD|RMSPROP_SGLD",
            description = "Langevin update rule (sampler; default LEIMKUHLER_MATTHEWS: SGLD with consecutive "
                    + "steps' noise averaged, without plain SGLD's step-size bias).")
    Sampler sampler;

    /**
     * The estimator configuration for data of {@code rows} examples.
     *
     * @throws BadInputException naming the invalid setting
     */
    LlcConfig config(int rows) {
        LlcConfig.Builder b = new LlcConfig.Builder().trainingSetSize(trainingSetSize != null ? trainingSetSize : rows)
                .keepTraces(false);
        if (nBeta != null) {
            b.nBeta(nBeta);
        }
        if (stepSize != null) {
            b.stepSize(stepSize);
        }
        if (localization != null) {
            b.localization(localization);
        }
        if (weightDecay != null) {
            b.weightDecay(weightDecay);
        }
        if (chains != null) {
            b.chains(chains);
        }
        if (draws != null) {
            b.draws(draws);
        }
        if (burnIn != null) {
            b.burnInSteps(burnIn);
        }
        if (targetRelativeError != null) {
            b.targetRelativeError(targetRelativeError);
        }
        if (maxStepsPerChain != null) {
            b.maxStepsPerChain(maxStepsPerChain);
        }
        if (timeLimit != null) {
            b.timeLimit(timeLimit);
        }
        if (thinning != null) {
            b.stepsBetweenDraws(thinning);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (threads != null) {
            b.threads(threads);
        }
        if (baseline != null) {
            b.baseline(baseline);
        }
        if (sampler != null) {
            b.sampler(sampler);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid estimator option: " + BadInputException.reason(e), e);
        }
    }

    /** {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms} or ISO-8601 ({@code PT30S}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            if (text.startsWith("p")) {
                try {
                    return Duration.parse(text);
                } catch (RuntimeException e) {
                    throw notADuration(value);
                }
            }
            Matcher part = PART.matcher(text);
            Duration total = Duration.ZERO;
            int end = 0;
            while (part.find() && part.start() == end) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
                end = part.end();
            }
            if (end == 0 || end != text.length()) {
                throw notADuration(value);
            }
            return total;
        }

        private static TypeConversionException notADuration(String value) {
            return new TypeConversionException("'" + value + "' is not a duration (examples: 30s, 5m, 1h30m, 500ms, "
                    + "PT30S)");
        }
    }
}
