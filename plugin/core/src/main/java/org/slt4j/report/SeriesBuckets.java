package org.slt4j.report;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A long iteration series downsampled for display, exactly and incrementally: the page of the training UI and the
 * HTML report draw a bucket's mean as the line and its minimum and maximum as an envelope, so a spike stays visible
 * at any length while a series never has more than {@code maxBuckets} points. The full resolution stays in the
 * records.
 *
 * <p>The buckets are fixed: bucket {@code i} holds the iterations {@code [i w, (i + 1) w)} for a width {@code w}
 * that is a power of two. It starts at 1, so a short series is drawn point for point, and doubles whenever an
 * iteration falls beyond the last bucket: then buckets {@code 2j} and {@code 2j + 1} merge into bucket {@code j}.
 * Each bucket keeps sums, counts, minima and maxima, so a merge is exact, and it is always the same computation
 * ({@code sum(2j) + sum(2j + 1)}): a client that holds the buckets of an earlier width and merges them the same way
 * gets the same doubles as the server, bit for bit. A bucket also carries the version of its last change (a
 * merged one the later of its two), so a client polling {@link #changedSince(long)} can update only what changed.
 *
 * <p>A bucket has one or more channels (the loss has the data loss and the score), each with its own count of
 * finite values: NaN and infinite values are left out, and a channel without finite values has a NaN mean.
 *
 * <p>An accumulator, not thread-safe: callers synchronize.
 */
public final class SeriesBuckets {
    /** The most buckets a series is drawn with (the page and the report). */
    public static final int MAX_BUCKETS = 2000;

    private final int channels;
    private final int maxBuckets;
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    private long width = 1;
    private long widthVersion;

    /**
     * An empty series.
     *
     * @param channels   values per point, at least 1
     * @param maxBuckets the most buckets, at least 2
     * @throws IllegalArgumentException if either is too small
     */
    public SeriesBuckets(int channels, int maxBuckets) {
        Preconditions.checkArgument(channels >= 1, "channels must be >= 1 (got: %s)", channels);
        Preconditions.checkArgument(maxBuckets >= 2, "maxBuckets must be >= 2 (got: %s)", maxBuckets);
        this.channels = channels;
        this.maxBuckets = maxBuckets;
    }

    /**
     * The series downsampled at once, one channel: what the HTML report draws.
     *
     * @param series     any series
     * @param maxBuckets the most buckets, at least 2
     */
    public static SeriesBuckets of(Series series, int maxBuckets) {
        SeriesBuckets b = new SeriesBuckets(1, maxBuckets);
        long[] x = series.iterations();
        double[] y = series.values();
        for (int i = 0; i < x.length; i++) {
            b.add(x[i], 0, y[i]);
        }
        return b;
    }

    /**
     * Adds a point, doubling the width first as often as its iteration requires.
     *
     * @param iteration the point's iteration, &gt;= 0
     * @param version   the change counter of the caller (see {@link Bucket#version()}); 0 when not polled
     * @param values    one value per channel
     * @throws IllegalArgumentException if the iteration is negative or the values do not match the channels
     */
    public void add(long iteration, long version, double... values) {
        Preconditions.checkArgument(iteration >= 0, "iteration must be >= 0 (got: %s)", iteration);
        Preconditions.checkArgument(values.length == channels, "expected %s values (got: %s)", channels,
                values.length);
        while (iteration / width >= maxBuckets) {
            doubleWidth(version);
        }
        buckets.computeIfAbsent(iteration / width, i -> new Bucket(i, channels)).add(iteration, version, values);
    }

    /** The width of a bucket in iterations: a power of two, 1 until the series outgrows {@code maxBuckets}. */
    public long width() {
        return width;
    }

    /** The version at which the width last doubled; 0 if it never did. */
    public long widthVersion() {
        return widthVersion;
    }

    /** The number of channels. */
    public int channels() {
        return channels;
    }

    /** The non-empty buckets, by index. */
    public Collection<Bucket> buckets() {
        return Collections.unmodifiableCollection(buckets.values());
    }

    /** The buckets changed after the given version, by index. */
    public List<Bucket> changedSince(long version) {
        List<Bucket> changed = new ArrayList<>();
        for (Bucket b : buckets.values()) {
            if (b.version > version) {
                changed.add(b);
            }
        }
        return changed;
    }

    private void doubleWidth(long version) {
        TreeMap<Long, Bucket> merged = new TreeMap<>();
        for (Bucket b : buckets.values()) {
            Bucket left = merged.get(b.index / 2);
            if (left == null) {
                b.index /= 2;
                merged.put(b.index, b);
            } else {
                left.absorb(b);
            }
        }
        buckets.clear();
        buckets.putAll(merged);
        width *= 2;
        widthVersion = version;
    }

    /** One bucket: counts, sums, minima and maxima of its points. Read-only to callers. */
    public static final class Bucket {
        private long index;
        private long count;
        private long iterationSum;
        private long version;
        private final long[] finite;
        private final double[] sum;
        private final double[] min;
        private final double[] max;

        private Bucket(long index, int channels) {
            this.index = index;
            this.finite = new long[channels];
            this.sum = new double[channels];
            this.min = new double[channels];
            this.max = new double[channels];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        private void add(long iteration, long version, double[] values) {
            count++;
            iterationSum += iteration;
            this.version = Math.max(this.version, version);
            for (int c = 0; c < values.length; c++) {
                double v = values[c];
                if (Double.isFinite(v)) {
                    finite[c]++;
                    sum[c] += v;
                    min[c] = Math.min(min[c], v);
                    max[c] = Math.max(max[c], v);
                }
            }
        }

        /** Merges the next bucket (the one with index + 1 at the old width) into this one. */
        private void absorb(Bucket right) {
            count += right.count;
            iterationSum += right.iterationSum;
            version = Math.max(version, right.version);
            for (int c = 0; c < sum.length; c++) {
                finite[c] += right.finite[c];
                sum[c] = sum[c] + right.sum[c];
                min[c] = Math.min(min[c], right.min[c]);
                max[c] = Math.max(max[c], right.max[c]);
            }
        }

        /** The bucket's index: it holds iterations {@code [index * width, (index + 1) * width)}. */
        public long index() {
            return index;
        }

        /** The number of points. */
        public long count() {
            return count;
        }

        /** The sum of the points' iterations (exact). */
        public long iterationSum() {
            return iterationSum;
        }

        /** The mean iteration of the points: where the bucket is drawn. */
        public double iteration() {
            return (double) iterationSum / count;
        }

        /** The version of the bucket's last change (of either bucket it was merged from). */
        public long version() {
            return version;
        }

        /** The number of finite values of a channel. */
        public long finite(int channel) {
            return finite[channel];
        }

        /** The sum of a channel's finite values. */
        public double sum(int channel) {
            return sum[channel];
        }

        /** The mean of a channel's finite values; NaN when it has none. */
        public double mean(int channel) {
            return finite[channel] == 0 ? Double.NaN : sum[channel] / finite[channel];
        }

        /** The least finite value of a channel; NaN when it has none. */
        public double min(int channel) {
            return finite[channel] == 0 ? Double.NaN : min[channel];
        }

        /** The greatest finite value of a channel; NaN when it has none. */
        public double max(int channel) {
            return finite[channel] == 0 ? Double.NaN : max[channel];
        }
    }
}
