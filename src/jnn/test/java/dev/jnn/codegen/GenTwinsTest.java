package dev.jnn.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed float32/float64 twins (src/jnn/main/java) are what {@code scripts/gen-twins}
 * makes of their templates (src/jnn/main/templates) today, and the expansion behaves as
 * documented. Tests run in the repository root (the parent POM's surefire workingDirectory).
 */
class GenTwinsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void committedFilesAreTheTemplatesExpansion() throws IOException {
    Map<Path, String> expected = GenTwins.generate(ROOT);
    assertTrue(expected.size() >= 3, "templates found: " + expected.keySet());
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      Path f = e.getKey();
      assertTrue(Files.exists(f), f + " is missing: run scripts/gen-twins");
      String diff = firstDifference(e.getValue(), Files.readString(f, StandardCharsets.UTF_8));
      assertEquals(null, diff, ROOT.relativize(f) + " differs from its template's expansion (edit"
          + " the template, not the file, and run scripts/gen-twins)");
    }
  }

  /** Null when equal, else the first line that differs, as expected and as found. */
  static String firstDifference(String expected, String actual) {
    if (expected.equals(actual)) {
      return null;
    }
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    int i = 0;
    while (i < e.length && i < a.length && e[i].equals(a[i])) {
      i++;
    }
    return "line " + (i + 1) + ": generated '" + (i < e.length ? e[i] : "<end>") + "', committed '"
        + (i < a.length ? a[i] : "<end>") + "'";
  }

  @Test
  void everyGeneratedFileHasItsTemplate() throws IOException {
    Set<Path> expected = GenTwins.generate(ROOT).keySet();
    List<Path> marked;
    try (Stream<Path> s = Files.walk(ROOT.resolve(GenTwins.SOURCES))) {
      marked = s.filter(p -> p.toString().endsWith(".java")).filter(GenTwinsTest::isGenerated)
          .collect(Collectors.toList());
    }
    assertEquals(expected.size(), marked.size(), "generated files " + marked);
    for (Path p : marked) {
      assertTrue(expected.contains(p), p + " says GENERATED but has no template");
    }
  }

  private static boolean isGenerated(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8).startsWith(GenTwins.MARK);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void expandsRegionsPerDtypeWithConditions() {
    String t = String.join("\n",
        "class X {",
        "  //#-- a note",
        "  //#twins float double",
        "  //#-- another note",
        "  //#if[float]",
        "  // first",
        "  //#else[float]",
        "  // then $name$",
        "  //#end[float]",
        "  static $S$ f($A$ a) { return a + $A1$; } // $L$ $blas$ $N$ $get$ $Abox$ $S0$ $A0$",
        "  //#if[widened]",
        "  // not emitted: float and double store what they accumulate",
        "  //#end[widened]",
        "  //#end twins",
        "}",
        "");
    String out = GenTwins.expand(t, "x/X.java.tmpl");
    assertEquals(String.join("\n",
        GenTwins.MARK + "x/X.java.tmpl \u2014 do not edit",
        "class X {",
        "  // first",
        "  static float f(float a) { return a + 1f; } // F s F32 floats Float 0f 0f",
        "  // then double",
        "  static double f(double a) { return a + 1.0; } // D d F64 doubles Double 0.0 0.0",
        "}",
        ""), out);
  }

  @Test
  void rejectsMistakes() {
    assertThrows(GenTwins.TemplateException.class, () -> GenTwins.expand("$S$ x;\n", "t"),
        "placeholder outside a region");
    assertThrows(GenTwins.TemplateException.class,
        () -> GenTwins.expand("//#twins float\n$Q$\n//#end twins\n", "t"), "unknown key");
    assertThrows(GenTwins.TemplateException.class,
        () -> GenTwins.expand("//#twins float half\n//#end twins\n", "t"), "unknown dtype");
    assertThrows(GenTwins.TemplateException.class,
        () -> GenTwins.expand("//#twins float\nx\n", "t"), "unterminated region");
    assertThrows(GenTwins.TemplateException.class,
        () -> GenTwins.expand("//#twins float\n//#if[float]\n//#end twins\n", "t"), "open #if");
    assertThrows(GenTwins.TemplateException.class,
        () -> GenTwins.expand("//#twins float\n//#end[float]\n//#end twins\n", "t"), "stray #end");
    assertThrows(GenTwins.TemplateException.class,
        () -> GenTwins.expand("//#if[float]\n", "t"), "condition outside a region");
    assertFalse(GenTwins.expand("a\n", "t").contains("$"));
  }
}
