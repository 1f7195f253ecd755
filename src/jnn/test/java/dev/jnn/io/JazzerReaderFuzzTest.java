package dev.jnn.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the readers with Jazzer, on demand. Skipped in a plain build: Jazzer's
 * agent instruments every class loaded after it and slows the rest of the suite several-fold (the
 * seeded mutation loop in {@link ReaderFuzzTest} is the fuzzing every build does). Jazzer's
 * regression mode (the seed inputs under {@code
 * src/test/resources/dev/jnn/io/JazzerReaderFuzzTestInputs/<method>/} plus any findings saved
 * there): {@code mvn test -Pfuzz -Dtest=JazzerReaderFuzzTest} (tagged {@code fuzz}, left out of the default
 * profile because Jazzer's agent slows every class loaded after it). Fuzzing one target
 * (Jazzer fuzzes one method per run):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn test -Pfuzz -Dtest='JazzerReaderFuzzTest#pickle' -Djazzer.max_duration=10m
 * </pre>
 *
 * Jazzer keeps its generated corpus in {@code .cifuzz-corpus/} (not committed) and writes a
 * crashing input into the inputs directory above, where it then runs as a regression test. A
 * finding is any throwable other than {@link FileFormatException}. The seeded mutation loop in
 * {@link ReaderFuzzTest} is the one that fuzzes in every build.
 */
@Tag("fuzz")
class JazzerReaderFuzzTest {
  private static void withFile(byte[] data, String suffix, Reader r) throws IOException {
    Path p = Files.createTempFile("jnn-jazzer", suffix);
    try {
      Files.write(p, data);
      r.read(p);
    } catch (FileFormatException expected) {
      // a refused file is the right outcome for most inputs
    } finally {
      Files.deleteIfExists(p);
    }
  }

  private interface Reader {
    void read(Path p) throws IOException;
  }

  /** Raw bytes as a safetensors file. */
  @FuzzTest(maxDuration = "10s")
  void safetensors(byte[] data) throws IOException {
    withFile(
        data,
        ".safetensors",
        p -> {
          for (Tensor t : SafeTensors.load(p).values()) {
            t.numel();
          }
        });
  }

  /** Raw bytes as a torch.save zip file. */
  @FuzzTest(maxDuration = "10s")
  void torchSave(byte[] data) throws IOException {
    withFile(data, ".pt", JazzerReaderFuzzTest::readPt);
  }

  /** Raw bytes as the data.pkl of an archive with storages "0" (6 floats) and "1" (2 floats). */
  @FuzzTest(maxDuration = "10s")
  void pickle(byte[] data) throws IOException {
    Map<String, byte[]> e = PtFiles.linearEntries();
    e.put("archive/data.pkl", data);
    withFile(PtFiles.zip(e, true), ".pt", JazzerReaderFuzzTest::readPt);
  }

  private static void readPt(Path p) throws IOException {
    Checkpoint c = TorchCheckpoint.load(p);
    try {
      for (Tensor t : c.stateDict().values()) {
        t.numel();
      }
    } catch (IllegalStateException notAStateDict) {
      // a valid pickle of something else
    }
  }
}
