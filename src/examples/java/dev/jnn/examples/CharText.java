package dev.jnn.examples;

import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The text {@link TrainCharGpt} learns: its characters (the vocabulary, sorted by code point), the
 * text as character ids, and its split into a training part (the first 90 %) and a held-out part
 * (the last 10 %).
 *
 * <p>Sources ({@code --text}): {@code kjv} is the King James Bible as Debian's {@code bible-kjv}
 * package prints it ({@code bible -l79 gen1:1-rev22:21}: 4,298,239 characters, 73 distinct; the
 * text of {@code bible-kjv-text} is stored compressed and only that program reads it); {@code
 * sample} is Genesis 1-3 from the same source (11,006 characters), shipped with the example; a
 * file name reads that file (UTF-8); {@code auto} is {@code kjv} when the program is installed,
 * else {@code sample}.
 */
public final class CharText {
  /** The embedded sample (class-path resource next to this class) and its description. */
  static final String SAMPLE_RESOURCE = "kjv-genesis-1-3.txt";

  /** The program of Debian's bible-kjv package and its arguments: the whole Bible, 79 columns. */
  static final List<String> KJV_COMMAND = List.of("bible", "-l79", "gen1:1-rev22:21");

  /** What to tell people who have no {@code bible} program. */
  static final String KJV_INSTALL =
      "install Debian's bible-kjv package (apt-get install bible-kjv; it brings the text, bible-kjv-text)";

  private final String description;
  private final int[] vocab; // code points, ascending
  private final int[] ids; // the whole text as indices into vocab
  private final int split; // ids[0, split) train, ids[split, n) held out

  private CharText(String description, int[] vocab, int[] ids, int split) {
    this.description = description;
    this.vocab = vocab;
    this.ids = ids;
    this.split = split;
  }

  /**
   * The text as {@code --text} names it ({@code auto}, {@code sample}, {@code kjv} or a file),
   * split 90 / 10; {@code notice} gets one line when {@code auto} falls back to the sample.
   *
   * @throws IOException naming what is missing (the file, or the program and the package to
   *     install)
   */
  static CharText load(String source, java.util.function.Consumer<String> notice) throws IOException {
    return load(source, KJV_COMMAND, notice);
  }

