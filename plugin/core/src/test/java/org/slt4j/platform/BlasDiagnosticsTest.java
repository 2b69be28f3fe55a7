package org.slt4j.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slt4j.platform.BlasDiagnostics.CpuInfo;
import org.slt4j.platform.BlasDiagnostics.Verdict;

class BlasDiagnosticsTest {

    private static final Set<String> SSE4 = Set.of("fpu", "sse", "sse2", "pni", "ssse3", "sse4_1", "sse4_2");
    private static final Set<String> AVX = union(SSE4, "avx");
    private static final Set<String> AVX2 = union(AVX, "fma", "avx2");
    private static final Set<String> AVX512 = union(AVX2, "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl");

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }

    @Test
    void genericKernelsOnAnAvx2OrAvx512CpuAreAFallback() {
        for (String core : List.of("Prescott", "Core2", "Nehalem", "Barcelona", "Sandybridge", "Piledriver")) {
            assertThat(BlasDiagnostics.assess(core, AVX2)).as(core).isEqualTo(Verdict.FALLBACK);
            assertThat(BlasDiagnostics.assess(core, AVX512)).as(core).isEqualTo(Verdict.FALLBACK);
        }
        assertThat(BlasDiagnostics.assess("Prescott", AVX)).isEqualTo(Verdict.FALLBACK);
    }

    @Test
    void avx2KernelsOnAnAvx512CpuAreNarrowerNotAFallback() {
        for (String core : List.of("Haswell", "Zen", "Excavator")) {
            assertThat(BlasDiagnostics.assess(core, AVX512)).as(core).isEqualTo(Verdict.NARROWER);
            assertThat(BlasDiagnostics.assess(core, AVX2)).as(core).isEqualTo(Verdict.MATCHED);
        }
    }

    @Test
    void kernelsAtOrAboveTheCpusLevelMatch() {
        assertThat(BlasDiagnostics.assess("SkylakeX", AVX512)).isEqualTo(Verdict.MATCHED);
        assertThat(BlasDiagnostics.assess("Cooperlake", AVX512)).isEqualTo(Verdict.MATCHED);
        assertThat(BlasDiagnostics.assess("Sandybridge", AVX)).isEqualTo(Verdict.MATCHED);
        assertThat(BlasDiagnostics.assess("Nehalem", SSE4)).isEqualTo(Verdict.MATCHED);
    }

    @Test
    void namesAreMatchedIgnoringCaseAsOpenBlasCoreTypeIs() {
        assertThat(BlasDiagnostics.assess("HASWELL", AVX512)).isEqualTo(Verdict.NARROWER);
        assertThat(BlasDiagnostics.assess("skylakex", AVX512)).isEqualTo(Verdict.MATCHED);
    }

    @Test
    void anUnknownCoreOrCpuGivesNoVerdict() {
        assertThat(BlasDiagnostics.assess(null, AVX512)).isEqualTo(Verdict.UNKNOWN);
        assertThat(BlasDiagnostics.assess("NeoverseN1", Set.of("fp", "asimd"))).isEqualTo(Verdict.UNKNOWN);
        assertThat(BlasDiagnostics.assess("Haswell", Set.of())).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void avx512WithoutTheSubsetsSkylakeXNeedsCountsAsAvx2() {
        Set<String> avx512fOnly = union(AVX2, "avx512f");

        assertThat(BlasDiagnostics.cpuLevel(avx512fOnly)).isEqualTo(BlasDiagnostics.Level.AVX2);
        assertThat(BlasDiagnostics.assess("Haswell", avx512fOnly)).isEqualTo(Verdict.MATCHED);
    }

    @Test
    void theRecommendedCoreTypeIsTheWidestTheCpuSupportsWithZenForAmd() {
        assertThat(BlasDiagnostics.recommendedCoreType(AVX512, "AuthenticAMD")).hasValue("SkylakeX");
        assertThat(BlasDiagnostics.recommendedCoreType(AVX512, "GenuineIntel")).hasValue("SkylakeX");
        assertThat(BlasDiagnostics.recommendedCoreType(AVX2, "AuthenticAMD")).hasValue("Zen");
        assertThat(BlasDiagnostics.recommendedCoreType(AVX2, "GenuineIntel")).hasValue("Haswell");
        assertThat(BlasDiagnostics.recommendedCoreType(AVX, "GenuineIntel")).hasValue("Sandybridge");
        assertThat(BlasDiagnostics.recommendedCoreType(SSE4, "GenuineIntel")).isEmpty();
        assertThat(BlasDiagnostics.recommendedCoreType(Set.of("asimd"), null)).isEmpty();
    }

    @Test
    void cpuinfoIsReadFromTheFirstProcessorOnly() {
        CpuInfo info = CpuInfo.parse(List.of(
                "processor\t: 0",
                "vendor_id\t: AuthenticAMD",
                "model name\t: AMD EPYC",
                "flags\t\t: fpu sse2 avx avx2 fma avx512f",
                "",
                "processor\t: 1",
                "model name\t: Other",
                "flags\t\t: fpu"));

        assertThat(info.model()).isEqualTo("AMD EPYC");
        assertThat(info.vendor()).isEqualTo("AuthenticAMD");
        assertThat(info.flags()).containsExactly("fpu", "sse2", "avx", "avx2", "fma", "avx512f");
    }

    @Test
    void armCpuinfoGivesFeaturesAndNoModel() {
        CpuInfo info = CpuInfo.parse(List.of("processor\t: 0", "Features\t: fp asimd sve", "CPU part\t: 0xd0c"));

        assertThat(info.model()).isNull();
        assertThat(info.flags()).containsExactly("fp", "asimd", "sve");
    }

    @Test
    void theRealQueryRunsOnThisMachineAndNamesTheKernels() {
        BlasDiagnostics d = BlasDiagnostics.detect();

        // The tests run on nd4j-native (OpenBLAS) on x86-64 Linux.
        assertThat(d.backend()).hasValue("CPU");
        assertThat(d.blasVendor()).hasValue("OPENBLAS");
        assertThat(d.openBlasCore()).isPresent();
        assertThat(d.openBlasVersion()).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+\\.\\d+"));
        assertThat(d.vectorExtensions()).contains("sse4_2");
        assertThat(d.verdict()).isNotEqualTo(Verdict.UNKNOWN);
        assertThat(d.advice()).startsWith("OpenBLAS uses its " + d.openBlasCore().orElseThrow() + " kernels");
        d.coreTypeSetting().ifPresent(set -> assertThat(d.openBlasCore().orElseThrow()).isEqualToIgnoringCase(set));
        assertThatCode(BlasDiagnostics::checkOnce).doesNotThrowAnyException();
    }
}
