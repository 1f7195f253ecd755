/**
 * PyTorch's loss modules ({@code torch.nn.CrossEntropyLoss}, {@code NLLLoss}, {@code MSELoss},
 * {@code L1Loss}, {@code BCEWithLogitsLoss}): {@link dev.jnn.nn.Module}s of two inputs, called as
 * {@code loss.call(input, target)}, whose forward is one call into {@link
 * dev.jnn.nn.functional.Functional}. Class weights are persistent buffers ({@code weight}, {@code
 * pos_weight}), so they move with {@code to(device)} and appear in the state dict, as in PyTorch.
 *
 * @see <a href="https://pytorch.org/docs/1.13/nn.html#loss-functions">torch.nn loss functions</a>
 */
package dev.jnn.nn.loss;
