package dev.jnn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import com.tngtech.archunit.library.freeze.ViolationLineMatcher;

/**
 * The package rules of {@code docs/ARCHITECTURE.md} ("Packages, bottom-up"), checked on jnn's
 * main classes (not its tests, not the examples compiled beside them).
 *
 * <p>Reading of the package table: each row lists the packages a package imports directly, and
 * "the arrow points down only", so a package may also use what those packages may use (layers
 * and loss use {@code Tensor} through nn, init uses {@code NoGrad} through tensor), with one
 * exception: the back-end SPI is tensor's alone ("backend (SPI only)"; the data flow is layer
 * -> {@code Functional} -> {@code Tensor} op -> {@code Backend}), so nothing above tensor and
 * autograd reaches {@code dev.jnn.backend} through them. No package reaches a back-end
 * implementation ({@code backend.cpu}, {@code backend.cuda}): they are found with
 * {@code ServiceLoader}. {@code dev.jnn.nn} and {@code dev.jnn.backend} are single packages here
 * (their sub-packages are rows of their own).
 *
 * <p>Rules that today's code breaks are wrapped in {@link FreezingArchRule}: the violations found
 * when the rule was introduced are recorded in {@code src/jnn/test/resources/archunit_store/}
 * and tolerated, any other violation fails the test, and a recorded violation that disappears
 * must be removed from the store (see "Enforced by ArchitectureTest" in docs/ARCHITECTURE.md and
 * {@code archunit.properties}).
 */
