package org.slt4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeriesBucketsTest {
    @Test
    void aShortSeriesKeepsEveryPointAsItIs() {
        SeriesBuckets b = new SeriesBuckets(1, 10);
        for (int i = 0; i < 10; i++) {
            b.add(i, 1, i * 0.5);
        }

        assertThat(b.width()).isEqualTo(1);
        assertThat(b.buckets()).hasSize(10).allSatisfy(x -> {
            assertThat(x.count()).isEqualTo(1);
            assertThat(x.iteration()).isEqualTo(x.index());
            assertThat(x.mean(0)).isEqualTo(x.index() * 0.5).isEqualTo(x.min(0)).isEqualTo(x.max(0));
        });
    }

    @Test
    void theWidthDoublesSoThatThereAreNeverMoreBucketsThanTheLimitAndEachHoldsItsIterations() {
        SeriesBuckets b = new SeriesBuckets(1, 2000);
        for (long i = 0; i < 1_000_000; i++) {
            b.add(i, 0, 1.0);
        }

        assertThat(b.width()).isEqualTo(512);
        assertThat(b.buckets()).hasSize(1954).allSatisfy(x -> {
            long first = x.index() * 512;
            long last = Math.min(first + 511, 999_999);
            assertThat(x.count()).isEqualTo(last - first + 1);
            assertThat(x.iteration()).isEqualTo((first + last) / 2.0);
        });
    }

    @Test
    void theEnvelopeKeepsASpikeThatTheMeanHides() {
        SeriesBuckets b = new SeriesBuckets(1, 2000);
        for (long i = 0; i < 1_000_000; i++) {
            b.add(i, 0, i == 777_777 ? 100.0 : 1.0);
        }

        SeriesBuckets.Bucket spiked = b.buckets().stream().filter(x -> x.index() == 777_777 / 512).findFirst()
                .orElseThrow();
        assertThat(spiked.max(0)).isEqualTo(100.0);
        assertThat(spiked.min(0)).isEqualTo(1.0);
        assertThat(spiked.mean(0)).isLessThan(1.2);
        assertThat(b.buckets()).filteredOn(x -> x != spiked).allSatisfy(x -> assertThat(x.max(0)).isEqualTo(1.0));
    }

    @Test
    void nonFiniteValuesAreLeftOutOfTheirChannelOnly() {
        SeriesBuckets b = new SeriesBuckets(2, 4);
        b.add(0, 1, Double.NaN, 3.0);
        b.add(1, 1, Double.POSITIVE_INFINITY, 5.0);

        SeriesBuckets.Bucket only = b.buckets().iterator().next();
        assertThat(b.width()).isEqualTo(1);
        SeriesBuckets.Bucket second = b.buckets().stream().skip(1).findFirst().orElseThrow();
        assertThat(only.finite(0)).isZero();
        assertThat(only.mean(0)).isNaN();
        assertThat(only.min(0)).isNaN();
        assertThat(only.mean(1)).isEqualTo(3.0);
        assertThat(second.finite(0)).isZero();
        assertThat(second.count()).isEqualTo(1);
    }

    /**
     * The protocol of the page: a client holds the buckets of an earlier version, merges them pairwise when the width
     * has doubled, then replaces the buckets changed since its version. It must end with exactly the server's
     * buckets, every double bit for bit, whatever happened in between (this is what slt.js does).
     */
    @Test
    void aClientThatMergesItsOldBucketsAndTakesTheChangedOnesEndsWithExactlyTheServersBuckets() {
        Random random = new Random(7);
        SeriesBuckets server = new SeriesBuckets(2, 50);
        Map<Long, double[]> client = new TreeMap<>();
        long clientWidth = 1;
        long iteration = 0;
        for (long version = 1; version <= 40; version++) {
            int points = random.nextInt(200);
            for (int i = 0; i < points; i++) {
                iteration += 1 + random.nextInt(3);
                double v = random.nextDouble() < 0.05 ? Double.NaN : Math.exp(random.nextGaussian());
                server.add(iteration, version, v, 1 / (1 + random.nextDouble()));
            }
            if (version % 3 != 0) {
                continue;   // the client polls now and then
            }
            long since = version - 3;
            while (clientWidth < server.width()) {
                client = merged(client);
                clientWidth *= 2;
            }
            for (SeriesBuckets.Bucket b : server.changedSince(since)) {
                client.put(b.index(), fields(b));
            }
            assertThat(client.keySet()).containsExactlyElementsOf(
                    server.buckets().stream().map(SeriesBuckets.Bucket::index).toList());
            for (SeriesBuckets.Bucket b : server.buckets()) {
                assertThat(client.get(b.index())).as("bucket %s at version %s", b.index(), version)
                        .containsExactly(fields(b));
            }
        }
        assertThat(server.width()).isGreaterThanOrEqualTo(256);
    }

    @Test
    void aMergedBucketCarriesTheLaterVersionOfTheTwo() {
        SeriesBuckets b = new SeriesBuckets(1, 2);
        b.add(0, 1, 1.0);
        b.add(1, 5, 2.0);
        b.add(2, 3, 4.0);

        assertThat(b.width()).isEqualTo(2);
        assertThat(b.widthVersion()).isEqualTo(3);
        assertThat(b.changedSince(4)).extracting(SeriesBuckets.Bucket::index).containsExactly(0L);
        assertThat(b.changedSince(2)).extracting(SeriesBuckets.Bucket::index).containsExactly(0L, 1L);
        assertThat(b.buckets().iterator().next().sum(0)).isEqualTo(3.0);
    }

    @Test
    void ofDownsamplesASeriesAtOnce() {
        long[] x = new long[5000];
        double[] y = new double[5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = i % 2;
        }

        SeriesBuckets b = SeriesBuckets.of(new Series("loss", x, y, new double[x.length]), 1000);

        assertThat(b.width()).isEqualTo(8);
        assertThat(b.buckets()).hasSize(625).allSatisfy(bucket -> assertThat(bucket.mean(0)).isEqualTo(0.5));
    }

    @Test
    void badInputIsRefused() {
        SeriesBuckets b = new SeriesBuckets(2, 10);

        assertThatThrownBy(() -> b.add(-1, 0, 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iteration must be >= 0");
        assertThatThrownBy(() -> b.add(0, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 values");
        assertThatThrownBy(() -> new SeriesBuckets(0, 10)).hasMessageContaining("channels");
        assertThatThrownBy(() -> new SeriesBuckets(1, 1)).hasMessageContaining("maxBuckets");
    }

    /** Pairwise merge, as the page does it: buckets 2j and 2j + 1, in that order. */
    private static Map<Long, double[]> merged(Map<Long, double[]> buckets) {
        Map<Long, double[]> out = new TreeMap<>();
        buckets.forEach((index, right) -> out.merge(index / 2, right.clone(), (left, r) -> {
            double[] m = left.clone();
            m[0] += r[0];
            m[1] += r[1];
            for (int c = 0; c < 2; c++) {
                int at = 2 + 4 * c;
                m[at] += r[at];
                m[at + 1] = m[at + 1] + r[at + 1];
                m[at + 2] = Double.isNaN(m[at + 2]) ? r[at + 2] : Double.isNaN(r[at + 2]) ? m[at + 2]
                        : Math.min(m[at + 2], r[at + 2]);
                m[at + 3] = Double.isNaN(m[at + 3]) ? r[at + 3] : Double.isNaN(r[at + 3]) ? m[at + 3]
                        : Math.max(m[at + 3], r[at + 3]);
            }
            return m;
        }));
        return out;
    }

    /** Count, iteration sum, then per channel finite count, sum, min and max: what the page receives. */
    private static double[] fields(SeriesBuckets.Bucket b) {
        List<Double> f = new ArrayList<>(List.of((double) b.count(), (double) b.iterationSum()));
        for (int c = 0; c < 2; c++) {
            f.addAll(List.of((double) b.finite(c), b.sum(c), b.min(c), b.max(c)));
        }
        return f.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
