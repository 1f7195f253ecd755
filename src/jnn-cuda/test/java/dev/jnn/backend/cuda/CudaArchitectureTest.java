package dev.jnn.backend.cuda;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The CUDA half of the package rules of {@code docs/ARCHITECTURE.md} ("Only
 * {@code dev.jnn.backend.cuda..} sees {@code jcuda..}"), checked on the main classes of both
 * artifacts: jnn-cuda's and jnn's, which are on this module's class path (dev.jnn.ArchitectureTest
 * in jnn checks jnn's packages among themselves). No rule here has a recorded violation, so none
 * is frozen.
 */
@AnalyzeClasses(packages = "dev.jnn", importOptions = CudaArchitectureTest.MainClassesOnly.class)
class CudaArchitectureTest {

  /** The JDK's packages (as in dev.jnn.ArchitectureTest). */
  static final String[] JDK = {"java..", "javax..", "jdk..", "com.sun.management.."};

  /** "Only dev.jnn.backend.cuda.. sees jcuda..". */
  @ArchTest
  static final ArchRule onlyTheCudaBackEndImportsJcuda = noClasses()
      .that().resideOutsideOfPackage("dev.jnn.backend.cuda..")
      .should().dependOnClassesThat().resideInAPackage("jcuda..")
      .as("only dev.jnn.backend.cuda.. imports jcuda..");

  /** The table's row: "dev.jnn.backend.cuda: backend, core, jcuda.* (only here)". */
  @ArchTest
  static final ArchRule cudaImportsBackendCoreAndJcuda = classes()
      .that().resideInAPackage("dev.jnn.backend.cuda..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(with(
          "dev.jnn.backend.cuda..", "dev.jnn.backend", "dev.jnn.core..", "jcuda.."))
      .as("dev.jnn.backend.cuda imports only the back-end SPI (dev.jnn.backend), "
          + "dev.jnn.core, jcuda.. and the JDK");

  /**
   * The JCuda implementations of DeviceApi, Blas and Dnn, their pointer helper and the native
   * loader: the classes of dev.jnn.backend.cuda that may touch jcuda (with their nested classes).
   */
  static final Set<String> JCUDA_USERS = Set.of(
      JCudaDeviceApi.class.getName(), JCublasBlas.class.getName(), JCudnnDnn.class.getName(),
      DevicePointers.class.getName(), NativeSetup.class.getName());

  /**
   * The note at the top of docs/ARCHITECTURE.md: the package uses JCuda "only behind three small
   * interfaces (DeviceApi, Blas, Dnn)", so that the tests run the whole back end on an emulated
   * device.
   */
  @ArchTest
  static final ArchRule jcudaOnlyBehindDeviceApiBlasDnn = noClasses()
      .that().resideInAPackage("dev.jnn.backend.cuda..")
      .and(DescribedPredicate.describe(
          "are not (in) JCudaDeviceApi, JCublasBlas, JCudnnDnn, DevicePointers, NativeSetup",
          (JavaClass c) -> !JCUDA_USERS.contains(c.getName().replaceFirst("\\$.*", ""))))
      .should().dependOnClassesThat().resideInAPackage("jcuda..")
      .as("in dev.jnn.backend.cuda only JCudaDeviceApi, JCublasBlas, JCudnnDnn (the JCuda "
          + "implementations of DeviceApi, Blas, Dnn), DevicePointers and NativeSetup "
          + "import jcuda..");

  /** The rules above are about both artifacts: both must have been imported. */
  @ArchTest
  static void bothArtifactsAreImported(JavaClasses classes) {
    assertTrue(classes.contain("dev.jnn.tensor.Tensor"), "dev.jnn:jnn's classes imported");
    assertTrue(classes.contain(CudaBackend.class), "dev.jnn:jnn-cuda's classes imported");
    assertTrue(classes.stream().noneMatch(c -> c.getName().endsWith("Test")),
        "no test class imported");
  }

  static String[] with(String... packages) {
    String[] all = new String[packages.length + JDK.length];
    System.arraycopy(packages, 0, all, 0, packages.length);
    System.arraycopy(JDK, 0, all, packages.length, JDK.length);
    return all;
  }

  /**
   * Main classes only: not this module's tests, nor jnn's, which come as target/test-classes
   * in a reactor build and as the -tests.jar otherwise.
   */
  static final class MainClassesOnly implements ImportOption {
    private final ImportOption noTestDirectories = new ImportOption.DoNotIncludeTests();

    @Override
    public boolean includes(Location location) {
      return noTestDirectories.includes(location) && !location.contains("-tests.jar");
    }
  }
}
