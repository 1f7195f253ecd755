/** Optimizers ({@code torch.optim}): SGD, Adam, AdamW, RMSprop, learning-rate schedulers and gradient clipping. */
package dev.jnn.optim;
