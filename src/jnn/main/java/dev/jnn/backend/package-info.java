/** The back-end SPI: buffers, strided views and op families; back ends never see tensors. */
package dev.jnn.backend;
