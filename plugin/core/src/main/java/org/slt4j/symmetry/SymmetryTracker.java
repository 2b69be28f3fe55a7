package org.slt4j.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Turns successive {@link SymmetrySnapshot}s of one training run into {@link SymmetryEvent}s, with hysteresis: a
 * change is emitted only after it has been seen in {@code persistence} consecutive scans, so a state that flickers
 * emits nothing. Unit i is assumed to stay unit i across scans (true within one training run).
 *
 * <p>Tracked per layer: each unit's dead, zero (incoming or outgoing), always-active and duplicated flags, the
 * effective width and the numerical rank. The first snapshot in which a layer appears (or appears with a
 * different width) is its baseline: states present there emit no events. A rank of -1 (spectrum not computed)
 * is no observation: it neither confirms nor interrupts a pending rank change. Events of one update are ordered
 * by layer (snapshot order), then quantity (dead, zero, always-active, duplicated, width, rank), then first-seen
 * iteration. Several units confirmed by the same scan with the same first-seen iteration share one event.
 *
 * <p>Deterministic; not thread-safe: feed it from one thread (a listener calls it from the training thread or
 * from its single scan executor).
 */
public final class SymmetryTracker {

    private final int persistence;
    private final Map<String, LayerState> layers = new HashMap<>();

    private SymmetryTracker(Builder b) {
        this.persistence = b.persistence;
    }

    /** @return the number of consecutive scans a change must persist before it is emitted */
    public int persistence() {
        return persistence;
    }

    /**
     * @param next the next snapshot, in training order
     * @return the events this snapshot confirms (possibly none)
     */
    public List<SymmetryEvent> update(SymmetrySnapshot next) {
        List<SymmetryEvent> events = new ArrayList<>();
        for (LayerSymmetry l : next.layers()) {
            LayerState state = layers.get(l.layerName());
            if (state == null || state.units != l.units()) {
                layers.put(l.layerName(), new LayerState(l));
            } else {
                state.update(l, next.iteration(), events);
            }
        }
        return events;
    }

    private final class LayerState {
        private final int units;
        private final FlagTracker dead;
        private final FlagTracker zero;
        private final FlagTracker alwaysActive;
        private final FlagTracker duplicated;
        private final ScalarTracker width;
        private final ScalarTracker rank;

        LayerState(LayerSymmetry l) {
            units = l.units();
            dead = new FlagTracker(flags(l.units(), l.deadUnits()), SymmetryEvent.Kind.UNIT_DIED,
                    SymmetryEvent.Kind.UNIT_REVIVED);
            zero = new FlagTracker(zeroFlags(l), SymmetryEvent.Kind.UNIT_DISCONNECTED,
                    SymmetryEvent.Kind.UNIT_RECONNECTED);
            alwaysActive = new FlagTracker(flags(l.units(), l.alwaysActiveUnits()), SymmetryEvent.Kind.UNIT_LINEARIZED,
                    SymmetryEvent.Kind.UNIT_DELINEARIZED);
            duplicated = new FlagTracker(duplicateFlags(l), SymmetryEvent.Kind.UNITS_MERGED,
                    SymmetryEvent.Kind.UNITS_SPLIT);
            width = new ScalarTracker(l.effectiveWidth(), SymmetryEvent.Kind.WIDTH_DROPPED,
                    SymmetryEvent.Kind.WIDTH_ROSE);
            rank = new ScalarTracker(l.numericalRank(), SymmetryEvent.Kind.RANK_DROPPED, SymmetryEvent.Kind.RANK_ROSE);
        }

        void update(LayerSymmetry l, long iteration, List<SymmetryEvent> out) {
            String name = l.layerName();
            dead.update(flags(units, l.deadUnits()), iteration, name, out);
            zero.update(zeroFlags(l), iteration, name, out);
            alwaysActive.update(flags(units, l.alwaysActiveUnits()), iteration, name, out);
            duplicated.update(duplicateFlags(l), iteration, name, out);
            width.update(l.effectiveWidth(), iteration, name, out);
            rank.update(l.numericalRank(), iteration, name, out);
        }
    }

    /** Per-unit boolean state with hysteresis. */
    private final class FlagTracker {
        private final boolean[] confirmed;
        private final long[] pendingSince;
        private final int[] pendingScans;
        private final SymmetryEvent.Kind onKind;
        private final SymmetryEvent.Kind offKind;

        FlagTracker(boolean[] baseline, SymmetryEvent.Kind onKind, SymmetryEvent.Kind offKind) {
            this.confirmed = baseline;
            this.pendingSince = new long[baseline.length];
            this.pendingScans = new int[baseline.length];
            this.onKind = onKind;
            this.offKind = offKind;
        }

