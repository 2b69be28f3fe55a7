package org.slt4j.check;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks the run a JUnit 5 test hands over against a baseline file, recording the file the first time: on a test
 * method, or on a test class for every test method of it that takes a {@link RunUnderTest} parameter.
 * It registers {@link SltBaselineExtension}, which describes what happens when.
 * <pre>{@code
 * @Test
 * @SltBaseline(metrics = {"llc", "loss", "layer0/EFFECTIVE_WIDTH"})
 * void tinyClassifierTrainsAsBefore(RunUnderTest run) {
 *     ... train with an SltListener ...
 *     run.set(listener.history());
 * }
 * }</pre>
 * The attributes other than {@link #value()} matter only when the baseline is recorded; a check uses the
 * tolerances stored in the file.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@ExtendWith(SltBaselineExtension.class)
public @interface SltBaseline {

    /**
     * The baseline file. A relative path is resolved against the baseline directory (configuration parameter or
     * system property {@value SltBaselineExtension#DIRECTORY_PROPERTY}, default
     * {@value SltBaselineExtension#DEFAULT_DIRECTORY}); empty (the default) means
     * {@code <fully qualified test class name>/<test method name>.json} there.
     */
    String value() default "";

    /**
     * The metrics to record (names as in {@link RunBaseline}); empty (the default):
     * {@link RunBaseline#defaultMetrics}.
     */
    String[] metrics() default {};

    /** k: standard errors a change must exceed to regress, &gt;= 0. */
    double k() default 3;

    /** The fraction of the expected value a change must exceed to regress, &gt;= 0. */
    double relative() default 0.1;

    /** The absolute floor of the relative tolerance, &gt;= 0 (unit fractions get at least {@link #relative()}). */
    double absolute() default 0;
}
