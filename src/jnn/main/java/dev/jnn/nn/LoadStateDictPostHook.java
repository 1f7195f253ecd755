package dev.jnn.nn;

/**
 * A hook run by {@link Module#loadStateDict} after a module and its children were checked ({@code
 * register_load_state_dict_post_hook}). The lists of {@code incompatibleKeys} are the loader's live
 * lists: removing entries avoids a strict-mode error, adding entries causes one.
 */
@FunctionalInterface
public interface LoadStateDictPostHook {
  /** Called with the module and the live missing/unexpected key lists. */
  void apply(Module module, LoadResult incompatibleKeys);
}
