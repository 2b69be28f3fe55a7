package org.slt4j.report.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slt4j.report.Format;
import org.slt4j.report.Series;
import org.slt4j.report.SeriesBuckets;

/**
 * A line chart over training iterations as inline SVG: series on a left and optionally a right axis, error bars,
 * flagged points (drawn hollow, their flag in the hover text), and vertical markers (events, optionally labelled)
 * with hover text. Points with NaN values are gaps. No scripts, no external resources, so a report works offline.
 */
final class SvgChart {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 64;
    private static final int TOP = 34;
    private static final int BOTTOM = 40;

    private final String yLabel;
    private final String y2Label;
    private final List<Line> lines = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();

    /**
     * One series; {@code errors} and {@code flags} may be null, and so may each flag (an unflagged point);
     * {@code low} and {@code high}, when not null, are a range around each point, shaded.
     */
    private record Line(String name, long[] x, double[] y, double[] errors, boolean right, String color,
            String[] flags, String flagLegend, double[] low, double[] high) {
        boolean flagged(int i) {
            return flags != null && flags[i] != null;
        }

        boolean anyFlagged() {
            return flags != null && Arrays.stream(flags).anyMatch(Objects::nonNull);
        }
    }

    /** A vertical line; {@code label} (may be null) is written beside its top. */
    private record Band(long from, long to, String color, String text) {
    }

    private record Marker(long x, String text, String label) {
    }

    private static final String LABELLED_MARKER_COLOR = "#ff7f0e";

    SvgChart(String yLabel, String y2Label) {
        this.yLabel = yLabel;
        this.y2Label = y2Label;
    }

    /** Adds a series on the left axis (right = false) or the right one. */
    SvgChart line(String name, long[] x, double[] y, double[] errors, boolean right) {
        return line(name, x, y, errors, right, null, null);
    }

    /**
     * Adds a series whose points with a non-null flag are drawn hollow, the flag's text in their hover text (e.g.
     * {@code "unreliable: R-hat 1.3 > 1.1"}); if any is, the legend explains hollow points with {@code flagLegend}.
     */
    SvgChart line(String name, long[] x, double[] y, double[] errors, boolean right, String[] flags,
            String flagLegend) {
        lines.add(new Line(name, x, y, errors, right, COLORS[lines.size() % COLORS.length], flags, flagLegend, null,
                null));
        return this;
    }

    /**
     * Adds a long series as the training UI's page draws it ({@link SeriesBuckets}): the mean of each bucket of
     * iterations, at most {@value SeriesBuckets#MAX_BUCKETS} of them, with each bucket's range shaded. A series
     * with one point per bucket is drawn as it is.
     */
    SvgChart series(String name, Series series, boolean right) {
        SeriesBuckets buckets = SeriesBuckets.of(series, SeriesBuckets.MAX_BUCKETS);
        if (buckets.buckets().stream().allMatch(b -> b.count() == 1)) {
            return line(name, series.iterations(), series.values(), null, right);
        }
        int n = buckets.buckets().size();
        long[] x = new long[n];
        double[] mean = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        int i = 0;
        for (SeriesBuckets.Bucket b : buckets.buckets()) {
            x[i] = Math.round(b.iteration());
            mean[i] = b.mean(0);
            low[i] = b.min(0);
            high[i] = b.max(0);
            i++;
        }
        lines.add(new Line(name + ", mean per " + buckets.width() + " iterations (shaded: range)", x, mean, null,
                right, COLORS[lines.size() % COLORS.length], null, null, low, high));
        return this;
    }

    /** Shades the iterations from..to behind the lines in a colour (e.g. {@code "rgba(44,160,44,0.12)"}), with hover text. */
    SvgChart band(long from, long to, String color, String text) {
        bands.add(new Band(from, to, color, text));
        return this;
    }

    /** Adds a vertical marker at an iteration, with hover text. */
    SvgChart marker(long x, String text) {
        return marker(x, text, null);
    }

    /** Adds a vertical marker at an iteration, with hover text and a label written at its top (in another colour). */
    SvgChart marker(long x, String text, String label) {
        markers.add(new Marker(x, text, label));
        return this;
    }

    boolean isEmpty() {
        return lines.stream().allMatch(l -> l.x().length == 0);
    }

