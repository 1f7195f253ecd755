package dev.jnn.backend.cpu;

/**
 * What the running JVM offers the CPU kernels, detected once at class initialisation.
 *
 * <p>The fast kernels use the incubating Vector API ({@code jdk.incubator.vector}). A library
 * cannot force {@code --add-modules jdk.incubator.vector} on its users, so this class checks
 * whether the module is in the boot layer and, only if it is, asks the Vector API for its preferred
 * float species. When the module is absent nothing from it is ever loaded and the scalar kernels
 * run instead; no error is raised and nothing is logged.
 *
 * <p>Start the JVM with {@code --add-modules jdk.incubator.vector} to enable the fast path. Set the
 * system property {@code jnn.cpu.vector=false} to force the scalar path even when the module is
 * present.
 */
public final class CpuFeatures {
  private static final boolean MODULE_PRESENT =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /** Lanes of the preferred float species, or 0 when the Vector API cannot be used. */
  private static final int FLOAT_LANES = probeLanes();

  private static final boolean VECTOR_REQUESTED =
      !"false".equalsIgnoreCase(System.getProperty("jnn.cpu.vector", "true").trim());

  private static final boolean HARDWARE_FMA = probeFma();

  private CpuFeatures() {}

  private static boolean probeFma() {
    try {
      var bean =
          java.lang.management.ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class);
      if (bean != null) {
        return Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
      }
    } catch (LinkageError | RuntimeException e) {
      // Not HotSpot, or jdk.management not in this runtime: guess from the architecture below.
    }
    return "aarch64".equals(System.getProperty("os.arch"));
  }

  private static int probeLanes() {
    if (!MODULE_PRESENT) {
      return 0;
    }
    try {
      // First touch of a class that links against jdk.incubator.vector; safe because the module
      // is known to be present.
      return VectorGemm.floatLanes();
    } catch (LinkageError | RuntimeException e) {
      return 0;
    }
  }

  /** Whether {@code jdk.incubator.vector} is resolved in the boot module layer. */
  public static boolean vectorModulePresent() {
    return MODULE_PRESENT;
  }

  /**
   * Number of float lanes of the Vector API's preferred species (16 with AVX-512, 8 with AVX2), or
   * 0 when the Vector API is not available in this JVM.
   */
  public static int preferredFloatLanes() {
    return FLOAT_LANES;
  }

  /**
   * Whether the Vector API kernels can run: the module is present and its preferred species has at
   * least 4 float lanes. This ignores the {@code jnn.cpu.vector} switch; see {@link
   * #vectorEnabled()}.
   */
  public static boolean vectorApiUsable() {
    return FLOAT_LANES >= 4;
  }

  /**
   * Whether the CPU kernels use the Vector API: it is usable and the system property {@code
   * jnn.cpu.vector} is not {@code false} (read once, when this class is initialised).
   */
  public static boolean vectorEnabled() {
    return VECTOR_REQUESTED && vectorApiUsable();
  }

  /**
   * Whether {@link Math#fma(float, float, float)} compiles to a hardware instruction (HotSpot's
   * {@code UseFMA}); without it {@code Math.fma} is a slow software routine and the scalar kernels
   * use a separate multiply and add instead.
   */
  public static boolean hardwareFma() {
    return HARDWARE_FMA;
  }

  /** A one-line human-readable summary, e.g. for logs or benchmark reports. */
  public static String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("jdk.incubator.vector ").append(MODULE_PRESENT ? "present" : "absent");
    if (FLOAT_LANES > 0) {
      sb.append(", preferred float species ")
          .append(FLOAT_LANES * 32)
          .append("-bit (")
          .append(FLOAT_LANES)
          .append(" lanes)");
    }
    if (!VECTOR_REQUESTED) {
      sb.append(", disabled by jnn.cpu.vector=false");
    }
    sb.append(HARDWARE_FMA ? ", fma" : ", no fma");
    sb.append(", vector kernels ").append(vectorEnabled() ? "on" : "off");
    sb.append(", ").append(Parallel.threads()).append(" threads");
    return sb.toString();
  }
}
