package org.slt4j.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static long[] firing(Schedule s, long upTo) {
        return LongStream.rangeClosed(0, upTo).filter(s::firesAtIteration).toArray();
    }

    @Test
    void everyNIterationsFiresAtZeroAndEveryMultipleOfN() {
        assertThat(firing(Schedule.everyNIterations(5), 21)).containsExactly(0, 5, 10, 15, 20);
        assertThat(firing(Schedule.everyNIterations(1), 3)).containsExactly(0, 1, 2, 3);
        assertThat(Schedule.everyNIterations(5).firesAtEpochEnd(4)).isFalse();
    }

    @Test
    void everyNEpochsFiresAtTheEndOfEveryNthCompletedEpochOnly() {
        Schedule s = Schedule.everyNEpochs(2);
        assertThat(s.firesAtEpochEnd(0)).isFalse();
        assertThat(s.firesAtEpochEnd(1)).isTrue();
        assertThat(s.firesAtEpochEnd(2)).isFalse();
        assertThat(s.firesAtEpochEnd(3)).isTrue();
        assertThat(firing(s, 100)).isEmpty();
    }

    @Test
    void explicitIterationsFireExactlyThere() {
        assertThat(firing(Schedule.atIterations(7, 3, 3, 50), 60)).containsExactly(3, 7, 50);
    }

    @Test
    void logSpacedFiresAtTheFirstIterationPastEachGridPoint() {
        assertThat(firing(Schedule.logSpaced(4), 1000))
                .containsExactly(0, 1, 2, 4, 6, 10, 18, 32, 57, 100, 178, 317, 563, 1000);
        assertThat(firing(Schedule.logSpaced(1), 10_000)).containsExactly(0, 1, 10, 100, 1000, 10_000);
    }

    @Test
    void neverNeverFires() {
        assertThat(firing(Schedule.never(), 1000)).isEmpty();
        assertThat(Schedule.never().firesAtEpochEnd(0)).isFalse();
    }

    @Test
    void invalidSchedulesAreRejectedNamingTheParameterAndValue() {
        assertThatThrownBy(() -> Schedule.everyNIterations(0)).hasMessage("everyNIterations must be > 0 (got: 0)");
        assertThatThrownBy(() -> Schedule.everyNEpochs(-1)).hasMessage("everyNEpochs must be > 0 (got: -1)");
        assertThatThrownBy(() -> Schedule.logSpaced(0)).hasMessage("pointsPerDecade must be > 0 (got: 0)");
        assertThatThrownBy(() -> Schedule.atIterations(-2, 4)).hasMessage("atIterations must be >= 0 (got: -2)");
        assertThatThrownBy(Schedule::atIterations).hasMessageContaining("at least one");
    }

    @Test
    void schedulesDescribeThemselves() {
        assertThat(Schedule.everyNIterations(500)).hasToString("every 500 iterations");
        assertThat(Schedule.logSpaced(4)).hasToString("log-spaced, 4 per decade");
    }
}
