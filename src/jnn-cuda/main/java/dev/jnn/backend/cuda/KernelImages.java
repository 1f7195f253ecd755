package dev.jnn.backend.cuda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * jnn's kernel module as shipped in the jar (built by {@code native-kernels/build.sh}): a fatbin
 * with SASS for sm_80/86/89/90 plus PTX for compute_75 (needs a CUDA 13 driver, R580+), and the
 * same kernels as PTX whose {@code .version} was rewritten to 8.0, which drivers from R525 on
 * compile. {@link #choose} picks by driver version.
 */
final class KernelImages {
  static final String DIR = "/dev/jnn/backend/cuda/kernels/";
  static final String FATBIN = DIR + "jnn.fatbin";
  static final String PTX = DIR + "jnn.ptx.gz";
  static final String HASH = DIR + "jnn.sources.sha256";

  /** The driver version from which the fatbin (PTX ISA 9.0, CUDA 13 SASS) loads. */
  static final int FATBIN_MIN_DRIVER = 13000;

  /** The driver version from which PTX ISA 8.0 is understood (CUDA 12.0). */
  static final int PTX80_MIN_DRIVER = 12000;

  private static volatile String ptxText;
  private static volatile KernelSignatures signatures;

  private KernelImages() {}

  static byte[] resource(String name) {
    try (InputStream in = KernelImages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing from jnn's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** The PTX (rewritten to {@code .version 8.0}) as text. */
  static String ptx() {
    String p = ptxText;
    if (p == null) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(resource(PTX)))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        p = out.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot decompress " + PTX, e);
      }
      ptxText = p;
    }
    return p;
  }

  /** The kernels' signatures, parsed from the PTX. */
  static KernelSignatures signatures() {
    KernelSignatures s = signatures;
    if (s == null) {
      s = KernelSignatures.parse(ptx());
      signatures = s;
    }
    return s;
  }

  /** What to load for a driver: {@code "fatbin"} or {@code "ptx"}; throws when neither fits. */
  static String choose(int driverVersion) {
    if (driverVersion >= FATBIN_MIN_DRIVER) {
      return "fatbin";
    }
    if (driverVersion >= PTX80_MIN_DRIVER) {
      return "ptx";
    }
    throw new IllegalStateException(
        "the NVIDIA driver supports CUDA "
            + driverVersion / 1000
            + "."
            + driverVersion % 1000 / 10
            + "; jnn's kernels need CUDA 12.0 or newer (driver R525+)");
  }
}
