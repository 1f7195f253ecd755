/**
 * PyTorch's {@code torch.nn.init}: in-place initialisers ({@link dev.jnn.nn.init.Init#uniform},
 * {@link dev.jnn.nn.init.Init#normal}, {@link dev.jnn.nn.init.Init#xavierUniform}, {@link
 * dev.jnn.nn.init.Init#kaimingUniform}, ...) with PyTorch's gains and fan computation, as the
 * layers of {@link dev.jnn.nn.layers} use them for their default initialisation.
 *
 * @see <a href="https://pytorch.org/docs/1.13/nn.init.html">torch.nn.init</a>
 */
package dev.jnn.nn.init;
