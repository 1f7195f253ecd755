package dev.jnn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file or PyTorch checkpoint, or that uses something jnn
 * refuses to read (an unknown pickle global or opcode, a zip bomb). The message names the file and
 * the problem: {@code "model.pt: unsupported pickle global 'os.system'"}.
 */
public class FileFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The file; may be null for in-memory data. */
  private final transient Path path;

  /** The problem, without the file name. */
  private final String problem;

  /** A problem found in {@code path}. */
  public FileFormatException(Path path, String problem) {
    this(path, problem, null);
  }

  /** A problem found in {@code path}, caused by {@code cause}. */
  public FileFormatException(Path path, String problem, Throwable cause) {
    super((path == null ? "<memory>" : path.toString()) + ": " + problem, cause);
    this.path = path;
    this.problem = problem;
  }

  /** The file the problem was found in (null for in-memory data). */
  public Path path() {
    return path;
  }

  /** The problem, without the file name. */
  public String problem() {
    return problem;
  }
}
