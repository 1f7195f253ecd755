package dev.jnn.nn;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link Module#loadStateDict} did not match ({@code _IncompatibleKeys}): keys the module
 * expected but the state dict lacked, and keys the state dict had but the module does not expect.
 * The lists returned by {@code loadStateDict} are unmodifiable; those handed to a {@link
 * LoadStateDictPostHook} are the loader's live lists and may be edited.
 *
 * @param missingKeys expected but absent keys, in module order
 * @param unexpectedKeys present but unexpected keys, in state-dict order
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
  /** Neither list may be null. */
  public LoadResult {
    Objects.requireNonNull(missingKeys, "missingKeys");
    Objects.requireNonNull(unexpectedKeys, "unexpectedKeys");
  }

  /** True when both lists are empty. */
  public boolean allKeysMatched() {
    return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
  }

  /**
   * PyTorch's repr: {@code <All keys matched successfully>}, or {@code
   * _IncompatibleKeys(missing_keys=['a'], unexpected_keys=[])}.
   */
  @Override
  public String toString() {
    if (allKeysMatched()) {
      return "<All keys matched successfully>";
    }
    return "_IncompatibleKeys(missing_keys="
        + pyList(missingKeys)
        + ", unexpected_keys="
        + pyList(unexpectedKeys)
        + ")";
  }

  private static String pyList(List<String> l) {
    return l.stream().map(ModuleText::pyRepr).collect(Collectors.joining(", ", "[", "]"));
  }
}
