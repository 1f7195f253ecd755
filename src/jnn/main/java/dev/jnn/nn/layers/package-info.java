/**
 * PyTorch's layers ({@code torch.nn.Conv2d}, {@code Linear}, {@code BatchNorm1d/2d}, {@code
 * LayerNorm}, {@code RMSNorm}, the pooling layers, {@code Dropout}, {@code Dropout1d/2d/3d},
 * {@code AlphaDropout}, {@code FeatureAlphaDropout}, the activations ({@code ReLU} ... {@code
 * Softmax2d}), {@code Flatten}, {@code Identity}, {@code Embedding}, the recurrent layers, {@code
 * MultiheadAttention}, the Transformer layers) as {@link dev.jnn.nn.Module}s.
 *
 * <p>A layer holds hyperparameters, parameters and buffers; its {@code forward} is one call into
 * {@link dev.jnn.nn.functional.Functional}. The common case is a constructor ({@code new Conv2d(1,
 * 20, 5)}), the rest a builder whose setters are named after PyTorch's keyword arguments ({@code
 * Conv2d.builder(1, 20, 5).stride(2).bias(false).build()}). State-dict keys, default initialisation
 * (in distribution) and {@code toString()} match PyTorch 1.13, or PyTorch 2.x for what 1.13 lacks
 * ({@code RMSNorm}: 2.4; {@code LayerNorm}'s {@code bias=False}: 2.1).
 *
 * <p>Parameters and buffers are read from the module's registries on every call ({@code weight()},
 * {@code runningMean()}), so a conversion ({@code to(device)}) or an assigning load is always seen.
 *
 * @see <a href="https://pytorch.org/docs/1.13/nn.html">torch.nn</a>
 */
package dev.jnn.nn.layers;
