package org.slt4j.symmetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slt4j.symmetry.SymmetryEvent.Kind;

class SymmetryTrackerTest {

    private final SymmetryTracker tracker = new SymmetryTracker.Builder().persistence(3).build();

    private static SymmetrySnapshot snap(long iteration, LayerSymmetry.Builder layer) {
        return SymmetrySnapshot.of(iteration, SymmetryThresholds.defaults(), List.of(layer.build()), List.of(), 1000);
    }

    private static LayerSymmetry.Builder layer() {
        return new LayerSymmetry.Builder("h", 6).numericalRank(6);
    }

    private List<SymmetryEvent> feed(SymmetrySnapshot... snapshots) {
        List<SymmetryEvent> all = new ArrayList<>();
        for (SymmetrySnapshot s : snapshots) {
            all.addAll(tracker.update(s));
        }
        return all;
    }

    @Test
    void aFlickeringDeadUnitEmitsNothing() {
        List<SymmetryEvent> events = feed(snap(0, layer()), snap(10, layer().deadUnits(1)), snap(20, layer()),
                snap(30, layer().deadUnits(1)), snap(40, layer().deadUnits(1)), snap(50, layer()),
                snap(60, layer().deadUnits(1)));

        assertThat(events).isEmpty();
    }

    @Test
    void aPersistentDeathEmitsOneEventDatedAtItsFirstAppearance() {
        feed(snap(0, layer()), snap(10, layer().deadUnits(1, 4)), snap(20, layer().deadUnits(1, 4)));
        List<SymmetryEvent> confirmed = tracker.update(snap(30, layer().deadUnits(1, 4)));
        List<SymmetryEvent> later = feed(snap(40, layer().deadUnits(1, 4)), snap(50, layer().deadUnits(1, 4)));

        assertThat(confirmed).containsExactly(
                new SymmetryEvent(Kind.UNIT_DIED, "h", new int[] {1, 4}, 10, 30, 0, 2),
                new SymmetryEvent(Kind.WIDTH_DROPPED, "h", new int[0], 10, 30, 6, 4));
        assertThat(confirmed.get(0).kind().isFormation()).isTrue();
        assertThat(confirmed.get(0).description())
                .isEqualTo("layer h: units [1, 4] died at iteration 10 (confirmed at 30): 0 -> 2");
        assertThat(later).isEmpty();
    }

    @Test
    void anInterruptedChangeRestartsItsFirstSeenIteration() {
        List<SymmetryEvent> events = feed(snap(0, layer()), snap(10, layer().deadUnits(2)),
                snap(20, layer().deadUnits(2)), snap(30, layer()), snap(40, layer().deadUnits(2)),
                snap(50, layer().deadUnits(2)), snap(60, layer().deadUnits(2)));

        assertThat(events).filteredOn(e -> e.kind() == Kind.UNIT_DIED).singleElement()
                .satisfies(e -> {
                    assertThat(e.iteration()).isEqualTo(40);
                    assertThat(e.confirmedIteration()).isEqualTo(60);
                });
    }

    @Test
    void aRevivalAfterConfirmedDeathEmitsABreakingEvent() {
        List<SymmetryEvent> events = feed(snap(0, layer()), snap(1, layer().deadUnits(3)),
                snap(2, layer().deadUnits(3)), snap(3, layer().deadUnits(3)), snap(4, layer()), snap(5, layer()),
                snap(6, layer()));

        assertThat(events).extracting(SymmetryEvent::kind)
                .containsExactly(Kind.UNIT_DIED, Kind.WIDTH_DROPPED, Kind.UNIT_REVIVED, Kind.WIDTH_ROSE);
        SymmetryEvent revived = events.get(2);
        assertThat(revived.kind().isFormation()).isFalse();
        assertThat(revived.units()).containsExactly(3);
        assertThat(revived.iteration()).isEqualTo(4);
        assertThat(revived.confirmedIteration()).isEqualTo(6);
        assertThat(revived.before()).isEqualTo(1);
        assertThat(revived.after()).isEqualTo(0);
    }

    @Test
    void unitsThatMergeAndLaterSplitEmitMergedThenSplit() {
        LayerSymmetry.Builder merged = layer().duplicateClusters(List.of(new int[] {0, 5}));
        List<SymmetryEvent> events = feed(snap(0, layer()), snap(1, merged), snap(2, merged), snap(3, merged),
                snap(4, layer()), snap(5, layer()), snap(6, layer()));

        assertThat(events).filteredOn(e -> e.kind() == Kind.UNITS_MERGED || e.kind() == Kind.UNITS_SPLIT)
                .extracting(SymmetryEvent::kind, e -> e.units().length, SymmetryEvent::iteration)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.UNITS_MERGED, 2, 1L),
                        org.assertj.core.groups.Tuple.tuple(Kind.UNITS_SPLIT, 2, 4L));
    }

    @Test
    void aRankDropIsConfirmedAcrossScansWithoutSpectrumAndReportsTheLatestRank() {
        List<SymmetryEvent> events = feed(snap(0, layer()), snap(1, layer().numericalRank(4)),
                snap(2, layer().numericalRank(-1)), snap(3, layer().numericalRank(3)),
                snap(4, layer().numericalRank(3)));

        assertThat(events).containsExactly(new SymmetryEvent(Kind.RANK_DROPPED, "h", new int[0], 1, 4, 6, 3));
    }

    @Test
    void theFirstSnapshotIsTheBaselineAndEmitsNothing() {
        assertThat(tracker.update(snap(0, layer().deadUnits(0, 1).numericalRank(2)))).isEmpty();
    }

    @Test
    void persistenceOneEmitsImmediatelyAndZeroIsRejected() {
        SymmetryTracker eager = new SymmetryTracker.Builder().persistence(1).build();
        eager.update(snap(0, layer()));

        assertThat(eager.update(snap(1, layer().zeroOutgoingUnits(2)))).extracting(SymmetryEvent::kind)
                .containsExactly(Kind.UNIT_DISCONNECTED, Kind.WIDTH_DROPPED);
        assertThatThrownBy(() -> new SymmetryTracker.Builder().persistence(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("persistence must be >= 1 (got: 0)");
    }
}
