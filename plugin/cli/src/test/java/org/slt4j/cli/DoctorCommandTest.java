package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoctorCommandTest {

    @Test
    void doctorPrintsThePlatformAndEndsWithTheVerdict() {
        CliRun run = CliRun.of("doctor");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out()).as(run.toString())
                .containsPattern("(?m)^Java: +17")
                .containsPattern("(?m)^ND4J backend: +CPU, data type FLOAT$")
                .containsPattern("(?m)^BLAS: +OPENBLAS \\d+\\.\\d+\\.\\d+, \\d+ thread")
                .containsPattern("(?m)^OpenBLAS kernels: +\\w+$")
                .containsPattern("(?m)^Vector extensions: +.*sse4_2")
                .containsPattern("(?m)^OPENBLAS_CORETYPE: ")
                .containsPattern("(?m)^OMP_NUM_THREADS: +1$");
        String[] lines = run.out().strip().split("\\R");
        assertThat(lines[lines.length - 1])
                .matches("Verdict: (MATCHED|NARROWER|FALLBACK): OpenBLAS uses its \\w+ kernels.*");
    }
}
