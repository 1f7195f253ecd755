/**
 * Files: reading and writing tensors, state dicts and training checkpoints, and exchanging them
 * with PyTorch.
 *
 * <ul>
 *   <li>{@link dev.jnn.io.SafeTensors} / {@link dev.jnn.io.SafeTensorsFile}: the safetensors
 *       format, read and written (memory-mapped reads, strict validation, {@code __metadata__}).
 *   <li>{@link dev.jnn.io.TorchCheckpoint} / {@link dev.jnn.io.Checkpoint}: a pure-Java reader of
 *       PyTorch's {@code torch.save} zip files ({@code .pt}/{@code .pth}) that never executes code
 *       from the file: state dicts, and wrapped checkpoints with nested maps and plain values.
 *   <li>{@link dev.jnn.io.Checkpoints}: {@code save(module, optimizer, path)} and {@code
 *       load(module, optimizer, path)}, atomic, in a safetensors file PyTorch can read.
 * </ul>
 *
 * <p>Every problem with a file's content is a {@link dev.jnn.io.FileFormatException} (an {@code
 * IOException}) naming the file and the problem; readers allocate no more than the file's size
 * justifies, and a failed load leaves the module untouched.
 */
package dev.jnn.io;
