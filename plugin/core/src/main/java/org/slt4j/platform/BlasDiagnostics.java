package org.slt4j.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which BLAS kernels ND4J runs on, and whether they fit the CPU.
 *
 * <p>nd4j-native 1.0.0-M2.1 ships OpenBLAS 0.3.19, built with kernels for many CPU families, of which it picks one
 * at load time from the CPU's identification. CPUs newer than that OpenBLAS (AMD Zen 4 and 5, Intel Sapphire Rapids
 * and later, some virtual machines) are not recognized, and it falls back to old kernels without AVX2: matrix
 * products then run several times slower than the CPU allows (measured in docs/benchmarks.md). The environment
 * variable {@code OPENBLAS_CORETYPE}, set before the JVM starts, forces a kernel family; {@link #recommendedCoreType()}
 * names the one for this CPU.
 *
 * <p>{@link #detect()} reads the kernel family OpenBLAS chose (by comparing its kernel table with the tables of
 * each family, as OpenBLAS's own {@code openblas_get_corename} does), the CPU's model and vector extensions (from
 * {@code /proc/cpuinfo} on Linux; elsewhere they are unknown) and ND4J's backend. The library runs it once per JVM,
 * when the first estimator, scanner or listener is created ({@link #checkOnce()}), and logs a WARN line only when
 * the kernels are a fallback; {@code slt4j doctor} prints all of it.
 *
 * <p>Instances are immutable. Nothing here throws: what cannot be read is reported as unknown.
 */
public final class BlasDiagnostics {
    private static final Logger log = LoggerFactory.getLogger(BlasDiagnostics.class);
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    /** The environment variable that forces OpenBLAS's kernel family. */
    public static final String CORETYPE_VARIABLE = "OPENBLAS_CORETYPE";
    /** The environment variable that sets the OpenMP (and so OpenBLAS) thread count. */
    public static final String OMP_THREADS_VARIABLE = "OMP_NUM_THREADS";

    /** How the kernels in use compare with the CPU's widest vector extension. */
    public enum Verdict {
        /** The kernels use the widest vector extension the CPU has (that OpenBLAS 0.3.19 has kernels for). */
        MATCHED,
        /** AVX2 kernels on a CPU with AVX-512: fine, but large matrix products could be up to about 2x faster. */
        NARROWER,
        /**
         * Kernels without AVX2 (or without AVX) on a CPU that has it: matrix products run several times slower,
         * typically because OpenBLAS did not recognize the CPU.
         */
        FALLBACK,
        /** Not OpenBLAS, a kernel family or CPU this class does not know, or CPU flags that could not be read. */
        UNKNOWN
    }

    /** Vector instruction-set levels, in order; a kernel family is written for one of them. */
    enum Level { SSE, AVX, AVX2, AVX512 }

    /** OpenBLAS's x86-64 kernel families: symbol suffix, the name OpenBLAS reports (and accepts), level. */
    private record Family(String symbol, String name, Level level) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("PRESCOTT", "Prescott", Level.SSE),
            new Family("CORE2", "Core2", Level.SSE),
            new Family("PENRYN", "Penryn", Level.SSE),
            new Family("DUNNINGTON", "Dunnington", Level.SSE),
            new Family("NEHALEM", "Nehalem", Level.SSE),
            new Family("ATOM", "Atom", Level.SSE),
            new Family("OPTERON", "Opteron", Level.SSE),
            new Family("OPTERON_SSE3", "Opteron(SSE3)", Level.SSE),
            new Family("BARCELONA", "Barcelona", Level.SSE),
            new Family("SANDYBRIDGE", "Sandybridge", Level.AVX),
            new Family("BULLDOZER", "Bulldozer", Level.AVX),
            new Family("PILEDRIVER", "Piledriver", Level.AVX),
            new Family("STEAMROLLER", "Steamroller", Level.AVX),
            new Family("EXCAVATOR", "Excavator", Level.AVX2),
            new Family("HASWELL", "Haswell", Level.AVX2),
            new Family("ZEN", "Zen", Level.AVX2),
            new Family("SKYLAKEX", "SkylakeX", Level.AVX512),
            new Family("COOPERLAKE", "Cooperlake", Level.AVX512),
            new Family("SAPPHIRERAPIDS", "SapphireRapids", Level.AVX512));

    /** The CPU flags shown as vector extensions, in this order (x86 names as in /proc/cpuinfo, then ARM's). */
    private static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "fma", "avx2", "avx512f", "avx512dq",
            "avx512cd", "avx512bw", "avx512vl", "avx512_bf16", "avx512_fp16", "amx_tile", "asimd", "sve", "sve2");

    private static final Pattern OPENBLAS_VERSION = Pattern.compile("openblas-(\\d+(?:\\.\\d+)+)-");

    private final String backend;
    private final String dataType;
    private final String blasVendor;
    private final int blasThreads;
    private final String openBlasCore;
    private final String openBlasVersion;
    private final CpuInfo cpu;
    private final String coreTypeSetting;
    private final String ompThreadsSetting;

    private BlasDiagnostics(String backend, String dataType, String blasVendor, int blasThreads, String openBlasCore,
            String openBlasVersion, CpuInfo cpu, String coreTypeSetting, String ompThreadsSetting) {
        this.backend = backend;
        this.dataType = dataType;
        this.blasVendor = blasVendor;
        this.blasThreads = blasThreads;
        this.openBlasCore = openBlasCore;
        this.openBlasVersion = openBlasVersion;
        this.cpu = cpu;
        this.coreTypeSetting = coreTypeSetting;
        this.ompThreadsSetting = ompThreadsSetting;
    }

    /**
     * Queries ND4J (initializing its backend if that has not happened yet), OpenBLAS, the CPU and the environment.
     * Takes a few milliseconds once ND4J is loaded.
     */
    public static BlasDiagnostics detect() {
        Properties env = new Properties();
        try {
            env = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (RuntimeException | LinkageError e) {
            log.debug("ND4J's environment could not be read", e);
        }
        String dataType;
        try {
            dataType = String.valueOf(Nd4j.dataType());
        } catch (RuntimeException | LinkageError e) {
            dataType = null;
        }
        String core = null;
        String version = null;
        try {
            core = readOpenBlasCore();
            version = readOpenBlasVersion();
        } catch (RuntimeException | LinkageError e) {
            log.debug("OpenBLAS's kernel family could not be read", e);
        }
        // Values are not all strings (the thread counts are Integers): getProperty would miss them.
        int blasThreads = env.get("blas.threads") instanceof Number n ? n.intValue() : 0;
        return new BlasDiagnostics(Objects.toString(env.get("backend"), null), dataType,
                Objects.toString(env.get("blas.vendor"), null), blasThreads, core, version, CpuInfo.read(),
                environment(CORETYPE_VARIABLE), environment(OMP_THREADS_VARIABLE));
    }

    /**
     * Runs {@link #detect()} the first time it is called in this JVM and logs the result: at WARN when the kernels
     * are a {@link Verdict#FALLBACK} (with the {@code OPENBLAS_CORETYPE} to set), at INFO when they are
     * {@link Verdict#NARROWER} than the CPU allows, at DEBUG otherwise. Later calls return at once. The library
     * calls it when an estimator, a symmetry scanner or a listener is created; failures are logged at DEBUG, never
     * thrown.
     */
    public static void checkOnce() {
        if (!CHECKED.compareAndSet(false, true)) {
            return;
        }
        try {
            BlasDiagnostics d = detect();
            switch (d.verdict()) {
                case FALLBACK -> log.warn("{} (run `slt4j doctor` for details)", d.advice());
                case NARROWER -> log.info(d.advice());
                default -> log.debug(d.advice());
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("The BLAS check failed", e);
        }
    }

    /** @return ND4J's backend, e.g. {@code CPU} or {@code CUDA}; empty if ND4J could not be queried */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    /** @return ND4J's default floating-point data type, e.g. {@code FLOAT}; empty if ND4J could not be queried */
    public Optional<String> dataType() {
        return Optional.ofNullable(dataType);
    }

    /** @return the BLAS library ND4J reports, e.g. {@code OPENBLAS} or {@code MKL}; empty if unknown */
    public Optional<String> blasVendor() {
        return Optional.ofNullable(blasVendor);
    }

    /** @return the thread count of ND4J's BLAS; 0 if unknown */
    public int blasThreads() {
        return blasThreads;
    }

    /**
     * @return the kernel family OpenBLAS uses, by the name OpenBLAS reports and {@code OPENBLAS_CORETYPE} accepts
     *         (e.g. {@code Haswell}); empty if ND4J does not run on OpenBLAS or the family is not one of OpenBLAS
     *         0.3.19's x86-64 families
     */
    public Optional<String> openBlasCore() {
        return Optional.ofNullable(openBlasCore);
    }

    /** @return the version of the OpenBLAS ND4J loaded, e.g. {@code 0.3.19}; empty if unknown */
    public Optional<String> openBlasVersion() {
        return Optional.ofNullable(openBlasVersion);
    }

    /** @return the CPU's model name, e.g. {@code AMD EPYC}; empty where /proc/cpuinfo cannot be read */
    public Optional<String> cpuModel() {
        return Optional.ofNullable(cpu.model());
    }

    /**
     * @return the CPU's vector extensions among those that matter for BLAS kernels (sse4_2, avx, fma, avx2, the
     *         AVX-512 subsets, ARM's asimd and sve), as /proc/cpuinfo names them; empty where it cannot be read
     */
    public List<String> vectorExtensions() {
        List<String> present = new ArrayList<>();
        for (String flag : VECTOR_FLAGS) {
            if (cpu.flags().contains(flag)) {
                present.add(flag);
            }
        }
        return present;
    }

    /** @return the value of {@code OPENBLAS_CORETYPE} in this JVM's environment; empty if unset */
    public Optional<String> coreTypeSetting() {
        return Optional.ofNullable(coreTypeSetting);
    }

    /** @return the value of {@code OMP_NUM_THREADS} in this JVM's environment; empty if unset */
    public Optional<String> ompThreadsSetting() {
        return Optional.ofNullable(ompThreadsSetting);
    }

    /** @return how the kernels in use compare with the CPU */
    public Verdict verdict() {
        return assess(openBlasCore, cpu.flags());
    }

    /**
     * @return the {@code OPENBLAS_CORETYPE} for this CPU's widest vector extension: {@code SkylakeX} with AVX-512
     *         (F, BW, VL, DQ), {@code Zen} (AMD) or {@code Haswell} with AVX2 and FMA, {@code Sandybridge} with
     *         AVX; empty for older or unknown CPUs
     */
    public Optional<String> recommendedCoreType() {
        return recommendedCoreType(cpu.flags(), cpu.vendor());
    }

    /** @return one or two sentences on the kernels in use and, unless they match the CPU, what to set */
    public String advice() {
        Verdict verdict = verdict();
        if (verdict == Verdict.UNKNOWN) {
            return unknownReason();
        }
        Level cpuLevel = cpuLevel(cpu.flags());
        String kernels = "OpenBLAS uses its " + openBlasCore + " kernels ("
                + describe(familyLevel(openBlasCore).orElseThrow())
                + (coreTypeSetting == null ? "" : ", " + CORETYPE_VARIABLE + "=" + coreTypeSetting) + ")";
        String onCpu = " on " + (cpu.model() == null ? "this CPU" : "this CPU (" + cpu.model() + ")") + ", which has "
                + describe(cpuLevel);
        String set = "set " + CORETYPE_VARIABLE + "=" + recommendedCoreType().orElse("") + " in the environment"
                + " before starting the JVM";
        return switch (verdict) {
            case MATCHED -> kernels + ", the widest this CPU supports.";
            case NARROWER -> kernels + onCpu + ": " + set + " for up to about 2x faster large matrix products.";
            case FALLBACK -> kernels + onCpu + ": matrix products run several times slower than they could"
                    + (coreTypeSetting == null ? " (this OpenBLAS does not recognize the CPU)" : "") + "; " + set
                    + ".";
            case UNKNOWN -> throw new AssertionError(verdict);
        };
    }

    private String unknownReason() {
        if (openBlasCore == null) {
            return "The BLAS kernels could not be identified (" + (blasVendor == null ? "BLAS unknown"
                    : "BLAS " + blasVendor) + "; only OpenBLAS's x86-64 kernel families are recognized).";
        }
        if (cpu.flags().isEmpty()) {
            return "OpenBLAS uses its " + openBlasCore + " kernels; the CPU's vector extensions could not be read"
                    + " (/proc/cpuinfo), so whether they fit is unknown.";
        }
        return "OpenBLAS uses its " + openBlasCore + " kernels on a CPU without the x86 vector extensions"
                + " this check knows.";
    }

    private static String describe(Level level) {
        return switch (level) {
            case SSE -> "SSE only";
            case AVX -> "AVX";
            case AVX2 -> "AVX2";
            case AVX512 -> "AVX-512";
        };
    }

    /**
     * The decision: the kernels' level against the CPU's. A pure function of OpenBLAS's kernel family and the CPU
     * flags (as /proc/cpuinfo names them).
     */
    static Verdict assess(String openBlasCore, Set<String> cpuFlags) {
        Optional<Level> core = familyLevel(openBlasCore);
        if (core.isEmpty() || !cpuFlags.contains("sse2")) {
            return Verdict.UNKNOWN;
        }
        Level cpuLevel = cpuLevel(cpuFlags);
        if (core.get().compareTo(cpuLevel) >= 0) {
            return Verdict.MATCHED;
        }
        return core.get().compareTo(Level.AVX2) >= 0 ? Verdict.NARROWER : Verdict.FALLBACK;
    }

    static Optional<String> recommendedCoreType(Set<String> cpuFlags, String cpuVendor) {
        if (!cpuFlags.contains("sse2")) {
            return Optional.empty();
        }
        return switch (cpuLevel(cpuFlags)) {
            case AVX512 -> Optional.of("SkylakeX");
            case AVX2 -> Optional.of("AuthenticAMD".equals(cpuVendor) ? "Zen" : "Haswell");
            case AVX -> Optional.of("Sandybridge");
            case SSE -> Optional.empty();
        };
    }

    /** The widest level the flags support that OpenBLAS has kernels for (SkylakeX needs AVX-512 F, BW, VL, DQ). */
    static Level cpuLevel(Set<String> flags) {
        if (flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) {
            return Level.AVX512;
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            return Level.AVX2;
        }
        return flags.contains("avx") ? Level.AVX : Level.SSE;
    }

    private static Optional<Level> familyLevel(String name) {
        for (Family f : FAMILIES) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.level());
            }
        }
        return Optional.empty();
    }

    /**
     * OpenBLAS (built with DYNAMIC_ARCH) points its global {@code gotoblas} at the kernel table of the family it
     * chose; each family's table is an exported symbol {@code gotoblas_FAMILY}.
     */
    private static String readOpenBlasCore() {
        Pointer current = Loader.addressof("gotoblas");
        if (current == null) {
            return null;
        }
        long table = new LongPointer(current).get();
        for (Family f : FAMILIES) {
            Pointer candidate = Loader.addressof("gotoblas_" + f.symbol());
            if (candidate != null && candidate.address() == table) {
                return f.name();
            }
        }
        return null;
    }

    /** From the path JavaCPP loaded OpenBLAS from: its cache names the jar, e.g. openblas-0.3.19-1.5.7-linux-... */
    private static String readOpenBlasVersion() {
        for (Map.Entry<String, String> lib : Loader.getLoadedLibraries().entrySet()) {
            if (lib.getKey().startsWith("openblas")) {
                Matcher m = OPENBLAS_VERSION.matcher(lib.getValue());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The first processor's entries in /proc/cpuinfo; empty fields where it cannot be read. */
    record CpuInfo(String model, String vendor, Set<String> flags) {
        static final CpuInfo UNKNOWN = new CpuInfo(null, null, Set.of());

        static CpuInfo read() {
            try {
                return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException e) {
                return UNKNOWN;
            }
        }

        /** Parses /proc/cpuinfo's lines: x86's {@code model name}, {@code vendor_id}, {@code flags}, ARM's
         * {@code Features}; only the first processor's. */
        static CpuInfo parse(List<String> lines) {
            String model = null;
            String vendor = null;
            Set<String> flags = new LinkedHashSet<>();
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (line.isBlank() && !flags.isEmpty()) {
                    break;
                }
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "model name" -> model = model == null ? value : model;
                    case "vendor_id" -> vendor = vendor == null ? value : vendor;
                    case "flags", "features" -> {
                        if (flags.isEmpty()) {
                            Collections.addAll(flags, value.toLowerCase(Locale.ROOT).split("\\s+"));
                        }
                    }
                    default -> {
                    }
                }
            }
            return new CpuInfo(model, vendor, Collections.unmodifiableSet(flags));
        }
    }
}