    String toSvg() {
        double[] xr = xRange();
        double[] left = yRange(false);
        double[] right = yRange(true);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
                + " width=\"%d\" height=\"%d\" role=\"img\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\""
                + " stroke=\"#ccc\"/>%n", LEFT, TOP, plotWidth(), plotHeight()));
        axes(s, xr, left, right);
        for (Band b : bands) {
            double x0 = sx(b.from(), xr);
            s.append(String.format(Locale.ROOT, "<rect class=\"band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"%s\"><title>%s</title></rect>%n", x0, TOP, Math.max(0, sx(b.to(), xr) - x0),
                    plotHeight(), Html.escape(b.color()), Html.escape(b.text())));
        }
        for (Marker m : markers) {
            double x = sx(m.x(), xr);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-dasharray=\"4 3\"><title>%s</title></line>%n", x, TOP, x, TOP + plotHeight(),
                    m.label() == null ? "#999" : LABELLED_MARKER_COLOR, Html.escape(m.text())));
            if (m.label() != null) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s"
                        + "<title>%s</title></text>%n", x + 3, TOP + 11, LABELLED_MARKER_COLOR,
                        Html.escape(m.label()), Html.escape(m.text())));
            }
        }
        for (Line l : lines) {
            double[] yr = l.right() ? right : left;
            plot(s, l, xr, yr);
        }
        legend(s);
        s.append("</svg>\n");
        return s.toString();
    }

    private void plot(StringBuilder s, Line l, double[] xr, double[] yr) {
        if (l.low() != null) {
            range(s, l, xr, yr);
        }
        StringBuilder path = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < l.x().length; i++) {
            if (!Double.isFinite(l.y()[i])) {
                pen = false;
                continue;
            }
            path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", sx(l.x()[i], xr),
                    sy(l.y()[i], yr)));
            pen = true;
        }
        if (path.length() > 0) {
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
                    + "%s/>%n", path.toString().strip(), l.color(), l.right() ? " stroke-dasharray=\"6 3\"" : ""));
        }
        boolean dots = l.x().length <= 200;
        for (int i = 0; i < l.x().length; i++) {
            double y = l.y()[i];
            if (!Double.isFinite(y)) {
                continue;
            }
            double x = sx(l.x()[i], xr);
            double e = l.errors() == null ? Double.NaN : l.errors()[i];
            if (Double.isFinite(e) && e > 0) {
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                        + " stroke=\"%s\"/>%n", x, sy(y - e, yr), x, sy(y + e, yr), l.color()));
            }
            if (l.flagged(i)) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#fff\""
                        + " stroke=\"%s\" stroke-width=\"1.5\"><title>%s at iteration %d: %s - %s</title></circle>%n",
                        x, sy(y, yr), l.color(), Html.escape(l.name()), l.x()[i],
                        Format.withError(y, Double.isFinite(e) ? e : 0), Html.escape(l.flags()[i])));
            } else if (dots) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\">"
                        + "<title>%s at iteration %d: %s</title></circle>%n", x, sy(y, yr), l.color(),
                        Html.escape(l.name()), l.x()[i], Format.withError(y, Double.isFinite(e) ? e : 0)));
            }
        }
    }

    /** The shaded range of a line: a polygon along the highs and back along the lows, split at gaps. */
    private static void range(StringBuilder s, Line l, double[] xr, double[] yr) {
        int start = 0;
        while (start < l.x().length) {
            int end = start;
            while (end < l.x().length && Double.isFinite(l.low()[end]) && Double.isFinite(l.high()[end])) {
                end++;
            }
            if (end > start) {
                StringBuilder points = new StringBuilder();
                for (int i = start; i < end; i++) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx(l.x()[i], xr), sy(l.high()[i], yr)));
                }
                for (int i = end - 1; i >= start; i--) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx(l.x()[i], xr), sy(l.low()[i], yr)));
                }
                s.append(String.format(Locale.ROOT, "<polygon class=\"range\" points=\"%s\" fill=\"%s\" "
                        + "fill-opacity=\"0.25\" stroke=\"none\"/>%n", points.toString().strip(), l.color()));
            }
            start = end + 1;
        }
    }

    private void axes(StringBuilder s, double[] xr, double[] left, double[] right) {
        for (double t : ticks(xr)) {
            double x = sx(t, xr);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n", x, TOP, x,
                    TOP + plotHeight(), x, TOP + plotHeight() + 14, Format.num(t)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">"
                + "iteration</text>%n", LEFT + plotWidth() / 2, HEIGHT - 6));
        yAxis(s, left, LEFT - 6, "end", yLabel);
        if (lines.stream().anyMatch(Line::right)) {
            yAxis(s, right, LEFT + plotWidth() + 6, "start", y2Label);
        }
    }

    private void yAxis(StringBuilder s, double[] yr, int x, String anchor, String label) {
        boolean grid = anchor.equals("end");
        for (double t : ticks(yr)) {
            double y = sy(t, yr);
            if (grid) {
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
                        + " stroke=\"#eee\"/>", LEFT, y, LEFT + plotWidth(), y));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">%s"
                    + "</text>%n", x, y + 4, anchor, Format.num(t)));
        }
        int lx = grid ? 14 : WIDTH - 8;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 %d %d)\">%s</text>%n", lx, TOP + plotHeight() / 2, lx,
                TOP + plotHeight() / 2, Html.escape(label)));
    }

    private void legend(StringBuilder s) {
        int x = LEFT;
        for (Line l : lines) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"20\" font-size=\"12\">%s%s</text>%n", x, l.color(), x + 16,
                    Html.escape(l.name()), l.right() ? " (right axis)" : ""));
            x += 28 + 7 * (l.name().length() + (l.right() ? 13 : 0));
        }
        for (Line l : lines) {
            if (l.anyFlagged()) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"16\" r=\"4\" fill=\"#fff\""
                        + " stroke=\"%s\" stroke-width=\"1.5\"/><text x=\"%d\" y=\"20\" font-size=\"12\">%s</text>%n",
                        x + 6, l.color(), x + 16, Html.escape(l.flagLegend())));
                x += 28 + 7 * l.flagLegend().length();
            }
        }
    }

    private double[] xRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (long x : l.x()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        for (Marker m : markers) {
            lo = Math.min(lo, m.x());
            hi = Math.max(hi, m.x());
        }
        return padded(lo, hi, 0);
    }

    private double[] yRange(boolean right) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            if (l.right() != right) {
                continue;
            }
            for (int i = 0; i < l.y().length; i++) {
                double e = l.errors() == null || !Double.isFinite(l.errors()[i]) ? 0 : l.errors()[i];
                if (Double.isFinite(l.y()[i])) {
                    lo = Math.min(lo, l.y()[i] - e);
                    hi = Math.max(hi, l.y()[i] + e);
                }
                if (l.low() != null && Double.isFinite(l.low()[i])) {
                    lo = Math.min(lo, l.low()[i]);
                    hi = Math.max(hi, l.high()[i]);
                }
            }
        }
        return padded(lo, hi, 0.05);
    }

    /** The axis range of data from lo to hi, padded by the fraction of its span. */
    static double[] padded(double lo, double hi, double fraction) {
        if (!Double.isFinite(lo)) {
            return new double[] {0, 1};
        }
        if (hi - lo < 1e-12) {
            // A constant series: an axis from zero to a tenth past it (0 to 1 for zero), not one centred on it,
            // so a constant 0 does not look like a value in the middle of a range.
            return lo > 0 ? new double[] {0, 1.1 * hi} : lo < 0 ? new double[] {1.1 * lo, 0} : new double[] {0, 1};
        }
        double pad = (hi - lo) * fraction;
        return new double[] {lo - pad, hi + pad};
    }

    /** About five round tick values inside the range. */
    static List<Double> ticks(double[] range) {
        double span = range[1] - range[0];
        double raw = span / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            step = m * magnitude;
            if (step >= raw) {
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(range[0] / step) * step; t <= range[1] + step * 1e-9; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks;
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static double sx(double x, double[] xr) {
        return LEFT + (x - xr[0]) / (xr[1] - xr[0]) * plotWidth();
    }

    private static double sy(double y, double[] yr) {
        return TOP + plotHeight() - (y - yr[0]) / (yr[1] - yr[0]) * plotHeight();
    }
}
