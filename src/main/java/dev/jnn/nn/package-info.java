/** PyTorch's {@code torch.nn}: {@link dev.jnn.nn.Module}, {@link dev.jnn.nn.Parameter}, containers and hooks. */
package dev.jnn.nn;
