package org.slt4j.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small standalone SVG line chart of the LLC (left axis) beside train and test accuracy (right axis, 0-100%)
 * over training iterations: the picture the grokking sample is about. The HTML report charts what the records
 * hold; accuracy is not part of them, so this chart is drawn here.
 */
final class AccuracyChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 320;
    private static final int LEFT = 60;
    private static final int RIGHT = 60;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private final List<String> lines = new ArrayList<>();
    private final long lastIteration;
    private final double maxLlc;

    /**
     * @param lastIteration the right end of the iteration axis
     * @param maxLlc        the top of the LLC axis
     */
    AccuracyChart(long lastIteration, double maxLlc) {
        this.lastIteration = Math.max(lastIteration, 1);
        this.maxLlc = maxLlc > 0 ? maxLlc : 1;
    }

    /** Adds an LLC line (NaN values are left out). */
    AccuracyChart llc(String label, String color, long[] iterations, double[] values) {
        return line(label, color, iterations, values, maxLlc);
    }

    /** Adds an accuracy line, values in [0, 1]. */
    AccuracyChart accuracy(String label, String color, long[] iterations, double[] values) {
        return line(label, color, iterations, values, 1);
    }

    private AccuracyChart line(String label, String color, long[] iterations, double[] values, double top) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < iterations.length; i++) {
            if (Double.isFinite(values[i])) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(iterations[i]), y(values[i] / top)));
            }
        }
        int legendY = TOP + 14 * lines.size();
        lines.add(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                + "points=\"%s\"/>%n<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>%n", color,
                points.toString().strip(), LEFT + 10, legendY + 12, color, label));
        return this;
    }

    /** The chart as a standalone SVG document. */
    String toSvg() {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        for (int tick = 0; tick <= 4; tick++) {
            double f = tick / 4.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">"
                    + "%.3g</text><text x=\"%d\" y=\"%.1f\" font-size=\"11\">%d%%</text>%n", LEFT - 4, y(f) + 4,
                    f * maxLlc, WIDTH - RIGHT + 4, y(f) + 4, Math.round(100 * f)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
                    + "text-anchor=\"middle\">%d</text>%n", x(Math.round(f * lastIteration)), HEIGHT - BOTTOM + 15,
                    Math.round(f * lastIteration)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">LLC</text><text x=\"%d\" "
                + "y=\"%d\" font-size=\"12\">accuracy</text><text x=\"%d\" y=\"%d\" font-size=\"12\" "
                + "text-anchor=\"middle\">iteration</text>%n", 10, TOP - 10, WIDTH - RIGHT - 10, TOP - 10,
                WIDTH / 2, HEIGHT - 5));
        lines.forEach(svg::append);
        return svg.append("</svg>\n").toString();
    }

    private double x(long iteration) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (double) iteration / lastIteration;
    }

    private double y(double fraction) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * fraction;
    }
}