        void update(boolean[] observed, long iteration, String layer, List<SymmetryEvent> out) {
            // firstSeen -> units, per direction; TreeMap keeps events in first-seen order.
            Map<Long, List<Integer>> turnedOn = new TreeMap<>();
            Map<Long, List<Integer>> turnedOff = new TreeMap<>();
            for (int i = 0; i < confirmed.length; i++) {
                if (observed[i] == confirmed[i]) {
                    pendingScans[i] = 0;
                    continue;
                }
                if (pendingScans[i] == 0) {
                    pendingSince[i] = iteration;
                }
                if (++pendingScans[i] >= persistence) {
                    (observed[i] ? turnedOn : turnedOff).computeIfAbsent(pendingSince[i], k -> new ArrayList<>())
                            .add(i);
                    pendingScans[i] = 0;
                }
            }
            int count = count();
            for (Map.Entry<Long, List<Integer>> e : turnedOn.entrySet()) {
                count = emit(e, true, count, iteration, layer, out);
            }
            for (Map.Entry<Long, List<Integer>> e : turnedOff.entrySet()) {
                count = emit(e, false, count, iteration, layer, out);
            }
        }

        private int emit(Map.Entry<Long, List<Integer>> group, boolean on, int before, long iteration, String layer,
                         List<SymmetryEvent> out) {
            int[] units = group.getValue().stream().mapToInt(Integer::intValue).toArray();
            for (int u : units) {
                confirmed[u] = on;
            }
            int after = before + (on ? units.length : -units.length);
            out.add(new SymmetryEvent(on ? onKind : offKind, layer, units, group.getKey(), iteration, before, after));
            return after;
        }

        private int count() {
            return (int) IntStream.range(0, confirmed.length).filter(i -> confirmed[i]).count();
        }
    }

    /** An integer quantity (width, rank) with hysteresis on the direction of change. */
    private final class ScalarTracker {
        private int confirmed;
        private int pendingDirection;
        private long pendingSince;
        private int pendingScans;
        private final SymmetryEvent.Kind dropKind;
        private final SymmetryEvent.Kind riseKind;

        ScalarTracker(int baseline, SymmetryEvent.Kind dropKind, SymmetryEvent.Kind riseKind) {
            this.confirmed = baseline;
            this.dropKind = dropKind;
            this.riseKind = riseKind;
        }

        void update(int value, long iteration, String layer, List<SymmetryEvent> out) {
            if (value < 0) {
                return;
            }
            if (confirmed < 0) {
                confirmed = value;
                return;
            }
            int direction = Integer.signum(value - confirmed);
            if (direction == 0) {
                pendingScans = 0;
                return;
            }
            if (pendingScans == 0 || direction != pendingDirection) {
                pendingDirection = direction;
                pendingSince = iteration;
                pendingScans = 0;
            }
            if (++pendingScans >= persistence) {
                out.add(new SymmetryEvent(direction < 0 ? dropKind : riseKind, layer, new int[0], pendingSince,
                        iteration, confirmed, value));
                confirmed = value;
                pendingScans = 0;
            }
        }
    }

    private static boolean[] flags(int units, int[] indices) {
        boolean[] f = new boolean[units];
        Arrays.stream(indices).forEach(i -> f[i] = true);
        return f;
    }

    private static boolean[] zeroFlags(LayerSymmetry l) {
        boolean[] f = flags(l.units(), l.zeroIncomingUnits());
        Arrays.stream(l.zeroOutgoingUnits()).forEach(i -> f[i] = true);
        return f;
    }

    private static boolean[] duplicateFlags(LayerSymmetry l) {
        boolean[] f = new boolean[l.units()];
        l.duplicateClusters().forEach(c -> Arrays.stream(c).forEach(i -> f[i] = true));
        return f;
    }

    /** Builder for {@link SymmetryTracker}. */
    public static final class Builder {
        private int persistence = 3;

        /** A builder with persistence 3. */
        public Builder() {
        }

        /**
         * @param scans consecutive scans a change must persist before it is emitted (default 3; 1 = no hysteresis)
         * @return this builder
         */
        public Builder persistence(int scans) {
            this.persistence = scans;
            return this;
        }

        /**
         * @return the tracker
         * @throws IllegalArgumentException if persistence &lt; 1
         */
        public SymmetryTracker build() {
            if (persistence < 1) {
                throw new IllegalArgumentException("persistence must be >= 1 (got: " + persistence + ")");
            }
            return new SymmetryTracker(this);
        }
    }
}
