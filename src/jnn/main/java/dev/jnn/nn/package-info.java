/**
 * PyTorch's {@code torch.nn}: {@link dev.jnn.nn.Module} (registries, hooks, traversal, device and
 * dtype conversion, state dicts), {@link dev.jnn.nn.Parameter} and {@link dev.jnn.nn.Buffer}, the
 * containers ({@link dev.jnn.nn.Sequential}, {@link dev.jnn.nn.ModuleList}, {@link
 * dev.jnn.nn.ModuleDict}, {@link dev.jnn.nn.ParameterList}, {@link dev.jnn.nn.ParameterDict}), the
 * hook interfaces with {@link dev.jnn.nn.HookHandle}, and {@link dev.jnn.nn.StateDict} / {@link
 * dev.jnn.nn.LoadResult}. State-dict keys, traversal order, error messages and {@code toString()}
 * match PyTorch's.
 */
package dev.jnn.nn;
