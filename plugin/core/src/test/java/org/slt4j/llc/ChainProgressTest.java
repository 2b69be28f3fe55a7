package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A chain keeps the effective sample size of its draws between rounds (each round of draws, the result and the
 * estimate's standard error ask for it): what it reports is always that of the draws it holds now.
 */
class ChainProgressTest {

    @Test
    void theKeptEffectiveSampleSizeIsAlwaysThatOfTheDrawsHeldNow() throws Exception {
        ChainProgress chain = new ChainProgress(new LlcConfig.Builder().nBeta(10).stepSize(1e-3).localization(1)
                .build(), 0);
        Random random = new Random(3);
        draw(chain, random, 500, 0.9);
        double first = chain.effectiveSampleSize();
        assertThat(first).isEqualTo(recomputed(chain)).isLessThan(500);

        draw(chain, random, 300, 0.0);
        assertThat(chain.effectiveSampleSize()).as("after more draws").isEqualTo(recomputed(chain))
                .isNotEqualTo(first);

        double kept = chain.effectiveSampleSize();
        chain.drawStep(Double.NaN, Double.NaN);
        assertThat(chain.effectiveSampleSize()).as("after a thinned-out step").isEqualTo(kept);

        chain.discardFirstDraws(200);
        assertThat(chain.effectiveSampleSize()).as("after discarding draws").isEqualTo(recomputed(chain))
                .isNotEqualTo(kept);
        assertThat(chain.result().effectiveSampleSize()).isEqualTo(recomputed(chain));

        ChainProgress copy = roundTrip(chain);
        assertThat(copy.effectiveSampleSize()).as("after serialization").isEqualTo(recomputed(chain));
    }

    /** Draws whose contributions nBeta (L - baseline) form an AR(1) sequence with the given correlation. */
    private static void draw(ChainProgress chain, Random random, int count, double rho) {
        double v = 0;
        for (int i = 0; i < count; i++) {
            v = rho * v + random.nextGaussian();
            chain.drawStep(1 + 0.01 * v, 1);
        }
    }

    private static double recomputed(ChainProgress chain) {
        return McmcDiagnostics.effectiveSampleSize(chain.contributions(), chain.draws());
    }

    private static ChainProgress roundTrip(ChainProgress chain) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(chain);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ChainProgress) in.readObject();
        }
    }
}
