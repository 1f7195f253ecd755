package dev.jnn.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.example.quickstart.Quickstart;
import dev.jnn.data.DataLoader;
import dev.jnn.data.TensorDataset;
import dev.jnn.io.Checkpoints;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.layers.Flatten;
import dev.jnn.nn.layers.Linear;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps README.md's Java code honest: every {@code ```java} block in README.md must be preceded by
 * a marker naming the tested source it shows, and must equal that source; the sources are compiled
 * by the build and run here.
 *
 * <p>Markers are HTML comments on the line before the block (invisible when the README is rendered):
 *
 * <ul>
 *   <li>{@code <!-- snippet: examples/quickstart/src/main/java/com/example/quickstart/Quickstart.java -->}:
 *       the whole file;
 *   <li>{@code <!-- snippet: src/examples/test/java/dev/jnn/readme/Tensors.java#tensors -->}: the regions of
 *       that file between {@code // snippet: tensors} and {@code // end snippet} lines, each
 *       de-indented, joined by one blank line (so a snippet can show its imports, then the code);
 *   <li>several such references separated by spaces: their texts joined by one blank line.
 * </ul>
 *
 * <p>Paths are relative to the repository root (the nearest folder above the working directory that
 * holds README.md and examples/). When a check fails, edit the tested source and copy it into the
 * README (or the other way round), then rerun {@code mvn -B test -Dtest=ReadmeSnippetsTest}.
 */
class ReadmeSnippetsTest {
  private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (.+?) -->$");
  private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet: (\\S+)\\s*$");
  private static final Pattern REGION_END = Pattern.compile("^\\s*// end snippet\\s*$");
  private static final Path SNIPPET_SOURCES = Path.of("src/examples/test/java/dev/jnn/readme");

  /** A fenced block of README.md: its first line number (1-based), marker and text. */
  record Block(int line, String marker, String text) {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    for (Path d = p; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("examples"))) {
        return d;
      }
    }
    throw new IllegalStateException("no README.md with examples/ above " + p);
  }

  /** The {@code ```java} blocks of README.md, each with the marker on the line before (or null). */
  static List<Block> javaBlocks() throws IOException {
    List<String> lines = Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) {
        continue;
      }
      String marker = null;
      if (i > 0) {
        Matcher m = MARKER.matcher(lines.get(i - 1).strip());
        marker = m.matches() ? m.group(1).strip() : null;
      }
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      blocks.add(new Block(start, marker, String.join("\n", lines.subList(start, end))));
      i = end;
    }
    return blocks;
  }

  /** The regions named {@code name} in {@code file}, de-indented and joined by a blank line. */
  static String regions(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>();
    List<String> cur = null;
    for (String l : lines) {
      Matcher s = REGION_START.matcher(l);
      if (cur == null && s.matches() && s.group(1).equals(name)) {
        cur = new ArrayList<>();
      } else if (cur != null && REGION_END.matcher(l).matches()) {
        parts.add(dedent(cur));
        cur = null;
      } else if (cur != null) {
        cur.add(l);
      }
    }
    if (cur != null) {
      throw new AssertionError(file + ": region '" + name + "' has no '// end snippet' line");
    }
    if (parts.isEmpty()) {
      throw new AssertionError(file + " has no region '// snippet: " + name + "'");
    }
    return String.join("\n\n", parts);
  }

  static String dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
        .collect(Collectors.joining("\n"));
  }

  /** What a marker stands for. */
  static String expected(String marker) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String ref : marker.split("\\s+")) {
      int hash = ref.indexOf('#');
      Path file = root().resolve(hash < 0 ? ref : ref.substring(0, hash));
      if (!Files.isRegularFile(file)) {
        throw new AssertionError("README.md names a snippet source that does not exist: " + ref);
      }
      texts.add(hash < 0 ? Files.readString(file).stripTrailing() : regions(file, ref.substring(hash + 1)));
    }
    return String.join("\n\n", texts);
  }

  @Test
  void everyJavaBlockInTheReadmeNamesItsTestedSource() throws IOException {
    List<Block> blocks = javaBlocks();
    assertFalse(blocks.isEmpty(), "README.md has no ```java blocks");
    for (Block b : blocks) {
      assertNotNull(b.marker(), "README.md line " + b.line() + ": a ```java block without a "
          + "'<!-- snippet: PATH[#REGION] -->' line before it; every Java snippet must be a tested source");
    }
  }

  @Test
  void everyJavaBlockEqualsItsTestedSource() throws IOException {
    List<String> errors = new ArrayList<>();
    for (Block b : javaBlocks()) {
      if (b.marker() == null) {
        continue;
      }
      String want = expected(b.marker());
      if (!want.equals(b.text())) {
        String[] w = want.split("\n", -1);
        String[] g = b.text().split("\n", -1);
        int i = 0;
        while (i < w.length && i < g.length && w[i].equals(g[i])) {
          i++;
        }
        errors.add("README.md line " + (b.line() + i) + " (block '" + b.marker() + "') differs from "
            + "the tested source:\n  README: " + (i < g.length ? g[i] : "<end of block>")
            + "\n  source: " + (i < w.length ? w[i] : "<end of source>"));
      }
    }
    if (!errors.isEmpty()) {
      fail(String.join("\n", errors) + "\nCopy the tested sources into README.md with scripts/readme-snippets (or fix the README's text in the source).");
    }
  }

  @Test
  void everySnippetRegionIsShownInTheReadme() throws IOException {
    Set<String> shown = new LinkedHashSet<>();
    for (Block b : javaBlocks()) {
      if (b.marker() != null) {
        shown.addAll(List.of(b.marker().split("\\s+")));
      }
    }
    Map<String, Path> regions = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(root().resolve(SNIPPET_SOURCES))) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        for (String l : Files.readAllLines(f)) {
          Matcher m = REGION_START.matcher(l);
          if (m.matches()) {
            regions.put(SNIPPET_SOURCES.resolve(f.getFileName()) + "#" + m.group(1), f);
          }
        }
      }
    }
    assertFalse(regions.isEmpty());
    for (String ref : regions.keySet()) {
      assertTrue(shown.contains(ref.replace('\\', '/')),
          ref + " is a snippet region that README.md does not show (stale snippet?)");
    }
  }

  /** Runs {@code r} and returns what it printed to System.out. */
  static String stdout(ThrowingRunnable r) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    old.print(out);
    return out;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void quickstartTrainsAClassifier() throws Exception {
    String out = stdout(() -> Quickstart.main(new String[] {root().resolve("data").toString()}));
    Pattern epoch = Pattern.compile("^epoch (\\d): loss ([0-9.]+), held-out accuracy ([0-9.]+) %$");
    List<double[]> rows = new ArrayList<>();
    for (String l : out.split("\\R")) {
      Matcher m = epoch.matcher(l);
      if (m.matches()) {
        rows.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
      }
    }
    assertEquals(5, rows.size(), "five epoch lines expected:\n" + out);
    for (int i = 1; i < rows.size(); i++) {
      assertTrue(rows.get(i)[0] < rows.get(i - 1)[0], "the loss falls every epoch:\n" + out);
    }
    assertTrue(rows.get(4)[1] > rows.get(0)[1], "the accuracy rises:\n" + out);
    assertTrue(rows.get(4)[1] > 75, "held-out accuracy above 75 % after 5 epochs:\n" + out);
  }

  @Test
  void moduleExamplePrintsWhatItsCommentsSay() throws Exception {
    Generator.manualSeed(0);
    List<Object> r = ModuleExample.run();
    assertEquals("Model(\n"
        + "  (conv1): Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))\n"
        + "  (conv2): Conv2d(20, 20, kernel_size=(5, 5), stride=(1, 1))\n"
        + ")", r.get(0));
    assertEquals("[64, 20, 20, 20]", r.get(1));
    assertEquals("[conv1.weight, conv1.bias, conv2.weight, conv2.bias]", r.get(2));
  }

  @Test
  void tensorsExamplePrintsWhatItsCommentSays() throws Exception {
    Tensor[][] r = new Tensor[1][];
    String out = stdout(() -> r[0] = Tensors.run());
    String comment = regions(root().resolve(SNIPPET_SOURCES.resolve("Tensors.java")), "tensors")
        .lines().filter(l -> l.startsWith("System.out.println(loss);"))
        .map(l -> l.substring(l.indexOf("// ") + 3)).findFirst().orElseThrow();
    assertEquals(comment, out.strip());
    assertNotNull(r[0][1].grad());
  }

  @Test
  void trainingLoopRunsAndSavesACheckpoint(@TempDir Path dir) throws IOException {
    Generator.manualSeed(0);
    Tensor images = Tensor.randn(256, 1, 28, 28);
    Tensor labels = Tensor.randint(0, 10, 256);
    Sequential model = new Sequential(new Flatten(), new Linear(784, 10));
    Path file = dir.resolve("model.safetensors");
    TrainingLoop.train(model, images, labels, 2, file);
    assertTrue(Files.size(file) > 784 * 10 * 4, "the checkpoint holds the weights");
    Sequential again = new Sequential(new Flatten(), new Linear(784, 10));
    Checkpoints.load(again, file);
    assertEquals(model.stateDict().get("1.weight").sum().item(),
        again.stateDict().get("1.weight").sum().item(), 0.0);
  }

  @Test
  void scopedLoopTrains() {
    Generator.manualSeed(0);
    Tensor images = Tensor.randn(256, 1, 28, 28);
    Tensor labels = Tensor.randint(0, 10, 256);
    Sequential model = new Sequential(new Flatten(), new Linear(784, 10));
    DataLoader loader = DataLoader.builder(new TensorDataset(images, labels)).batchSize(64).build();
    SGD opt = new SGD(model.parameters(), 0.05, 0.9);
    double first = ScopedLoop.epoch(model, loader, opt);
    double later = 0;
    for (int i = 0; i < 4; i++) {
      later = ScopedLoop.epoch(model, loader, opt);
    }
    assertTrue(later < first, "the loss falls: " + first + " -> " + later);
  }
}