@AnalyzeClasses(packages = "dev.jnn", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * The JDK's packages: the java.* and javax.* APIs, the jdk.* modules (jdk.incubator.vector) and
   * com.sun.management (module jdk.management; {@code CpuFeatures} reads the FMA flag there).
   */
  static final String[] JDK = {"java..", "javax..", "jdk..", "com.sun.management.."};

  /**
   * The package table as a layered architecture. Each layer's list is the closure of its row
   * (see the class comment); the lines below quote the row.
   */
  @ArchTest
  static final ArchRule packageTable = FreezingArchRule.freeze(
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .ensureAllClassesAreContainedInArchitecture()
          .layer("core").definedBy("dev.jnn.core..")
          .layer("backend").definedBy("dev.jnn.backend")
          .layer("backend.cpu").definedBy("dev.jnn.backend.cpu..")
          .layer("tensor").definedBy("dev.jnn.tensor..")
          .layer("autograd").definedBy("dev.jnn.autograd..")
          .layer("nn.functional").definedBy("dev.jnn.nn.functional..")
          .layer("nn.init").definedBy("dev.jnn.nn.init..")
          .layer("nn").definedBy("dev.jnn.nn")
          .layer("nn.layers").definedBy("dev.jnn.nn.layers..")
          .layer("nn.loss").definedBy("dev.jnn.nn.loss..")
          .layer("nn.utils").definedBy("dev.jnn.nn.utils..")
          .layer("optim").definedBy("dev.jnn.optim..")
          .layer("io").definedBy("dev.jnn.io..")
          .layer("data").definedBy("dev.jnn.data..")
          .layer("models").definedBy("dev.jnn.models..")
          // core: JDK
          .whereLayer("core").mayNotAccessAnyLayer()
          // backend (the SPI, never Tensor): core
          .whereLayer("backend").mayOnlyAccessLayers("core")
          // backend.cpu: backend, core
          .whereLayer("backend.cpu").mayOnlyAccessLayers("backend", "core")
          // tensor: core, backend (SPI only), autograd
          .whereLayer("tensor").mayOnlyAccessLayers("core", "backend", "autograd")
          // autograd: tensor, core
          .whereLayer("autograd").mayOnlyAccessLayers("tensor", "core")
          // nn.functional: tensor, autograd
          .whereLayer("nn.functional").mayOnlyAccessLayers("tensor", "autograd", "core")
          // nn.init: tensor
          .whereLayer("nn.init").mayOnlyAccessLayers("tensor", "autograd", "core")
          // nn: tensor, autograd
          .whereLayer("nn").mayOnlyAccessLayers("tensor", "autograd", "core")
          // nn.layers, nn.loss: nn, functional, init (and nn.utils: recurrent layers take packed
          // sequences)
          .whereLayer("nn.layers").mayOnlyAccessLayers(
              "nn", "nn.functional", "nn.init", "nn.utils", "tensor", "autograd", "core")
          .whereLayer("nn.loss").mayOnlyAccessLayers(
              "nn", "nn.functional", "nn.init", "tensor", "autograd", "core")
          // nn.utils (nn.utils.rnn: packed sequences): tensor, autograd, core
          .whereLayer("nn.utils").mayOnlyAccessLayers("tensor", "autograd", "core")
          // optim: nn (Parameter), tensor
          .whereLayer("optim").mayOnlyAccessLayers("nn", "tensor", "autograd", "core")
          // io: tensor, nn, optim
          .whereLayer("io").mayOnlyAccessLayers("tensor", "nn", "optim", "autograd", "core")
          // data: tensor
          .whereLayer("data").mayOnlyAccessLayers("tensor", "autograd", "core")
          // models (torchvision's models, fusion, image preprocessing): nn, layers, functional,
          // init, tensor
          .whereLayer("models").mayOnlyAccessLayers(
              "nn", "nn.layers", "nn.functional", "nn.init", "tensor", "autograd", "core")
          .as("jnn's packages import only what docs/ARCHITECTURE.md's package table allows"));

  /**
   * "The arrow points down only; the one allowed cycle is tensor <-> autograd." A recorded cycle
   * is known by its packages alone ({@link SameCycle}): the dependencies ArchUnit lists under
   * it change with every edit of the classes involved, and a new dependency that is not allowed
   * fails {@link #packageTable} anyway.
   */
  @ArchTest
  static final ArchRule noCyclesButTensorAutograd = FreezingArchRule.freeze(
      slices().assignedFrom(new PackagesWithTensorAndAutogradAsOne())
          .should().beFreeOfCycles()
          .as("jnn's packages have no dependency cycle but tensor <-> autograd"))
      .associateViolationLinesVia(new SameCycle());

  /**
   * Issue 17: nothing under nn (layers, losses, {@code Functional}, init) reaches the back-end
   * SPI; {@code Functional} calls the op families in the tensor layer, which call the kernels.
   * Already part of {@link #packageTable}, but that rule is frozen; this one admits no
   * exception.
   */
  @ArchTest
  static final ArchRule nnDoesNotImportTheBackend = noClasses()
      .that().resideInAPackage("dev.jnn.nn..")
      .should().dependOnClassesThat().resideInAPackage("dev.jnn.backend..")
      .as("nothing in dev.jnn.nn.. imports dev.jnn.backend.. (Functional calls the op families"
          + " in dev.jnn.tensor)");

  /**
   * "Public API vs internals": {@code Tensor}'s autograd internals are package-private, and the
   * bridge that hands them to autograd's engine ({@code dev.jnn.tensor.TensorAccess}, internal,
   * not API) is used by autograd and the module backward hooks only.
   */
  @ArchTest
  static final ArchRule tensorAccessIsAutogradsOnly = noClasses()
      .that().resideOutsideOfPackages("dev.jnn.tensor", "dev.jnn.autograd")
      .and().doNotHaveFullyQualifiedName("dev.jnn.nn.BackwardHookRunner")
      .should().dependOnClassesThat().haveFullyQualifiedName("dev.jnn.tensor.TensorAccess")
      .as("only dev.jnn.autograd and dev.jnn.nn.BackwardHookRunner use dev.jnn.tensor.TensorAccess"
          + " (Tensor's internals; user code writes a dev.jnn.autograd.Function)");

  /** core: "JDK". */
  @ArchTest
  static final ArchRule coreImportsOnlyTheJdk = classes()
      .that().resideInAPackage("dev.jnn.core..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(with("dev.jnn.core..", JDK))
      .as("dev.jnn.core imports only the JDK");

  /** docs/ARCHITECTURE-ARTIFACTS.md: dev.jnn:jnn has no runtime dependency. */
  @ArchTest
  static final ArchRule jnnImportsOnlyItselfAndTheJdk = classes()
      .should().onlyDependOnClassesThat().resideInAnyPackage(with("dev.jnn..", JDK))
      .as("dev.jnn:jnn imports only itself and the JDK (it has no runtime dependency)");

  /**
   * "Only dev.jnn.backend.cuda.. sees jcuda..", and that package is in dev.jnn:jnn-cuda (its
   * CudaArchitectureTest checks the other half).
   */
  @ArchTest
  static final ArchRule nothingImportsJcuda = noClasses()
      .should().dependOnClassesThat().resideInAPackage("jcuda..")
      .as("nothing in dev.jnn:jnn imports jcuda.. (only dev.jnn.backend.cuda in jnn-cuda does)");

  /** The examples (the main job) use the library, never the other way round. */
  @ArchTest
  static final ArchRule nothingImportsTheExamples = noClasses()
      .that().resideOutsideOfPackage("dev.jnn.examples..")
      .should().dependOnClassesThat().resideInAPackage("dev.jnn.examples..")
      .as("nothing in dev.jnn:jnn imports dev.jnn.examples");

  /**
   * Two cycle violations are the same when they run through the same packages: ArchUnit's
   * description starts with the cycle ("Cycle detected: Slice a -> Slice b -> Slice a"), and
   * the dependencies listed after it are compared by nothing but that.
   */
  static final class SameCycle implements ViolationLineMatcher {
    @Override
    public boolean matches(String actual, String stored) {
      return cycle(actual).equals(cycle(stored));
    }

    private static String cycle(String violation) {
      int details = violation.indexOf("\n  1. Dependencies of");
      return (details < 0 ? violation : violation.substring(0, details)).replaceAll("\\s+", " ");
    }
  }

  static String[] with(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /**
   * One slice per package under dev.jnn ({@code nn} and {@code nn.layers} are two), except that
   * tensor and autograd are one slice: their cycle is the allowed one.
   */
  static final class PackagesWithTensorAndAutogradAsOne implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (!pkg.startsWith("dev.jnn.")) {
        return SliceIdentifier.ignore();
      }
      String name = pkg.substring("dev.jnn.".length());
      if (name.equals("tensor") || name.equals("autograd")) {
        return SliceIdentifier.of("tensor+autograd");
      }
      return SliceIdentifier.of(name);
    }

    @Override
    public String getDescription() {
      return "packages of dev.jnn (tensor and autograd as one)";
    }
  }
}
