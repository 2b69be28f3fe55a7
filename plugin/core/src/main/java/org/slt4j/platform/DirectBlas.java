package org.slt4j.platform;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether slt4j may call OpenBLAS directly, through the JavaCPP bindings ({@code org.bytedeco.openblas}) that
 * nd4j-native itself runs on, instead of through ND4J's operations: for calls ND4J does not offer or makes costly
 * (a real {@code syrk}, {@code gemm} on buffers slt4j allocated once). Only when ND4J's backend reports OpenBLAS as
 * its BLAS, so that both use one library (one thread setting, one {@code OPENBLAS_CORETYPE}); on any other backend
 * (CUDA, MKL) the callers take ND4J's own operations.
 *
 * <p>Internal to slt4j: public only because its users live in several packages.
 */
public final class DirectBlas {
    private static final boolean AVAILABLE = detect();

    private DirectBlas() {
    }

    /** Whether ND4J runs on OpenBLAS and its JavaCPP bindings are on the class path (decided once per JVM). */
    public static boolean available() {
        return AVAILABLE;
    }

    private static boolean detect() {
        try {
            Object vendor = Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor");
            if (!"OPENBLAS".equals(String.valueOf(vendor))) {
                return false;
            }
            Class.forName("org.bytedeco.openblas.global.openblas", false, DirectBlas.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
