package dev.jnn.nn;

import java.util.List;

/**
 * Thrown by {@link Module#loadStateDict} when loading fails ({@code RuntimeError("Error(s) in
 * loading state_dict for Net:\n\t...")}): missing or unexpected keys under {@code strict}, and
 * always for shape mismatches or uncopyable entries. When it is thrown nothing was loaded.
 */
public class StateDictException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> missingKeys;
  private final transient List<String> unexpectedKeys;
  private final transient List<String> errorMessages;

  /** With PyTorch's message and the collected details. */
  public StateDictException(
      String message, List<String> missingKeys, List<String> unexpectedKeys, List<String> errors) {
    super(message);
    this.missingKeys = List.copyOf(missingKeys);
    this.unexpectedKeys = List.copyOf(unexpectedKeys);
    this.errorMessages = List.copyOf(errors);
  }

  /** Keys the module expected but the state dict lacked. */
  public List<String> missingKeys() {
    return missingKeys;
  }

  /** Keys of the state dict the module does not expect. */
  public List<String> unexpectedKeys() {
    return unexpectedKeys;
  }

  /** The individual error messages, in the order they appear in {@link #getMessage()}. */
  public List<String> errorMessages() {
    return errorMessages;
  }
}
