package dev.jnn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jnn.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed registry JSON is exactly what {@link OpRegistry} writes now, and the committed
 * golden fixture was generated from that JSON, so the Java list and the Python generator cannot
 * drift. To refresh after changing the registry:
 *
 * <pre>
 * mvn -B -q -pl src/jnn -am test -Dtest=OpRegistryJsonTest -Dsurefire.failIfNoSpecifiedTests=false -Djnn.ops.update=true
 * /usr/bin/python3 scripts/golden/op_registry.py
 * </pre>
 */
class OpRegistryJsonTest {
  @Test
  void committedJsonIsCurrent() throws IOException {
    String now = OpRegistry.toJson();
    if (Boolean.getBoolean("jnn.ops.update")) {
      Path p = RegistryFiles.source(RegistryFiles.JSON);
      Files.createDirectories(p.getParent());
      Files.writeString(p, now, StandardCharsets.UTF_8);
      return;
    }
    String committed = RegistryFiles.resource(RegistryFiles.JSON);
    assertNotNull(committed, "missing src/jnn/test/resources/" + RegistryFiles.JSON);
    assertEquals(committed, now,
        "src/jnn/test/resources/ops/registry.json is stale: rerun this test with"
            + " -Djnn.ops.update=true, then /usr/bin/python3 scripts/golden/op_registry.py");
  }

  @Test
  void goldenFixtureWasGeneratedFromTheCommittedJson() {
    String committed = RegistryFiles.resource(RegistryFiles.JSON);
    assertNotNull(committed);
    Golden.Case meta = Golden.loadByName(RegistryFiles.GOLDEN).get("_registry");
    assertNotNull(meta, "op_registry.txt has no _registry case");
    assertEquals(RegistryFiles.sha256(committed), meta.attr("sha256").trim(),
        "golden/op_registry.txt was generated from another registry.json: run"
            + " /usr/bin/python3 scripts/golden/op_registry.py");
  }
}
