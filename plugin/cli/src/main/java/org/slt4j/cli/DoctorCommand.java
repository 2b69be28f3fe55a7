package org.slt4j.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slt4j.platform.BlasDiagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code slt4j doctor}: what the diagnostics run on (Java, ND4J's backend, OpenBLAS's kernels, the CPU, the
 * thread settings) and whether the BLAS kernels fit the CPU, with the setting that fixes them if not.
 */
@Command(name = "doctor", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Checks the platform: Java, ND4J's backend, OpenBLAS's kernels against the CPU, threads.",
            "The last line is the verdict: whether OpenBLAS runs kernels for this CPU's widest vector extension, "
                + "and the OPENBLAS_CORETYPE to set if not. Exit code 0 whatever the verdict."})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BlasDiagnostics d = BlasDiagnostics.detect();
        PrintWriter out = spec.commandLine().getOut();
        line(out, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        line(out, "ND4J backend", d.backend().orElse("unknown") + ", data type " + d.dataType().orElse("unknown"));
        line(out, "BLAS", d.blasVendor().orElse("unknown") + d.openBlasVersion().map(v -> " " + v).orElse("")
                + ", " + (d.blasThreads() > 0 ? d.blasThreads() + " thread(s)" : "threads unknown"));
        line(out, "OpenBLAS kernels", d.openBlasCore().orElse("unknown"));
        line(out, "CPU", d.cpuModel().orElse("unknown") + d.recommendedCoreType()
                .map(type -> ", OpenBLAS core type for it: " + type).orElse(""));
        line(out, "Vector extensions", d.vectorExtensions().isEmpty() ? "unknown"
                : String.join(" ", d.vectorExtensions()));
        line(out, BlasDiagnostics.CORETYPE_VARIABLE, setting(d.coreTypeSetting()));
        line(out, BlasDiagnostics.OMP_THREADS_VARIABLE, setting(d.ompThreadsSetting()));
        out.println("Verdict: " + d.verdict() + ": " + d.advice());
        out.flush();
        return SltCli.EXIT_OK;
    }

    private static String setting(Optional<String> value) {
        return value.orElse("(unset)");
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("%-18s %s%n", name + ":", value);
    }
}
