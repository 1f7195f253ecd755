package dev.jnn.autograd;

/**
 * A graph edge: the gradient for one input of a node flows to output {@code inputNr} of {@code
 * node}'s producer (PyTorch's {@code (next_function, input_nr)}).
 *
 * @param node the node that receives the gradient
 * @param inputNr which of that node's outputs the gradient belongs to
 */
public record Edge(Node node, int inputNr) {}
