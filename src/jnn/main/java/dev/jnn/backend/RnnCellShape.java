package dev.jnn.backend;

/**
 * The sizes of one fused recurrent-cell step ({@link RnnKernels}): {@code batch} rows of {@code
 * hidden} units; the gate tensors have {@code gates * hidden} columns (4 for LSTM: input, forget,
 * cell, output; 3 for GRU: reset, update, new).
 *
 * @param batch rows
 * @param hidden units per row ({@code hidden_size})
 */
public record RnnCellShape(int batch, int hidden) {}
