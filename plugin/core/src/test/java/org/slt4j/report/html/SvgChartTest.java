package org.slt4j.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void ticksAreRoundValuesInsideTheRange() {
        assertThat(SvgChart.ticks(new double[] {0, 1})).containsExactly(0.0, 0.2, 0.4, 0.6000000000000001,
                0.8, 1.0);
        assertThat(SvgChart.ticks(new double[] {3, 47})).containsExactly(10.0, 20.0, 30.0, 40.0);
    }

    @Test
    void aConstantSeriesGetsAnAxisFromZeroNotOneCentredOnIt() {
        assertThat(SvgChart.padded(0, 0, 0.05)).containsExactly(0, 1);
        assertThat(SvgChart.padded(128, 128, 0.05)).containsExactly(0, 1.1 * 128);
        assertThat(SvgChart.padded(-2, -2, 0.05)).containsExactly(-2.2, 0);
        assertThat(SvgChart.padded(1, 3, 0.05)).containsExactly(0.9, 3.1);
    }

    @Test
    void nanValuesAreGapsAndErrorBarsAndMarkersAreDrawn() {
        String svg = new SvgChart("LLC", "loss").line("LLC", new long[] {0, 10, 20, 30},
                new double[] {1, Double.NaN, 2, 3}, new double[] {0.1, 0.1, 0.2, 0.3}, false)
                .marker(15, "unit <3> died").toSvg();

        assertThat(svg).containsOnlyOnce("<path ").containsPattern("d=\"M[^\"]*M[^\"]*\"")
                .contains("<title>unit &lt;3&gt; died</title>").contains("<title>LLC at iteration 20: 2 ± 0.2</title>");
        assertThat(svg.split("<circle", -1)).hasSize(4);
    }

    @Test
    void flaggedPointsAreHollowWithTheirFlagAndLabelledMarkersHaveTheirLabel() {
        String svg = new SvgChart("LLC", "").line("LLC", new long[] {0, 10}, new double[] {1, 2}, null, false,
                new String[] {null, "unreliable: <R-hat>"}, "unreliable (hover)").marker(5, "recalibrated here",
                "recalibrated").toSvg();

        assertThat(svg).containsOnlyOnce("r=\"3.5\" fill=\"#fff\" stroke=\"#1f77b4\"")
                .contains("<title>LLC at iteration 10: 2 - unreliable: &lt;R-hat&gt;</title>")
                .contains("r=\"2.5\" fill=\"#1f77b4\"><title>LLC at iteration 0: 1</title>")
                .contains(">unreliable (hover)</text>")
                .contains("stroke=\"#ff7f0e\" stroke-dasharray=\"4 3\"><title>recalibrated here</title>")
                .contains(">recalibrated<title>recalibrated here</title></text>");
        assertThat(new SvgChart("LLC", "").line("LLC", new long[] {0}, new double[] {1}, null, false).toSvg())
                .doesNotContain("r=\"3.5\"").doesNotContain("hover");
    }

    @Test
    void chartWithoutPointsIsEmpty() {
        assertThat(new SvgChart("y", "").line("s", new long[0], new double[0], null, false).isEmpty()).isTrue();
    }
}
