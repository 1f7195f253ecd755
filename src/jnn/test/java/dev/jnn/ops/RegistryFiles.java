package dev.jnn.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The committed registry files: {@code /ops/*} test resources, and their source paths. */
public final class RegistryFiles {
  /** The JSON the registry writes and scripts/golden/op_registry.py reads. */
  public static final String JSON = "ops/registry.json";
  /** The golden fixture op_registry.py writes (under /golden/). */
  public static final String GOLDEN = "op_registry.txt";

  private RegistryFiles() {}

  /** A test resource's text, or null when absent. */
  public static String resource(String path) {
    try (InputStream in = RegistryFiles.class.getResourceAsStream("/" + path)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resource's source file in src/jnn (tests run with the module directory as cwd). */
  public static Path source(String path) {
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(base, "test", "resources", path);
  }

  /** SHA-256 of the text's UTF-8 bytes, in hex (Python: hashlib.sha256(bytes).hexdigest()). */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
