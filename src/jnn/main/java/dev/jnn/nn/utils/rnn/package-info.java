/**
 * Variable-length sequences for recurrent layers, PyTorch's {@code torch.nn.utils.rnn} (1.13):
 * {@link dev.jnn.nn.utils.rnn.PackedSequence} and the functions of {@link
 * dev.jnn.nn.utils.rnn.RnnUtils} that build and undo it ({@code packPaddedSequence}, {@code
 * padPackedSequence}, {@code packSequence}, {@code padSequence}, {@code unpadSequence}, {@code
 * unpackSequence}).
 *
 * <p>Everything here is composed from differentiable {@link dev.jnn.tensor.Tensor} ops (one
 * {@code indexSelect} per conversion, with {@code cat}/{@code expand}/{@code reshape} around it),
 * so it runs on every back end and gradients flow between the padded and the packed forms; the
 * {@code grad_fn} names are those of the ops used ({@code IndexSelectBackward0}, ...), not
 * PyTorch's fused {@code PackPaddedSequenceBackward0}/{@code CopySlices}. Values, shapes,
 * strides, index tensors and error messages follow PyTorch 1.13 ({@code
 * scripts/golden/packed_sequence.py}).
 *
 * <p>Imports: tensor, autograd, core (never the back end).
 *
 * @see <a href="https://pytorch.org/docs/1.13/nn.html#utilities">torch.nn.utils.rnn</a>
 */
package dev.jnn.nn.utils.rnn;
