/**
 * PyTorch's loss modules: {@code CrossEntropyLoss}, {@code NLLLoss}, {@code MSELoss}, {@code
 * L1Loss}, {@code BCELoss}, {@code BCEWithLogitsLoss}, {@code SmoothL1Loss}, {@code HuberLoss},
 * {@code KLDivLoss}, {@code PoissonNLLLoss}, {@code GaussianNLLLoss}, {@code
 * CosineEmbeddingLoss}, {@code MarginRankingLoss}, {@code HingeEmbeddingLoss}, {@code
 * TripletMarginLoss}, {@code MultiLabelSoftMarginLoss}, {@code MultiMarginLoss} and {@code
 * SoftMarginLoss}. Each is a {@link dev.jnn.nn.Module} called as {@code loss.call(input, target)}
 * (three inputs for {@code CosineEmbeddingLoss}, {@code MarginRankingLoss}, {@code
 * TripletMarginLoss} and {@code GaussianNLLLoss}) whose forward is one call into {@link
 * dev.jnn.nn.functional.Functional}. Options are PyTorch's keyword arguments, set on a builder
 * where there is more than the reduction; their repr is {@code ClassName()}, as PyTorch's. Class
 * weights are persistent buffers ({@code weight}, {@code pos_weight}), so they move with {@code
 * to(device)} and appear in the state dict, as in PyTorch.
 *
 * @see <a href="https://pytorch.org/docs/1.13/nn.html#loss-functions">torch.nn loss functions</a>
 */
package dev.jnn.nn.loss;
