/** Value types shared by every layer of jnn: {@link dev.jnn.core.DType}, {@link dev.jnn.core.Device}, {@link dev.jnn.core.Shape} and the exceptions. */
package dev.jnn.core;