  /** {@link #load(String, java.util.function.Consumer)} with another command for {@code kjv}. */
  static CharText load(String source, List<String> kjvCommand, java.util.function.Consumer<String> notice)
      throws IOException {
    switch (source) {
      case "sample":
        return of(sample(), "the embedded sample, King James Bible, Genesis 1-3");
      case "kjv":
        return of(kjv(kjvCommand), "the King James Bible (Debian's bible-kjv)");
      case "auto":
        try {
          return of(kjv(kjvCommand), "the King James Bible (Debian's bible-kjv)");
        } catch (ProgramMissingException e) {
          notice.accept("text: no '" + kjvCommand.get(0) + "' program, so the embedded sample (Genesis 1-3); "
              + "for the whole King James Bible " + KJV_INSTALL);
          return of(sample(), "the embedded sample, King James Bible, Genesis 1-3");
        }
      default:
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
          throw new IOException(source + ": is a directory");
        }
        if (!Files.exists(p)) {
          throw new NoSuchFileException(source);
        }
        String text;
        try {
          text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        } catch (CharacterCodingException e) {
          throw new IOException(source + ": not UTF-8 text", e);
        }
        return of(text, p.getFileName().toString());
    }
  }

  /** The embedded sample's text. */
  static String sample() throws IOException {
    try (InputStream in = CharText.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      if (in == null) {
        throw new IOException("the embedded sample " + SAMPLE_RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The program that prints the Bible is not installed. */
  static final class ProgramMissingException extends IOException {
    private static final long serialVersionUID = 1L;

    ProgramMissingException(String msg, Throwable cause) {
      super(msg, cause);
    }
  }

  /** Runs {@code command} and returns what it printed (the whole King James Bible). */
  static String kjv(List<String> command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new ProgramMissingException(
          "the program '" + command.get(0) + "' was not found: " + KJV_INSTALL, e);
    }
    p.getOutputStream().close();
    // stderr on its own thread, so that neither pipe can fill up and stall the program
    java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (InputStream e = p.getErrorStream()) {
        return e.readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    int status;
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("'" + String.join(" ", command) + "' did not finish in 60 s");
      }
      status = p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the Bible", e);
    }
    String msg = new String(err.join(), StandardCharsets.UTF_8).strip();
    if (status != 0 || out.length == 0) {
      throw new IOException("'" + String.join(" ", command) + "' failed (exit " + status + ")"
          + (msg.isEmpty() ? "" : ": " + msg.lines().findFirst().orElse(""))
          + "; is bible-kjv-text installed? " + KJV_INSTALL);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** A text split 90 / 10 into training and held-out characters. */
  static CharText of(String text, String description) {
    int[] cps = text.codePoints().toArray();
    TreeSet<Integer> set = new TreeSet<>();
    for (int c : cps) {
      set.add(c);
    }
    int[] vocab = set.stream().mapToInt(Integer::intValue).toArray();
    int[] ids = new int[cps.length];
    for (int i = 0; i < cps.length; i++) {
      ids[i] = Arrays.binarySearch(vocab, cps[i]);
    }
    return new CharText(description, vocab, ids, (int) (cps.length * 0.9));
  }

  /** What the text is, for output. */
  String description() {
    return description;
  }

  /** The distinct characters (code points), ascending: id {@code i} is {@code vocab()[i]}. */
  int[] vocab() {
    return vocab.clone();
  }

  /** The vocabulary as a string (its characters in id order). */
  String vocabString() {
    StringBuilder b = new StringBuilder();
    for (int c : vocab) {
      b.appendCodePoint(c);
    }
    return b.toString();
  }

  /** The number of distinct characters. */
  int vocabSize() {
    return vocab.length;
  }

  /** Characters in the training part. */
  int trainLength() {
    return split;
  }

  /** Characters in the held-out part. */
  int heldOutLength() {
    return ids.length - split;
  }

  /** The id of each character of {@code s}, or -1 for the first one not in the vocabulary. */
  int[] encode(String s) {
    return s.codePoints().map(c -> {
      int i = Arrays.binarySearch(vocab, c);
      return i >= 0 ? i : -1;
    }).toArray();
  }

  /** The characters of {@code ids}. */
  String decode(int... idsToDecode) {
    StringBuilder b = new StringBuilder();
    for (int i : idsToDecode) {
      b.appendCodePoint(vocab[i]);
    }
    return b.toString();
  }

  /**
   * The unigram baseline: the mean cross-entropy (nats per character) of the held-out characters
   * under the training part's character frequencies (add-one smoothed, so that a character absent
   * from the training part costs a finite amount). A model that ignores context cannot do better
   * on average.
   */
  double unigramHeldOutLoss() {
    long[] counts = new long[vocab.length];
    for (int i = 0; i < split; i++) {
      counts[ids[i]]++;
    }
    double total = split + vocab.length;
    double sum = 0;
    for (int i = split; i < ids.length; i++) {
      sum -= Math.log((counts[ids[i]] + 1) / total);
    }
    return sum / (ids.length - split);
  }

  /** Whether both parts hold at least one window of {@code context + 1} characters. */
  boolean fits(int context) {
    return split >= context + 1 && ids.length - split >= context + 1;
  }

  /**
   * A batch of {@code batch} windows of the training part at offsets drawn from {@code rnd}
   * (nanoGPT's {@code get_batch}): inputs {@code x} {@code [batch, context]} and targets {@code y},
   * the same windows shifted by one character.
   */
  Tensor[] trainBatch(int batch, int context, SplittableRandom rnd) {
    long[] offsets = new long[batch];
    for (int b = 0; b < batch; b++) {
      offsets[b] = rnd.nextInt(split - context);
    }
    return windows(offsets, context);
  }

  /**
   * {@code count} fixed windows of the held-out part (offsets drawn from a fixed seed, the same in
   * every run), as one array of offsets into the whole text.
   */
  long[] heldOutOffsets(int count, int context) {
    SplittableRandom rnd = new SplittableRandom(0x6a6e6eL);
    long[] offsets = new long[count];
    int range = ids.length - split - context;
    for (int i = 0; i < count; i++) {
      offsets[i] = split + rnd.nextInt(range);
    }
    return offsets;
  }

  /** Inputs and targets for windows starting at {@code offsets}: two int64 {@code [n, context]}. */
  Tensor[] windows(long[] offsets, int context) {
    long[] x = new long[offsets.length * context];
    long[] y = new long[offsets.length * context];
    for (int b = 0; b < offsets.length; b++) {
      for (int t = 0; t < context; t++) {
        x[b * context + t] = ids[(int) offsets[b] + t];
        y[b * context + t] = ids[(int) offsets[b] + t + 1];
      }
    }
    return new Tensor[] {Tensor.fromArray(x, offsets.length, context), Tensor.fromArray(y, offsets.length, context)};
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s: %,d characters, %d distinct; %,d train / %,d held-out",
        description, ids.length, vocab.length, split, ids.length - split);
  }
}
