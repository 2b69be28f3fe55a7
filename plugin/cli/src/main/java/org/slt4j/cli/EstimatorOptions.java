package org.slt4j.cli;

import org.slt4j.llc.Baseline;
import org.slt4j.llc.LlcConfig;
import org.slt4j.llc.Sampler;
import picocli.CommandLine.Option;

/**
 * One option per {@link LlcConfig} setting; an option left out keeps the library default. Picocli mixin shared by
 * the commands that estimate the LLC. Each option is also accepted under the builder method's name in kebab-case
 * ({@code stepSize}: {@code --step-size}); the short names ({@code --eps}, {@code --gamma}, {@code --thinning},
 * {@code --burn-in}, {@code --n}) are the SLT literature's. The baseline is {@code --loss-baseline} because
 * {@code check --baseline} names a baseline file.
 */
final class EstimatorOptions {

    @Option(names = {"--n", "--training-set-size"}, paramLabel = "N",
            description = "Training-set size n for nBeta = n/ln(n) (default: the number of data rows).")
    Long trainingSetSize;

    @Option(names = "--n-beta", paramLabel = "X", description = "Inverse temperature times n (overrides --n).")
    Double nBeta;

    @Option(names = {"--eps", "--step-size"}, paramLabel = "X", description = "SGLD step size (default 1e-4).")
    Double stepSize;

    @Option(names = {"--gamma", "--localization"}, paramLabel = "X",
            description = "Localization strength (default 100).")
    Double localization;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay inside the sampler (default 0).")
    Double weightDecay;

    @Option(names = "--chains", paramLabel = "K", description = "Number of SGLD chains (default 4).")
    Integer chains;

    @Option(names = "--draws", paramLabel = "K", description = "Recorded draws per chain (default 200).")
    Integer draws;

    @Option(names = {"--burn-in", "--burn-in-steps"}, paramLabel = "K",
            description = "Unrecorded steps per chain (default 200).")
    Integer burnIn;

    @Option(names = {"--thinning", "--steps-between-draws"}, paramLabel = "K",
            description = "Steps between draws (default 1).")
    Integer thinning;

    @Option(names = "--batch-size", paramLabel = "K", description = "SGLD minibatch size (default 64).")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of all random streams (default 42).")
    Long seed;

    @Option(names = "--threads", paramLabel = "K", description = "Threads for the chains (default: min(chains, cores)).")
    Integer threads;

    @Option(names = "--loss-baseline", paramLabel = "PAIRED|INIT",
            description = "How the loss at the model is measured (baseline; default PAIRED).")
    Baseline baseline;

    @Option(names = "--sampler", paramLabel = "SGLD|RMSPROP_SGLD",
            description = "Langevin update rule (sampler; default SGLD).")
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
}
