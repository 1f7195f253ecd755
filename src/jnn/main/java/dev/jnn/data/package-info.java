/** Data loading ({@code torch.utils.data}): datasets, the batching {@link dev.jnn.data.DataLoader}, and the IDX (MNIST) reader. */
package dev.jnn.data;
