package org.slt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionOptionTest {

    @Test
    void versionPrintsTheBuiltVersionsOfSlt4jAndDl4j() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(SltCli.EXIT_OK);
        assertThat(run.out().strip()).matches("slt4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Deeplearning4j 1\\.0\\.0-M2\\.1, "
                + "Java 17[0-9.]*\\)");
    }
}
