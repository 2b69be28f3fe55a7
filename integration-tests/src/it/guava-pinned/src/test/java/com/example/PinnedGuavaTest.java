package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.common.collect.ImmutableList;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slt4j.report.RunHistory;

/** The user's Guava stays the user's, and slt4j runs beside it. */
class PinnedGuavaTest {

    @Test
    void theUsersGuavaIsTheOneOnTheClasspath() throws Exception {
        Properties pom = new Properties();
        try (InputStream in = ImmutableList.class.getResourceAsStream(
                "/META-INF/maven/com.google.guava/guava/pom.properties")) {
            pom.load(in);
        }
        assertEquals(System.getProperty("users.guava.version"), pom.getProperty("version"));
    }

    @Test
    void theListenerRunsBesideIt() {
        RunHistory run = Tiny.trainWithListener(5);
        assertFalse(run.llcRecords().isEmpty(), "LLC records");
        assertFalse(run.symmetryRecords().isEmpty(), "symmetry records");
        assertEquals(ImmutableList.of(), ImmutableList.copyOf(run.failures()), "failures");
    }
}
