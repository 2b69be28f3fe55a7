package org.slt4j.llc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.slt4j.surface.AnalyticSurfaces;
import org.slt4j.surface.LossSurface;
import org.slt4j.testkit.ExactValues;

class LlcCalibratorTest {

    private static final double[] CURVATURES = {0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2, 1, 1, 0.5, 0.5, 0, 0, 0, 0};

    @Test
    void theCalibratorRejectsAStepSizeThatVisiblyBiasesTheQuadratic() {
        LossSurface quadratic = AnalyticSurfaces.quadratic(CURVATURES);
        LlcConfig base = new LlcConfig.Builder().nBeta(100).seed(4).build();

        Calibration calibration = new LlcCalibrator.Builder(base).build().calibrate(quadratic);

        LlcConfig chosen = calibration.recommended().orElseThrow(() -> new AssertionError(calibration.table()));
        double exactAtChosen = ExactValues.quadratic(CURVATURES, 100, chosen.localization().getAsDouble(),
                chosen.stepSize().getAsDouble());
        double exactNoBias = ExactValues.quadratic(CURVATURES, 100, chosen.localization().getAsDouble(), 1e-12);
        assertThat(exactAtChosen / exactNoBias - 1).as("step-size bias at the chosen setting%n%s",
                calibration.table()).isLessThan(0.1);
        // A larger step size ran, was stable (no divergence), and had a visible bias: it was rejected.
        assertThat(calibration.rows()).as(calibration.table()).anySatisfy(row -> {
            assertThat(row.stepSize()).isGreaterThan(chosen.stepSize().getAsDouble());
            assertThat(row.divergedChains()).isZero();
            assertThat(ExactValues.quadratic(CURVATURES, 100, row.localization(), row.stepSize()) / exactNoBias - 1)
                    .isGreaterThan(0.2);
        });
        assertThat(calibration.table()).contains("recommended: stepSize");
        assertThat(chosen.nBeta()).isEqualTo(100);
    }

    @Test
    void withoutAPlateauThereIsNoRecommendationAndTheReasonSaysWhy() {
        // Every step size diverges on this stiff quadratic.
        LlcConfig base = new LlcConfig.Builder().nBeta(1e6).build();
        Calibration calibration = new LlcCalibrator.Builder(base).stepSizes(1e-2, 5e-3).localizations(1).build().calibrate(AnalyticSurfaces.quadratic(1, 1));

        assertThat(calibration.recommended()).isEmpty();
        assertThat(calibration.reason()).contains("no step size was stable");
        assertThat(calibration.rows()).hasSize(2).allSatisfy(row -> assertThat(row.verdict()).contains("diverged"));
    }

    @Test
    void invalidCalibratorSettingsFailAtBuild() {
        LlcConfig base = new LlcConfig.Builder().nBeta(10).build();
        assertThatThrownBy(() -> new LlcCalibrator.Builder(base).stepSizes().build())
                .hasMessage("stepSizes must not be empty (got: 0 values)");
        assertThatThrownBy(() -> new LlcCalibrator.Builder(base.toBuilder().chains(1).build()).build())
                .hasMessage("the base configuration needs >= 2 chains for R-hat (got: 1)");
        assertThatThrownBy(() -> new LlcCalibrator.Builder(base).tolerance(0).build())
                .hasMessage("tolerance must be in (0, 1) (got: 0.0)");
        assertThatThrownBy(() -> new LlcCalibrator.Builder(base).localizations(-1).build())
                .hasMessage("localizations must be finite and >= 0 (got: -1.0)");
    }
}
