package org.slt4j.check;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slt4j.check.BaselineCheck.MetricResult;
import org.slt4j.report.RunHistory;

/**
 * A JUnit 5 extension that checks a test's training run against a committed baseline: a test method declares a
 * {@link RunUnderTest} parameter, which this extension supplies, and hands it the run; after the method returns, the
 * extension
 * <ul>
 *   <li>checks the run against the baseline file when it exists, and fails the test when a metric regressed, with
 *       a message listing every metric that moved (expected, found, change, allowed) and the whole table;</li>
 *   <li>records the baseline into the file when it does not exist yet, or when the configuration parameter
 *       {@value #RECORD_PROPERTY} is {@code true} (re-record after an intended change, then commit the files);</li>
 *   <li>fails instead of recording when the file is missing in CI: where the configuration parameter
 *       {@value #CI_PROPERTY} is {@code true}, or, when it is not set, where the environment variable {@code CI} is
 *       {@code true} (as GitHub Actions and GitLab CI set it), so a baseline that was never committed cannot pass
 *       unnoticed.</li>
 * </ul>
 * A test that failed by itself is neither checked nor recorded; a test that takes a {@link RunUnderTest} and hands
 * it no run fails. Settings come from {@link SltBaseline} on the method, its class or an enclosing class (without
 * one: the annotation's defaults). Configuration parameters are JUnit's: set them in
 * {@code junit-platform.properties} or as JVM system properties ({@code mvn test -Dslt4j.recordBaselines=true}).
 * Register the extension with {@link SltBaseline}, or with {@code @ExtendWith(SltBaselineExtension.class)}.
 *
 * <p>Needs {@code org.junit.jupiter:junit-jupiter-api} 5.x on the test classpath, an optional dependency of slt4j.
 */
public final class SltBaselineExtension implements ParameterResolver, AfterTestExecutionCallback {
    /** Configuration parameter: {@code true} records every baseline again, replacing the files. */
    public static final String RECORD_PROPERTY = "slt4j.recordBaselines";
    /** Configuration parameter: the directory that relative baseline paths are resolved against. */
    public static final String DIRECTORY_PROPERTY = "slt4j.baselineDir";
    /** Configuration parameter: {@code true} or {@code false} overrides the environment variable {@code CI}. */
    public static final String CI_PROPERTY = "slt4j.ci";
    /** The baseline directory unless {@value #DIRECTORY_PROPERTY} says otherwise, relative to the working directory. */
    public static final String DEFAULT_DIRECTORY = "src/test/resources/slt4j-baselines";

    private static final Namespace NAMESPACE = Namespace.create(SltBaselineExtension.class);
    private static final SltBaseline DEFAULTS = Defaults.class.getAnnotation(SltBaseline.class);

    /** Created by JUnit. */
    public SltBaselineExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunUnderTest.class
                && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public RunUnderTest resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(RunUnderTest.class, type -> new RunUnderTest(),
                RunUnderTest.class);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws IOException {
        RunUnderTest handed = context.getStore(NAMESPACE).get(RunUnderTest.class, RunUnderTest.class);
        if (handed == null || context.getExecutionException().isPresent()) {
            return;
        }
        RunHistory run = handed.run().orElseThrow(() -> new AssertionError("the test "
                + context.getRequiredTestMethod().getName() + "() took a RunUnderTest but handed it no run: call"
                + " run.set(history) after training"));
        SltBaseline settings = settings(context);
        Path file = file(context, settings);
        if (Files.exists(file) && !flag(context, RECORD_PROPERTY).orElse(false)) {
            check(run, file);
        } else if (!Files.exists(file) && isCi(context)) {
            throw new AssertionError("baseline " + file + " is missing and is not recorded in CI: run the test"
                    + " locally once (it records the file) and commit it");
        } else {
            record(context, run, file, settings);
        }
    }

    private static void check(RunHistory run, Path file) throws IOException {
        BaselineCheck check;
        try {
            check = RunBaseline.read(file).check(run);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot check the run against baseline " + file + ": "
                    + e.getMessage(), e);
        }
        List<MetricResult> regressions = check.regressions();
        if (!regressions.isEmpty()) {
            String n = System.lineSeparator();
            throw new AssertionError("the run regressed against baseline " + file + ": " + regressions.size() + " of "
                    + check.results().size() + " metrics moved beyond their tolerance" + n
                    + regressions.stream().map(r -> "  " + r.describe()).collect(Collectors.joining(n)) + n + n
                    + check.table() + "After an intended change, rerun with -D" + RECORD_PROPERTY
                    + "=true and commit " + file);
        }
    }

    private static void record(ExtensionContext context, RunHistory run, Path file, SltBaseline settings)
            throws IOException {
        Tolerance tolerance = Tolerance.of(settings.k(), settings.relative()).withAbsolute(settings.absolute());
        List<String> metrics = settings.metrics().length == 0 ? RunBaseline.defaultMetrics(run)
                : List.of(settings.metrics());
        String source = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod()
                .getName();
        RunBaseline baseline = RunBaseline.record(run, source, metrics, tolerance);
        Files.createDirectories(file.toAbsolutePath().getParent());
        baseline.write(file);
        context.publishReportEntry("slt4j.baseline", "recorded " + baseline.entries().size() + " metrics into "
                + file);
    }

    /** The nearest {@link SltBaseline}: on the method, its class, or an enclosing class; else the defaults. */
    private static SltBaseline settings(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<SltBaseline> found = c.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e,
                    SltBaseline.class));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return DEFAULTS;
    }

    private static Path file(ExtensionContext context, SltBaseline settings) {
        Path directory = Path.of(context.getConfigurationParameter(DIRECTORY_PROPERTY).orElse(DEFAULT_DIRECTORY));
        if (settings.value().isEmpty()) {
            return directory.resolve(context.getRequiredTestClass().getName())
                    .resolve(context.getRequiredTestMethod().getName() + ".json");
        }
        return directory.resolve(settings.value());
    }

    private static boolean isCi(ExtensionContext context) {
        return flag(context, CI_PROPERTY).orElseGet(() -> "true".equalsIgnoreCase(System.getenv("CI")));
    }

    private static Optional<Boolean> flag(ExtensionContext context, String name) {
        return context.getConfigurationParameter(name).map(v -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(name + " must be true or false (got: '" + v + "')");
            }
            return Boolean.parseBoolean(v);
        });
    }

    /** Holds the annotation's default values. */
    @SltBaseline
    private static final class Defaults {
    }
}
